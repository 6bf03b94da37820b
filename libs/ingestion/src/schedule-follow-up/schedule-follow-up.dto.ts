import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Length, Matches } from 'class-validator';
import { IsOmittable, IsVisibleText } from '@crm/platform';
import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IsAssignee, IsFollowUpText } from '../follow-ups/follow-up.dto-fields';
import { FOLLOW_UP_ID_MESSAGE, FOLLOW_UP_ID_PATTERN } from '../follow-ups/follow-up-id';

/** POST /customers/:id/follow-ups: a task for the team about this customer (FollowUpScheduled). */
export class ScheduleFollowUpDto extends GuardedEventEnvelopeDto {
  @ApiPropertyOptional({
    pattern: FOLLOW_UP_ID_PATTERN.source,
    description: 'Defaults to the eventId (so a retry with the same eventId schedules it once)',
  })
  @IsOmittable()
  @IsString()
  @Matches(FOLLOW_UP_ID_PATTERN, { message: FOLLOW_UP_ID_MESSAGE })
  followUpId?: string;

  @IsAssignee()
  assignee!: string;

  @ApiProperty({
    format: 'date-time',
    description:
      'When it is due: RFC 3339 with offset, at most milliseconds; stored in UTC. May be in the past.',
  })
  @IsString()
  dueAt!: string;

  @IsFollowUpText('Why (free text: personal data, encrypted; `[erased]` after erasure)')
  reason!: string;

  @ApiPropertyOptional({ description: 'A support case this customer opened' })
  @IsOmittable()
  @IsString()
  @Length(1, 128)
  @IsVisibleText()
  caseId?: string;
}
