import { Body, Controller, Headers, HttpCode, Inject, Post } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  Actor,
  ApiError,
  APP_CONFIG,
  type AppConfig,
  metadataFromHeaders,
  RequestValidationError,
  ApiErrorResponses,
  RequireRoles,
} from '@crm/platform';
import { CUSTOMER_ID_PATTERN } from '../shared/customer-id';
import { TouchpointRequestParser } from '../record-touchpoint/touchpoint-request.parser';
import { BatchResponse } from './batch-result';
import { type BatchItem, RecordTouchpointBatchCommand } from './record-touchpoint-batch.command';

@ApiTags('ingestion')
@RequireRoles('ingest')
@Controller('touchpoints/batch')
export class RecordTouchpointBatchController {
  constructor(
    private readonly commands: CommandBus,
    private readonly parser: TouchpointRequestParser,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Post()
  @ApiErrorResponses(400, 413, 415, 503)
  @HttpCode(200)
  @ApiBody({
    description:
      'Up to MAX_BATCH_ITEMS (default 1,000) touchpoints, each with its customerId. All-or-nothing per customer stream; every item gets a result.',
    schema: {
      type: 'object',
      required: ['items'],
      properties: {
        items: {
          type: 'array',
          minItems: 1,
          // Each item is validated on its own: an invalid one is reported in `rejected` (200), not a 400.
          items: {
            description: 'A touchpoint (see POST /customers/{customerId}/touchpoints) with its customerId',
          },
          description: 'More than MAX_BATCH_ITEMS is a 413',
        },
      },
    },
  })
  @ApiOkResponse({ type: BatchResponse })
  async record(
    @Body() body: unknown,
    @Headers() headers: Record<string, string | undefined>,
    @Actor() actor: string,
  ): Promise<BatchResponse> {
    const items = this.itemsOf(body);
    const metadata = metadataFromHeaders(headers, actor);
    const batch = items.map((raw, index): BatchItem => {
      const field = `items[${index}]`;
      const parsed = this.parser.parse(raw, metadata, field);
      const customerId = parsed.ok ? parsed.value.customerId : undefined;
      if (!parsed.ok) return { index, customerId: rawCustomerId(raw), invalid: parsed.details };
      if (customerId === undefined || !CUSTOMER_ID_PATTERN.test(customerId)) {
        const message = 'each item names its customerId (letters, digits and _.:@-)';
        return {
          index,
          customerId,
          invalid: [{ field: `${field}.customerId`, code: 'customerIdRequired', message }],
        };
      }
      if (parsed.value.expectedRevision !== undefined) {
        const message = 'expectedRevision is not supported in a batch; use POST /customers/:id/touchpoints';
        return {
          index,
          customerId,
          invalid: [{ field: `${field}.expectedRevision`, code: 'notSupported', message }],
        };
      }
      return { index, customerId, event: parsed.value.event, serverTimed: parsed.value.serverTimed };
    });
    return BatchResponse.from(await this.commands.execute(new RecordTouchpointBatchCommand(batch)));
  }

  private itemsOf(body: unknown): unknown[] {
    const isObject = typeof body === 'object' && body !== null && !Array.isArray(body);
    const items = isObject ? (body as { items?: unknown }).items : undefined;
    if (!Array.isArray(items) || items.length === 0) {
      throw new RequestValidationError([
        { field: 'items', code: 'isArray', message: 'items is a non-empty array' },
      ]);
    }
    // Unknown fields are refused, as on every other body (the whole batch: nothing is written).
    const unknown = Object.keys(body as object).filter((key) => key !== 'items');
    if (unknown.length > 0) {
      throw new RequestValidationError(
        unknown.map((field) => ({
          field,
          code: 'whitelistValidation',
          message: `property ${field} should not exist`,
        })),
      );
    }
    if (items.length > this.config.maxBatchItems) {
      throw new ApiError(
        413,
        'BATCH.TOO_MANY_ITEMS',
        `A batch holds at most ${this.config.maxBatchItems} items`,
        [{ field: 'items', code: 'arrayMaxSize', message: `got ${items.length} items` }],
      );
    }
    return items;
  }
}

function rawCustomerId(raw: unknown): string | undefined {
  const value =
    typeof raw === 'object' && raw !== null ? (raw as { customerId?: unknown }).customerId : undefined;
  return typeof value === 'string' && CUSTOMER_ID_PATTERN.test(value) ? value : undefined;
}
