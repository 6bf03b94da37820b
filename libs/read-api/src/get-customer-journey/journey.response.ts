import { ApiProperty } from '@nestjs/swagger';
import { TOUCHPOINT_CHANNELS, TOUCHPOINT_TYPES } from '@crm/domain';
import { JOURNEY_STAGES, type JourneyView } from '@crm/projections';
import {
  NULLABLE_INSTANT,
  NULLABLE_NUMBER,
  OPEN_OBJECT,
  ReadMetaResponse,
} from '../shared/read-meta.response';

class StageReachedResponse {
  @ApiProperty({ enum: JOURNEY_STAGES }) stage!: JourneyView['stage'];
  @ApiProperty({ format: 'date-time' }) reachedAt!: string;
}

class TimelineEntryResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: TOUCHPOINT_TYPES }) type!: string;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ type: 'integer' }) position!: number;
  @ApiProperty({ enum: TOUCHPOINT_CHANNELS, nullable: true }) channel!: string | null;
  @ApiProperty() inbound!: boolean;
  @ApiProperty({ enum: ['inbound', 'outbound'], nullable: true }) direction!: string | null;
  @ApiProperty({ ...OPEN_OBJECT, description: 'The facts of this touchpoint type' }) summary!: object;
}

class TimelinePageResponse {
  @ApiProperty({
    type: [TimelineEntryResponse],
    description: 'Touchpoints, newest first; each entry also carries its type’s facts',
  })
  items!: JourneyView['timeline']['items'];

  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor; null on the last page' })
  nextCursor!: string | null;
}

/** GET /customers/:id/journey and, with its own meta, the time-travel journey. */
export class JourneyViewResponse implements JourneyView {
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['person', 'company'] }) kind!: JourneyView['kind'];
  @ApiProperty({ type: 'string', nullable: true }) segment!: string | null;
  @ApiProperty({ format: 'date-time' }) asOf!: string;
  @ApiProperty({ enum: JOURNEY_STAGES }) stage!: JourneyView['stage'];
  @ApiProperty({ type: [StageReachedResponse] }) stageHistory!: JourneyView['stageHistory'];
  @ApiProperty({ enum: ['active', 'lapsed'] }) status!: JourneyView['status'];
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty(NULLABLE_INSTANT) firstTouchAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) lastTouchAt!: string | null;
  @ApiProperty({ type: 'integer', minimum: 0 }) touchpoints!: number;
  @ApiProperty({ ...OPEN_OBJECT, description: 'Touchpoints per channel' })
  touchpointsByChannel!: JourneyView['touchpointsByChannel'];
  @ApiProperty(NULLABLE_INSTANT) firstPurchaseAt!: string | null;
  @ApiProperty(NULLABLE_INSTANT) lastPurchaseAt!: string | null;
  @ApiProperty(NULLABLE_NUMBER) daysToConvert!: number | null;
  @ApiProperty({ type: TimelinePageResponse }) timeline!: JourneyView['timeline'];
}

export class CustomerJourneyResponse extends JourneyViewResponse {
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
