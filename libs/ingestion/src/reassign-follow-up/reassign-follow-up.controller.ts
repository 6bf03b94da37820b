import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  Actor,
  ApiCustomerIdParam,
  ApiErrorResponses,
  metadataFromHeaders,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { FollowUpRecordedResponse } from '../follow-ups/follow-up-recorded.response';
import { assertFollowUpId, FOLLOW_UP_ID_PATTERN } from '../follow-ups/follow-up-id';
import { FollowUpWriter } from '../follow-ups/follow-up-writer';
import { assertCustomerId } from '../shared/customer-id';
import { ReassignFollowUpDto } from './reassign-follow-up.dto';

@ApiTags('follow-ups')
@RequireRoles('ingest')
@Controller('customers/:customerId/follow-ups/:followUpId/reassign')
export class ReassignFollowUpController {
  constructor(private readonly writer: FollowUpWriter) {}

  @Post()
  @ApiOperation({
    summary: 'Hand a follow-up to another agent or queue (FollowUpReassigned)',
    description:
      'Only an open follow-up: an unknown one is 422 FOLLOW_UP.UNKNOWN, a completed or cancelled one 409 FOLLOW_UP.CLOSED.',
  })
  @ApiCustomerIdParam()
  @ApiParam({ name: 'followUpId', schema: { type: 'string', pattern: FOLLOW_UP_ID_PATTERN.source } })
  @ApiErrorResponses(400, 404, 409, 410, 413, 415, 422, 503)
  @HttpCode(201)
  @ApiBody({ type: ReassignFollowUpDto })
  @ApiCreatedResponse({ type: FollowUpRecordedResponse })
  async reassign(
    @Param('customerId') customerId: string,
    @Param('followUpId') followUpId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FollowUpRecordedResponse> {
    assertCustomerId(customerId);
    assertFollowUpId(followUpId);
    const validated = validateDto(ReassignFollowUpDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const dto = validated.value;
    const metadata = metadataFromHeaders(headers, actor);
    return this.writer.record(
      customerId,
      'FollowUpReassigned',
      dto,
      { followUpId, assignee: dto.assignee },
      metadata,
      reply,
    );
  }
}
