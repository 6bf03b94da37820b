import { ApiProperty } from '@nestjs/swagger';
import type { MergeOutcome } from '../customers/customer-repository';
import { onlyRef } from '../shared/recorded-event.response';

class MergedSideResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({ format: 'uuid', description: 'Derived from the survivor side’s eventId' }) eventId!: string;
  @ApiProperty() streamRevision!: number;
  @ApiProperty() globalPosition!: number;
}

/** What a client gets back for a merge, the same on an idempotent replay. */
export class MergeCustomersResponse {
  @ApiProperty({ description: 'The survivor (the path’s customer)' }) customerId!: string;
  @ApiProperty() mergedId!: string;
  @ApiProperty({ format: 'uuid', description: 'The survivor side’s CustomersMerged' }) eventId!: string;
  @ApiProperty({ example: 'CustomersMerged' }) type!: string;
  @ApiProperty({ description: 'Revision of the survivor’s stream after the merge' }) streamRevision!: number;
  @ApiProperty({
    description:
      'Position of the survivor side in the global log, after the merged side: pass it as minPosition to read the merged history',
  })
  globalPosition!: number;
  @ApiProperty({
    type: MergedSideResponse,
    description: 'The CustomersMerged on the merged customer’s stream',
  })
  merged!: MergedSideResponse;

  static from(outcome: MergeOutcome): MergeCustomersResponse {
    const survivor = onlyRef(outcome.survivor);
    const merged = onlyRef(outcome.merged);
    return {
      customerId: outcome.survivor.customerId,
      mergedId: outcome.merged.customerId,
      eventId: survivor.eventId,
      type: survivor.type,
      streamRevision: survivor.revision,
      globalPosition: survivor.position,
      merged: {
        customerId: outcome.merged.customerId,
        eventId: merged.eventId,
        streamRevision: merged.revision,
        globalPosition: merged.position,
      },
    };
  }
}
