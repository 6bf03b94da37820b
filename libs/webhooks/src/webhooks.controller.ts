import { Body, Controller, Delete, Get, HttpCode, Param, Post, Query as QueryParam } from '@nestjs/common';
import {
  ApiBody,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiParam,
  ApiQuery,
  ApiTags,
} from '@nestjs/swagger';
import {
  ApiCursorQuery,
  ApiErrorResponses,
  ApiLimitQuery,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { choiceParam, integerParam, singleParam } from '@crm/read-api';
import { DEFAULT_LIMIT, MAX_LIMIT } from '@crm/read-store';
import { WebhookAdmin } from './webhook-admin';
import { CreateWebhookDto } from './webhook.dto';
import { WEBHOOK_DELIVERY_STATUSES } from './webhook.documents';
import {
  CreatedWebhookResponse,
  WebhookDeliveryPageResponse,
  WebhookDeliveryResponse,
  WebhookListResponse,
  WebhookResponse,
} from './webhook.response';

const ID = ApiParam({ name: 'id', description: 'The subscription id, as created' });
const EVENT_ID = ApiParam({ name: 'eventId', description: 'The event id of the delivery (its webhook-id)' });

@ApiTags('admin')
@RequireRoles('admin')
@Controller('admin/webhooks')
export class WebhooksController {
  constructor(private readonly webhooks: WebhookAdmin) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    summary: 'Subscribe a URL to the log',
    description:
      'Each event (of the given types) is POSTed to the URL, signed in the Standard Webhooks format, at least once and in order per customer. The secret is in this response only.',
  })
  @ApiErrorResponses(400)
  @ApiBody({ type: CreateWebhookDto })
  @ApiCreatedResponse({ type: CreatedWebhookResponse })
  async create(@Body() body: unknown): Promise<CreatedWebhookResponse> {
    const validated = validateDto(CreateWebhookDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    return this.webhooks.create(validated.value);
  }

  @Get()
  @ApiOkResponse({ type: WebhookListResponse, description: 'Every subscription, without secrets' })
  async list(): Promise<WebhookListResponse> {
    return { items: await this.webhooks.list() };
  }

  @Get(':id')
  @ApiErrorResponses(404)
  @ID
  @ApiOkResponse({ type: WebhookResponse })
  get(@Param('id') id: string): Promise<WebhookResponse> {
    return this.webhooks.get(id);
  }

  @Post(':id/pause')
  @HttpCode(200)
  @ApiErrorResponses(404)
  @ID
  @ApiOkResponse({ type: WebhookResponse, description: 'Paused: nothing is sent until it is resumed' })
  pause(@Param('id') id: string): Promise<WebhookResponse> {
    return this.webhooks.pause(id);
  }

  @Post(':id/resume')
  @HttpCode(200)
  @ApiErrorResponses(404)
  @ID
  @ApiOkResponse({ type: WebhookResponse, description: 'Active again, from where it stopped' })
  resume(@Param('id') id: string): Promise<WebhookResponse> {
    return this.webhooks.resume(id);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiErrorResponses(404)
  @ID
  @ApiNoContentResponse({ description: 'Deleted, with its pending deliveries and checkpoint' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.webhooks.delete(id);
  }

  @Get(':id/deliveries')
  @ApiErrorResponses(400, 404)
  @ID
  @ApiQuery({ name: 'status', required: false, enum: WEBHOOK_DELIVERY_STATUSES })
  @ApiCursorQuery()
  @ApiLimitQuery(MAX_LIMIT, DEFAULT_LIMIT)
  @ApiOkResponse({
    type: WebhookDeliveryPageResponse,
    description:
      'Deliveries that did not go through in order (parked, held, retrying, skipped), by log position',
  })
  deliveries(
    @Param('id') id: string,
    @QueryParam('status') status?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('limit') limit?: string,
  ): Promise<WebhookDeliveryPageResponse> {
    return this.webhooks.deliveries(id, {
      status: choiceParam('status', status, WEBHOOK_DELIVERY_STATUSES),
      cursor: singleParam('cursor', cursor),
      limit: integerParam('limit', limit, DEFAULT_LIMIT, 1, MAX_LIMIT),
    });
  }

  @Post(':id/deliveries/:eventId/retry')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ID
  @EVENT_ID
  @ApiOkResponse({
    type: WebhookDeliveryResponse,
    description: "Retrying: the worker sends it again, then the customer's held deliveries",
  })
  retry(@Param('id') id: string, @Param('eventId') eventId: string): Promise<WebhookDeliveryResponse> {
    return this.webhooks.retry(id, eventId);
  }

  @Post(':id/deliveries/:eventId/skip')
  @HttpCode(200)
  @ApiErrorResponses(404, 409)
  @ID
  @EVENT_ID
  @ApiOkResponse({
    type: WebhookDeliveryResponse,
    description: "Skipped: never sent; the customer's held deliveries go on",
  })
  skip(@Param('id') id: string, @Param('eventId') eventId: string): Promise<WebhookDeliveryResponse> {
    return this.webhooks.skip(id, eventId);
  }
}
