import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CustomerRegisteredData } from '@crm/domain';
import {
  Actor,
  metadataFromHeaders,
  RequestValidationError,
  validateDto,
  ApiErrorResponses,
  RequireRoles,
} from '@crm/platform';
import { dataFields, EventBuilder, newEventId } from '../shared/event-builder';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef, RecordedEventResponse } from '../shared/recorded-event.response';
import { RegisterCustomerCommand } from './register-customer.command';
import { recordingOptions } from '../shared/recording-options';
import { RegisterCustomerDto } from './register-customer.dto';

@ApiTags('ingestion')
@RequireRoles('ingest')
@Controller('customers')
export class RegisterCustomerController {
  constructor(
    private readonly commands: CommandBus,
    private readonly builder: EventBuilder,
  ) {}

  @Post()
  @ApiErrorResponses(400, 409, 410, 413, 415, 503)
  @HttpCode(201)
  @ApiBody({ type: RegisterCustomerDto })
  @ApiCreatedResponse({ type: RecordedEventResponse })
  async register(
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedEventResponse> {
    const validated = validateDto(RegisterCustomerDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    // Without a customerId, the id is the eventId's: a retried registration then lands on the
    // same stream and is recognised as a repeat instead of creating a second customer.
    const dto = Object.assign(validated.value, { eventId: validated.value.eventId ?? newEventId() });
    const customerId = dto.customerId ?? dto.eventId;
    const data = { ...dataFields(dto, ['eventId', 'occurredAt']), customerId } as CustomerRegisteredData;
    const built = this.builder.build('CustomerRegistered', dto, data, metadataFromHeaders(headers, actor));
    if (!built.ok) throw new RequestValidationError(built.details);
    const outcome = await this.commands.execute(
      new RegisterCustomerCommand(built.event, recordingOptions(built, undefined)),
    );
    const ref = onlyRef(outcome);
    if (ref.duplicate) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    void reply.header('location', `/customers/${encodeURIComponent(customerId)}`);
    return RecordedEventResponse.from(customerId, ref);
  }
}
