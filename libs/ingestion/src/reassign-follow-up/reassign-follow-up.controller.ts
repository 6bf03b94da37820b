import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, ApiCustomerIdParam, ApiErrorResponses, RequireRoles } from '@crm/platform';
import { FollowUpRecordedResponse } from '../follow-ups/follow-up-recorded.response';
import { FOLLOW_UP_ID_PATTERN } from '../follow-ups/follow-up-id';
import { FollowUpWriter } from '../follow-ups/follow-up-writer';
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
    const action = { customerId, followUpId, body, headers, actor, reply };
    return this.writer.act('FollowUpReassigned', ReassignFollowUpDto, action, (dto) => ({
      followUpId,
      assignee: dto.assignee,
    }));
  }
}
