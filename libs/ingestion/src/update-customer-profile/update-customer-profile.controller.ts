import { Body, Controller, Headers, HttpCode, Param, Patch, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import type { CustomerProfileUpdatedData } from '@crm/domain';
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
import { dataFields, EventBuilder } from '../shared/event-builder';
import { GUARDED_ENVELOPE_KEYS } from '../shared/expected-revision.dto';
import { recordingOptions } from '../shared/recording-options';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef, RecordedEventResponse } from '../shared/recorded-event.response';
import { UpdateCustomerProfileCommand } from './update-customer-profile.command';
import { UpdateCustomerProfileDto } from './update-customer-profile.dto';

@ApiTags('ingestion')
@RequireRoles('ingest')
@Controller('customers/:customerId')
export class UpdateCustomerProfileController {
  constructor(
    private readonly commands: CommandBus,
    private readonly builder: EventBuilder,
  ) {}

  @Patch()
  @ApiOperation({
    summary: 'Change profile fields (CustomerProfileUpdated)',
    description:
      'Records the fields the body names, and only those; `null` clears a field. A body naming no ' +
      'profile field is 400 (nothing to record). The server does not compare with the current ' +
      'profile: restating a value records it again, which changes no read model.',
  })
  @ApiCustomerIdParam()
  @ApiErrorResponses(400, 404, 409, 410, 413, 415, 503)
  @HttpCode(201)
  @ApiBody({ type: UpdateCustomerProfileDto })
  @ApiCreatedResponse({ type: RecordedEventResponse })
  async update(
    @Param('customerId') customerId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedEventResponse> {
    assertCustomerId(customerId);
    const validated = validateDto(UpdateCustomerProfileDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const dto = validated.value;
    const data = changedFields(dto);
    const built = this.builder.build(
      'CustomerProfileUpdated',
      dto,
      data,
      metadataFromHeaders(headers, actor),
    );
    if (!built.ok) throw new RequestValidationError(built.details);
    const command = new UpdateCustomerProfileCommand(
      customerId,
      built.event,
      recordingOptions(built, dto.expectedRevision),
    );
    const ref = onlyRef(await this.commands.execute(command));
    if (ref.duplicate) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    return RecordedEventResponse.from(customerId, ref);
  }
}

/** The profile fields of the body, nulls kept (they clear); none at all is a 400. */
function changedFields(dto: UpdateCustomerProfileDto): CustomerProfileUpdatedData {
  // dataFields keeps nulls: they are the clearing statements.
  const data = dataFields(dto, GUARDED_ENVELOPE_KEYS);
  if (Object.keys(data).length === 0) {
    throw new RequestValidationError([
      {
        field: '(body)',
        code: 'noProfileField',
        message:
          'name at least one profile field to change: name, email, phone, segment, acquisitionChannel or attributes',
      },
    ]);
  }
  return data;
}
