import { Body, Controller, Headers, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, RequireRoles } from '@crm/platform';
import { FollowUpRecordedResponse } from '../follow-ups/follow-up-recorded.response';
import { FollowUpActionRoute } from '../follow-ups/follow-up-action.route';
import { FollowUpWriter } from '../follow-ups/follow-up-writer';
import { ReassignFollowUpDto } from './reassign-follow-up.dto';

@ApiTags('follow-ups')
@RequireRoles('ingest')
@Controller('customers/:customerId/follow-ups/:followUpId/reassign')
export class ReassignFollowUpController {
  constructor(private readonly writer: FollowUpWriter) {}

  @FollowUpActionRoute('Hand a follow-up to another agent or queue (FollowUpReassigned)', ReassignFollowUpDto)
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
