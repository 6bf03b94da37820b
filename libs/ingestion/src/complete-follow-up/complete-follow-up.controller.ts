import { Body, Controller, Headers, Param, Res } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Actor, RequireRoles } from '@crm/platform';
import { FollowUpRecordedResponse } from '../follow-ups/follow-up-recorded.response';
import { FollowUpActionRoute } from '../follow-ups/follow-up-action.route';
import { FollowUpWriter } from '../follow-ups/follow-up-writer';
import { CompleteFollowUpDto } from './complete-follow-up.dto';

@ApiTags('follow-ups')
@RequireRoles('ingest')
@Controller('customers/:customerId/follow-ups/:followUpId/complete')
export class CompleteFollowUpController {
  constructor(private readonly writer: FollowUpWriter) {}

  @FollowUpActionRoute('Complete a follow-up (FollowUpCompleted)', CompleteFollowUpDto, 'Closes it. ')
  async complete(
    @Param('customerId') customerId: string,
    @Param('followUpId') followUpId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<FollowUpRecordedResponse> {
    const action = { customerId, followUpId, body, headers, actor, reply };
    return this.writer.act('FollowUpCompleted', CompleteFollowUpDto, action, (dto) => ({
      followUpId,
      outcome: dto.outcome,
    }));
  }
}
