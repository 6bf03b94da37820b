import { ApiProperty } from '@nestjs/swagger';
import { CRM_EVENT_TYPES } from '@crm/domain';
import type { Page } from '@crm/read-store';
import type { CreatedWebhook, DeliveryView, WebhookView } from './webhook-admin';
import { WEBHOOK_DELIVERY_STATUSES } from './webhook.documents';

export class WebhookResponse implements WebhookView {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() url!: string;
  @ApiProperty({ enum: CRM_EVENT_TYPES, isArray: true, nullable: true, description: 'null: every type' })
  eventTypes!: readonly string[] | null;
  @ApiProperty({ type: 'string', nullable: true }) description!: string | null;
  @ApiProperty({ enum: ['active', 'paused'] }) status!: 'active' | 'paused';
  @ApiProperty({
    type: 'string',
    nullable: true,
    description:
      'Why it is paused: by an admin, or by the worker after failing for WEBHOOK_AUTO_PAUSE_AFTER_MS',
  })
  pausedReason!: string | null;
  @ApiProperty({ type: 'string', format: 'date-time', nullable: true }) pausedAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Deliveries start after this log position' })
  startAfter!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The last log position dealt with' })
  checkpoint!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Log events after the checkpoint (an upper bound)',
  })
  lagEvents!: number;
  @ApiProperty({ type: 'integer', minimum: 0, description: 'Deliveries parked after failing every attempt' })
  parked!: number;
  @ApiProperty({
    type: 'integer',
    minimum: 0,
    description: 'Deliveries held behind a parked one of their customer',
  })
  held!: number;
  @ApiProperty({
    type: 'string',
    format: 'date-time',
    nullable: true,
    description: 'Since when every delivery has failed; null while deliveries go through',
  })
  failingSince!: string | null;
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreatedWebhookResponse extends WebhookResponse implements CreatedWebhook {
  @ApiProperty({
    example: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
    description: 'The signing secret, shown this once: store it where the receiver verifies signatures',
  })
  secret!: string;
}

export class WebhookListResponse {
  @ApiProperty({ type: [WebhookResponse] }) items!: WebhookResponse[];
}

export class WebhookDeliveryResponse implements DeliveryView {
  @ApiProperty({ format: 'uuid' }) subscriptionId!: string;
  @ApiProperty({ format: 'uuid', description: 'Also the webhook-id header of its requests' })
  eventId!: string;
  @ApiProperty({ type: 'integer', minimum: 1 }) eventPosition!: number;
  @ApiProperty() streamId!: string;
  @ApiProperty({ type: 'integer', minimum: 0 }) revision!: number;
  @ApiProperty() type!: string;
  @ApiProperty({ enum: WEBHOOK_DELIVERY_STATUSES }) status!: DeliveryView['status'];
  @ApiProperty({ type: 'integer', minimum: 0 }) attempts!: number;
  @ApiProperty({
    description: 'Parked while the target failed everything: retried by the worker once it answers',
  })
  targetDown!: boolean;
  @ApiProperty({ type: 'string', nullable: true }) lastError!: string | null;
  @ApiProperty({ type: 'integer', nullable: true, description: 'null: no response (refused, timed out)' })
  lastStatusCode!: number | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class WebhookDeliveryPageResponse implements Page<DeliveryView> {
  @ApiProperty({ type: [WebhookDeliveryResponse] }) items!: WebhookDeliveryResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor; null on the last page' })
  nextCursor!: string | null;
}
