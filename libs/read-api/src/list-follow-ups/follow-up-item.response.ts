import { ApiProperty } from '@nestjs/swagger';
import { WORKLIST_STATUSES, type WorklistItem, type WorklistStatus } from '@crm/projections';
import { ReadMetaResponse } from '../shared/read-meta.response';

/**
 * An open follow-up, in a worklist and in GET /customers/:id. No reason:
 * it is personal data, kept only encrypted in the customer's stream
 * (GET /customers/:id/events shows it).
 */
export class FollowUpItemResponse implements WorklistItem {
  @ApiProperty() followUpId!: string;
  @ApiProperty({ description: 'Whose follow-up (the survivor, for one scheduled on a merged customer)' })
  customerId!: string;
  @ApiProperty({ description: 'The agent or queue it is assigned to now' }) assignee!: string;
  @ApiProperty({ format: 'date-time' }) dueAt!: string;
  @ApiProperty({ format: 'date-time', description: 'occurredAt of the FollowUpScheduled' })
  scheduledAt!: string;
  @ApiProperty({ type: 'string', nullable: true }) caseId!: string | null;
  @ApiProperty({ enum: WORKLIST_STATUSES, description: '`overdue`: open and dueAt < asOf' })
  status!: WorklistStatus;
}

/** GET /follow-ups: a page of a worklist. */
export class FollowUpWorklistResponse {
  @ApiProperty({ type: [FollowUpItemResponse], description: 'Sorted by dueAt, ties by followUpId' })
  items!: FollowUpItemResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'cursor of the next page; null on the last' })
  next!: string | null;
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
