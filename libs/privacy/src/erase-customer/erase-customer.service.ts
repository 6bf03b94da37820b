import { randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import {
  CommandRejectedError,
  CustomerErrorCode,
  type CustomerErased,
  type CustomerErasedData,
  EVENT_VERSIONS,
  type EventMetadata,
} from '@crm/domain';
import { CustomerRepository } from '@crm/ingestion';
import { APP_CONFIG, type AppConfig, CLOCK, type Clock } from '@crm/platform';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { DataKeys } from '../key-store/data-keys';
import type { ErasureResponse } from './erasure.response';

type ErasedRef = { readonly eventId: string; readonly position: number; readonly occurredAt: string };

/**
 * Erasure in four steps, each safe to repeat, so a repeated call finishes
 * whatever an interrupted one left: record CustomerErased (the decider closes
 * the stream), shred the data key, wait until every projection applied the
 * erasure (they scrub their documents), then purge old read-model bytes.
 */
@Injectable()
export class EraseCustomerService {
  constructor(
    private readonly customers: CustomerRepository,
    private readonly keys: DataKeys,
    @Inject(READ_STORE) private readonly readStore: ReadStore,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  async erase(
    customerId: string,
    data: CustomerErasedData,
    metadata: EventMetadata,
  ): Promise<ErasureResponse> {
    const recorded = await this.record(customerId, data, metadata);
    const erased = recorded ?? (await this.existingErasure(customerId));
    const tombstone = await this.keys.shred(customerId);
    const scrubbed = await this.projected(customerId, erased.position);
    if (scrubbed) await this.readStore.purgeDeleted?.();
    // Erasing a survivor erases whom it absorbed: their history is its history now.
    const merged: ErasureResponse[] = [];
    for (const mergedId of await this.absorbedBy(customerId))
      merged.push(await this.erase(mergedId, data, { ...metadata, causationId: erased.eventId }));
    return {
      customerId,
      status: recorded ? 'erased' : 'already_erased',
      eventId: erased.eventId,
      globalPosition: erased.position,
      erasedAt: erased.occurredAt,
      keyShreddedAt: tombstone.shreddedAt,
      readModels: scrubbed ? 'scrubbed' : 'pending',
      merged,
    };
  }

  /** The customers merged into this one (its stream's CustomersMerged as survivor), in merge order. */
  private async absorbedBy(customerId: string): Promise<string[]> {
    const stream = await this.customers.readStream(customerId, 0, Number.MAX_SAFE_INTEGER);
    return stream.flatMap((recorded) => {
      const { survivorId, mergedId } = recorded.data;
      return recorded.type === 'CustomersMerged' &&
        survivorId === customerId &&
        typeof mergedId === 'string' &&
        mergedId !== customerId
        ? [mergedId]
        : [];
    });
  }

  /** The new CustomerErased, or null when the customer was already erased. */
  private async record(customerId: string, data: CustomerErasedData, metadata: EventMetadata) {
    const event: CustomerErased = {
      type: 'CustomerErased',
      version: EVENT_VERSIONS.CustomerErased,
      eventId: randomUUID(),
      occurredAt: this.clock.now().toISOString(),
      data,
      metadata,
    };
    try {
      const outcome = await this.customers.record(customerId, [{ type: 'EraseCustomer', event }]);
      const ref = outcome.events[0];
      if (!ref) throw new Error('Recording CustomerErased returned no reference');
      return { eventId: ref.eventId, position: ref.position, occurredAt: event.occurredAt };
    } catch (error) {
      if (error instanceof CommandRejectedError && error.reason.code === CustomerErrorCode.Erased)
        return null;
      throw error;
    }
  }

  private async existingErasure(customerId: string): Promise<ErasedRef> {
    const stream = await this.customers.readStream(customerId, 0, Number.MAX_SAFE_INTEGER);
    const erased = stream.find((event) => event.type === 'CustomerErased');
    if (!erased) throw new Error(`Customer ${customerId} is closed but has no CustomerErased event`);
    return { eventId: erased.eventId, position: erased.position, occurredAt: erased.occurredAt };
  }

  /**
   * Whether the read models holding the customer's documents have applied
   * the log up to `position`: asked of the read positions reads wait on, so
   * it follows the active version of each projection (a blue-green rebuild
   * moves the checkpoint to `<name>:v<n>`) and either transport.
   */
  private projected(customerId: string, position: number): Promise<boolean> {
    return this.positions.waitFor(position, { customerId }, this.config.projections.readWaitMs);
  }
}
