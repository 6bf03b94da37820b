import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CustomersMerged } from '@crm/domain';
import {
  Actor,
  ApiCustomerIdParam,
  ApiErrorResponses,
  metadataFromHeaders,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { assertCustomerId } from '../shared/customer-id';
import { EventBuilder } from '../shared/event-builder';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef } from '../shared/recorded-event.response';
import { MergeCustomersCommand } from './merge-customers.command';
import { MergeCustomersDto } from './merge-customers.dto';
import { MergeCustomersResponse } from './merge-customers.response';
import { mergedSideEventId } from './merged-side-event-id';

@ApiTags('ingestion')
@RequireRoles('ingest')
@Controller('customers/:customerId/merge')
export class MergeCustomersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly builder: EventBuilder,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Merge a duplicate into this customer (CustomersMerged on both streams)',
    description:
      'The path’s customer survives; `mergedId`’s history counts as the survivor’s in the journey, IDIC ' +
      'and KPIs from then on, and commands to `mergedId` are refused with 409 CUSTOMER.MERGED naming ' +
      'the survivor. Both customers must exist (404), neither erased (410) nor merged already (409 ' +
      'CUSTOMER.MERGED), and they must differ (422 MERGE.SAME_CUSTOMER); on any refusal nothing is written. ' +
      'The survivor keeps its profile and consents; the registration counted is the earlier of the two.',
  })
  @ApiCustomerIdParam()
  @ApiErrorResponses(400, 404, 409, 410, 413, 415, 422, 503)
  @HttpCode(201)
  @ApiBody({ type: MergeCustomersDto })
  @ApiCreatedResponse({ type: MergeCustomersResponse })
  async merge(
    @Param('customerId') customerId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<MergeCustomersResponse> {
    assertCustomerId(customerId);
    const validated = validateDto(MergeCustomersDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const dto = validated.value;
    const data = { survivorId: customerId, mergedId: dto.mergedId };
    const built = this.builder.build('CustomersMerged', dto, data, metadataFromHeaders(headers, actor));
    if (!built.ok) throw new RequestValidationError(built.details);
    const survivor = built.event;
    const merged: CustomersMerged = {
      ...survivor,
      eventId: mergedSideEventId(survivor.eventId),
      metadata: { ...survivor.metadata, causationId: survivor.eventId },
    };
    const serverTimed = built.serverTimed ? new Set([survivor.eventId, merged.eventId]) : undefined;
    const outcome = await this.commands.execute(
      new MergeCustomersCommand(
        { survivor, merged },
        { expectedRevision: dto.expectedRevision, serverTimed },
      ),
    );
    if (onlyRef(outcome.survivor).duplicate) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    return MergeCustomersResponse.from(outcome);
  }
}
