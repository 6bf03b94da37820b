import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { FollowUpScheduledData } from '@crm/domain';
import {
  Actor,
  ApiCustomerIdParam,
  ApiErrorResponses,
  instantMessage,
  instantProblem,
  metadataFromHeaders,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { FollowUpRecordedResponse } from '../follow-ups/follow-up-recorded.response';
import { FollowUpWriter } from '../follow-ups/follow-up-writer';
import { assertCustomerId } from '../shared/customer-id';
import { newEventId } from '../shared/event-builder';
import { ScheduleFollowUpDto } from './schedule-follow-up.dto';

@ApiTags('follow-ups')
@RequireRoles('ingest')
@Controller('customers/:customerId/follow-ups')
export class ScheduleFollowUpController {
  constructor(private readonly writer: FollowUpWriter) {}

  @Post()
  @ApiOperation({
    summary: 'Schedule a follow-up (FollowUpScheduled)',
    description:
      'A task for an agent or a queue about this customer, due at dueAt. Not a touchpoint: ' +
      'no effect on channel mix, stage or KPIs. Without followUpId, the eventId is the followUpId.',
  })
  @ApiCustomerIdParam()
  @ApiErrorResponses(400, 404, 409, 410, 413, 415, 422, 503)
  @HttpCode(201)
  @ApiBody({ type: ScheduleFollowUpDto })
  @ApiCreatedResponse({ type: FollowUpRecordedResponse })
  async schedule(
    @Param('customerId') customerId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FollowUpRecordedResponse> {
    assertCustomerId(customerId);
    const validated = validateDto(ScheduleFollowUpDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const dto = validated.value;
    // As a registration takes its id from the eventId: a retry then names the same follow-up.
    const eventId = dto.eventId ?? newEventId();
    const data: FollowUpScheduledData = {
      followUpId: dto.followUpId ?? eventId,
      assignee: dto.assignee,
      dueAt: utcDueAt(dto.dueAt),
      reason: dto.reason,
      ...(dto.caseId !== undefined && { caseId: dto.caseId }),
    };
    const metadata = metadataFromHeaders(headers, actor);
    return this.writer.record(customerId, 'FollowUpScheduled', { ...dto, eventId }, data, metadata, reply);
  }
}

/** dueAt in the API's one instant format, stored as the UTC instant the catalogue wants. */
function utcDueAt(raw: string): string {
  const problem = instantProblem(raw);
  if (problem !== null)
    throw new RequestValidationError([
      { field: 'dueAt', code: problem, message: instantMessage('dueAt', problem) },
    ]);
  return new Date(raw).toISOString();
}
