import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
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
import { assertCustomerId } from '../shared/customer-id';
import { EventBuilder } from '../shared/event-builder';
import { recordingOptions } from '../shared/recording-options';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef, RecordedEventResponse } from '../shared/recorded-event.response';
import { ChangeConsentCommand } from './change-consent.command';
import { ChangeConsentDto } from './change-consent.dto';

@ApiTags('ingestion')
@RequireRoles('ingest')
@Controller('customers/:customerId/consents')
export class ChangeConsentController {
  constructor(
    private readonly commands: CommandBus,
    private readonly builder: EventBuilder,
  ) {}

  @Post()
  @ApiOperation({
    summary: 'Grant or withdraw a consent (ConsentChanged)',
    description: 'The latest statement per purpose (by occurredAt) is the consent; none means not granted.',
  })
  @ApiCustomerIdParam()
  @ApiErrorResponses(400, 404, 409, 410, 413, 415, 503)
  @HttpCode(201)
  @ApiBody({ type: ChangeConsentDto })
  @ApiCreatedResponse({ type: RecordedEventResponse })
  async change(
    @Param('customerId') customerId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedEventResponse> {
    assertCustomerId(customerId);
    const validated = validateDto(ChangeConsentDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const dto = validated.value;
    const data = { purpose: dto.purpose, granted: dto.granted };
    const built = this.builder.build('ConsentChanged', dto, data, metadataFromHeaders(headers, actor));
    if (!built.ok) throw new RequestValidationError(built.details);
    const command = new ChangeConsentCommand(
      customerId,
      built.event,
      recordingOptions(built, dto.expectedRevision),
    );
    const ref = onlyRef(await this.commands.execute(command));
    if (ref.duplicate) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    return RecordedEventResponse.from(customerId, ref);
  }
}
