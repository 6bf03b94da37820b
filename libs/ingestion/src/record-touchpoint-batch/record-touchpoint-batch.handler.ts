import { CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { CommandRejectedError, type CustomerCommand } from '@crm/domain';
import { type ErrorBody, toErrorBody } from '@crm/platform';
import { EventIdConflictError } from '@crm/event-store';
import { CustomerRepository } from '../customers/customer-repository';
import type { BatchItemResult } from './batch-result';
import { type BatchItem, RecordTouchpointBatchCommand } from './record-touchpoint-batch.command';

type ValidItem = Extract<BatchItem, { event: unknown }>;

/**
 * Records a batch as one all-or-nothing append per customer stream. The
 * streams are appended concurrently, so the store's group commit writes the
 * whole batch in a few transactions.
 */
@CommandHandler(RecordTouchpointBatchCommand)
export class RecordTouchpointBatchHandler implements ICommandHandler<RecordTouchpointBatchCommand> {
  constructor(private readonly customers: CustomerRepository) {}

  async execute({ items }: RecordTouchpointBatchCommand): Promise<BatchItemResult[]> {
    const groups = groupByCustomer(items);
    const results = await Promise.all([...groups.values()].map((group) => this.recordGroup(group)));
    return results.flat().sort((a, b) => a.index - b.index);
  }

  private async recordGroup(group: readonly BatchItem[]): Promise<BatchItemResult[]> {
    const invalid = group.filter((item): item is Exclude<BatchItem, ValidItem> => 'invalid' in item);
    if (invalid.length > 0) {
      const firstBad = invalid[0]?.index ?? -1;
      return group.map((item) =>
        'invalid' in item
          ? rejected(item, {
              statusCode: 400,
              code: 'VALIDATION.FAILED',
              message: 'The item is invalid',
              details: item.invalid,
            })
          : rejected(item, groupRejected(firstBad)),
      );
    }
    const valid = group as readonly ValidItem[];
    const customerId = valid[0]?.customerId ?? '';
    const commands: CustomerCommand[] = valid.map((item) => ({
      type: 'RecordTouchpoint',
      event: item.event,
    }));
    try {
      const serverTimed = new Set(valid.filter((item) => item.serverTimed).map((item) => item.event.eventId));
      const outcome = await this.customers.record(customerId, commands, { serverTimed });
      return valid.map((item, position) => {
        const ref = outcome.events[position];
        if (!ref) throw new Error(`No result for batch item ${item.index}`);
        return {
          index: item.index,
          status: ref.duplicate ? 'duplicate' : 'created',
          customerId,
          eventId: ref.eventId,
          type: ref.type,
          streamRevision: ref.revision,
          globalPosition: ref.position,
        };
      });
    } catch (error) {
      const body = toErrorBody(error);
      if (body.statusCode >= 500) throw error;
      const failedAt = culpritOf(error, valid);
      return valid.map((item) =>
        failedAt === undefined || item.index === failedAt
          ? rejected(item, withItemPath(body, item.index))
          : rejected(item, groupRejected(failedAt)),
      );
    }
  }
}

/** The batch index of the item that sank its customer's group, when one item is to blame. */
function culpritOf(error: unknown, valid: readonly ValidItem[]): number | undefined {
  if (error instanceof CommandRejectedError) return valid[error.index]?.index;
  if (error instanceof EventIdConflictError)
    return valid.find((item) => item.event.eventId === error.eventId)?.index;
  return undefined;
}

/** Field paths of an item's own error, as the batch body names them (`items[3].amount`). */
function withItemPath(body: ErrorBody, index: number): ErrorBody {
  const prefix = `items[${index}]`;
  const details = body.details.map((detail) => ({
    ...detail,
    field: detail.field.startsWith(prefix) ? detail.field : `${prefix}.${detail.field}`,
  }));
  return { ...body, details };
}

function groupByCustomer(items: readonly BatchItem[]): Map<string, BatchItem[]> {
  const groups = new Map<string, BatchItem[]>();
  items.forEach((item) => {
    // Items without a usable customerId cannot join a group: each stands alone.
    const key = item.customerId === undefined ? `#${item.index}` : `=${item.customerId}`;
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  });
  return groups;
}

function rejected(item: BatchItem, error: BatchItemResult['error']): BatchItemResult {
  const eventId = 'event' in item ? item.event.eventId : undefined;
  const type = 'event' in item ? item.event.type : undefined;
  return { index: item.index, status: 'rejected', customerId: item.customerId, eventId, type, error };
}

function groupRejected(culprit: number): NonNullable<BatchItemResult['error']> {
  return {
    statusCode: 409,
    code: 'BATCH.CUSTOMER_GROUP_REJECTED',
    message: `Not recorded: item ${culprit} of the same customer was rejected, and a customer's items are all-or-nothing`,
    details: [{ field: `items[${culprit}]`, code: 'groupRejected', message: 'see that item for the reason' }],
  };
}
