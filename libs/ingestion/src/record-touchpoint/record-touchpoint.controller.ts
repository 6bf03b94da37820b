import { Body, Controller, Headers, HttpCode, Param, Post, Res } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiCreatedResponse, ApiExtraModels, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import {
  Actor,
  ApiCustomerIdParam,
  ApiErrorResponses,
  metadataFromHeaders,
  RequestValidationError,
  RequireRoles,
} from '@crm/platform';
import { assertCustomerId } from '../shared/customer-id';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef, RecordedEventResponse } from '../shared/recorded-event.response';
import { RecordTouchpointCommand } from './record-touchpoint.command';
import { TouchpointRequestParser } from './touchpoint-request.parser';
import { TOUCHPOINT_DTOS } from './touchpoint.dto';

const TOUCHPOINT_MODELS = Object.values(TOUCHPOINT_DTOS);

@ApiTags('ingestion')
@ApiExtraModels(...TOUCHPOINT_MODELS)
@RequireRoles('ingest')
@Controller('customers/:customerId/touchpoints')
export class RecordTouchpointController {
  constructor(
    private readonly commands: CommandBus,
    private readonly parser: TouchpointRequestParser,
  ) {}

  @Post()
  @ApiCustomerIdParam()
  @ApiErrorResponses(400, 404, 409, 410, 413, 415, 422, 503)
  @HttpCode(201)
  @ApiBody({
    description: 'One touchpoint; `type` selects the shape (the event catalogue)',
    schema: {
      oneOf: TOUCHPOINT_MODELS.map((model) => ({ $ref: getSchemaPath(model) })),
      discriminator: {
        propertyName: 'type',
        mapping: Object.fromEntries(
          Object.entries(TOUCHPOINT_DTOS).map(([type, model]) => [type, getSchemaPath(model)]),
        ),
      },
    },
  })
  @ApiCreatedResponse({ type: RecordedEventResponse })
  async record(
    @Param('customerId') customerId: string,
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<RecordedEventResponse> {
    assertCustomerId(customerId);
    const parsed = this.parser.parse(body, metadataFromHeaders(headers, actor));
    if (!parsed.ok) throw new RequestValidationError(parsed.details);
    if (parsed.value.customerId !== undefined && parsed.value.customerId !== customerId) {
      throw new RequestValidationError([
        {
          field: 'customerId',
          code: 'mismatch',
          message: 'customerId in the body differs from the one in the path',
        },
      ]);
    }
    const outcome = await this.commands.execute(new RecordTouchpointCommand(customerId, parsed.value));
    const ref = onlyRef(outcome);
    if (ref.duplicate) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    return RecordedEventResponse.from(customerId, ref);
  }
}
