import { Command } from '@nestjs/cqrs';
import type { ErrorDetail, TouchpointEvent } from '@crm/domain';
import type { BatchItemResult } from './batch-result';

/** One item as the edge understood it: a valid candidate event, or why it is not one. */
export type BatchItem =
  | {
      readonly index: number;
      readonly customerId: string;
      readonly event: TouchpointEvent;
      /** True when the item had no occurredAt and the server's clock chose it. */
      readonly serverTimed: boolean;
    }
  | {
      readonly index: number;
      readonly customerId: string | undefined;
      readonly invalid: readonly ErrorDetail[];
    };

export class RecordTouchpointBatchCommand extends Command<BatchItemResult[]> {
  constructor(readonly items: readonly BatchItem[]) {
    super();
  }
}
