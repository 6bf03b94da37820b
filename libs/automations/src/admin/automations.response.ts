import { ApiProperty } from '@nestjs/swagger';
import type { Page } from '@crm/read-store';
import { type AutomationDeadLetterDocument, DEAD_LETTER_STATUSES } from '../reactor/reactor.documents';
import type { AutomationOverview } from './automations-admin';

export class AutomationOverviewResponse implements AutomationOverview {
  @ApiProperty({ example: 'service-level' }) name!: string;
  @ApiProperty({ description: 'AUTOMATIONS=on: RUN_MODE all or automations runs it' }) enabled!: boolean;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The last log position it has dealt with' })
  checkpoint!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) head!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Events in the log after the checkpoint (of every type: an upper bound)',
  })
  lagEvents!: number;
  @ApiProperty() paused!: boolean;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) pausedAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Open dead letters' }) deadLetters!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Deadlines kept and not yet looked at once due' })
  pendingDeadlines!: number;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'A refusal dead-lettered, or a store unreachable',
  })
  lastError!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) lastErrorAt!: string | null;
}

export class AutomationsOverviewResponse {
  @ApiProperty({ type: [AutomationOverviewResponse] }) automations!: AutomationOverviewResponse[];
}

/** A dead letter of a reactor: references only, never the event's data. */
export class AutomationDeadLetterResponse implements AutomationDeadLetterDocument {
  @ApiProperty({ description: '<automation>:<phase>:<triggerEventId>' }) id!: string;
  @ApiProperty({ type: 'integer', minimum: 1, description: 'The letter revision' }) position!: number;
  @ApiProperty({ example: 'feedback' }) reactor!: string;
  @ApiProperty({
    enum: ['trigger', 'deadline'],
    description: 'Refused when the trigger was read, or when its deadline fired',
  })
  phase!: 'trigger' | 'deadline';
  @ApiProperty({ format: 'uuid' }) triggerEventId!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) triggerPosition!: number;
  @ApiProperty({ example: 'SupportCaseResolved' }) triggerType!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ description: "The refusal's stable code", example: 'SUPPORT_CASE.SLA_ALREADY_BREACHED' })
  code!: string;
  @ApiProperty({ description: 'The message of the last refusal' }) error!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) attempts!: number;
  @ApiProperty({ format: 'date-time' }) firstFailedAt!: string;
  @ApiProperty({ format: 'date-time' }) lastFailedAt!: string;
  @ApiProperty({ enum: DEAD_LETTER_STATUSES }) status!: AutomationDeadLetterDocument['status'];
}

export class AutomationDeadLetterPageResponse implements Page<AutomationDeadLetterDocument> {
  @ApiProperty({ type: [AutomationDeadLetterResponse] }) items!: AutomationDeadLetterResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor; null on the last page' })
  nextCursor!: string | null;
}
