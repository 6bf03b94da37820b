import { ApiProperty } from '@nestjs/swagger';
import { JOURNEY_STAGES, type SegmentMember, type SegmentPage, VALUE_TIERS } from '@crm/projections';
import { NULLABLE_INSTANT, ReadMetaResponse } from '../shared/read-meta.response';

class SegmentMemberResponse implements SegmentMember {
  @ApiProperty() customerId!: string;
  @ApiProperty({
    type: 'string',
    nullable: true,
    description: 'Decrypted from the event store for this page only; "[erased]" after erasure',
  })
  name!: string | null;
  @ApiProperty({ enum: ['person', 'company'] }) kind!: SegmentMember['kind'];
  @ApiProperty({ type: 'string', nullable: true }) segment!: string | null;
  @ApiProperty({ enum: JOURNEY_STAGES }) stage!: SegmentMember['stage'];
  @ApiProperty({ enum: ['active', 'lapsed'] }) status!: SegmentMember['status'];
  @ApiProperty({ enum: VALUE_TIERS }) valueTier!: SegmentMember['valueTier'];
  @ApiProperty({ type: 'number', description: 'Minor units' }) netRevenue!: number;
  @ApiProperty({ type: 'integer', minimum: 0 }) orders!: number;
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty(NULLABLE_INSTANT) lastPurchaseAt!: string | null;
}

/** GET /customers: a page of a segment. */
export class CustomerPageResponse implements SegmentPage {
  @ApiProperty({ type: [SegmentMemberResponse] }) items!: SegmentMemberResponse[];
  @ApiProperty({ type: 'string', nullable: true, description: 'Pass as cursor; null on the last page' })
  nextCursor!: string | null;
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}
