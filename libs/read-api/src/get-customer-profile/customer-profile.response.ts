import { ApiProperty } from '@nestjs/swagger';
import { ERASED_VALUE } from '@crm/domain';
import { JOURNEY_STAGES, type JourneyStage, VALUE_TIERS, type ValueTier } from '@crm/projections';
import { FollowUpItemResponse } from '../list-follow-ups/follow-up-item.response';
import { NULLABLE_INSTANT, OPEN_OBJECT, ReadMetaResponse } from '../shared/read-meta.response';

const NULLABLE_STRING = { type: 'string', nullable: true } as const;

class ProfileFieldsResponse {
  @ApiProperty({ ...NULLABLE_STRING, description: '`[erased]` after erasure' }) name!: string | null;
  @ApiProperty(NULLABLE_STRING) email!: string | null;
  @ApiProperty(NULLABLE_STRING) phone!: string | null;
  @ApiProperty(NULLABLE_STRING) segment!: string | null;
  @ApiProperty(NULLABLE_STRING) acquisitionChannel!: string | null;
  @ApiProperty({
    oneOf: [OPEN_OBJECT, { type: 'string', enum: [ERASED_VALUE] }],
    nullable: true,
    description: 'An object; the string `"[erased]"` after erasure',
  })
  attributes!: unknown;
}

class ConsentResponse {
  @ApiProperty() granted!: boolean;
  @ApiProperty({ format: 'date-time', description: 'occurredAt of the latest ConsentChanged' })
  changedAt!: string;
}

class IdentityKeysResponse {
  @ApiProperty({ ...NULLABLE_STRING, description: 'Trimmed and lower-cased' }) email!: string | null;
  @ApiProperty({ ...NULLABLE_STRING, description: 'E.164; null without a country code' })
  phone!: string | null;
}

/** GET /customers/:id: the current profile, consents, identity keys, stage and tier. */
export class CustomerProfileResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({ enum: ['person', 'company'] }) kind!: 'person' | 'company';
  @ApiProperty({ format: 'date-time' }) registeredAt!: string;
  @ApiProperty(NULLABLE_INSTANT) erasedAt!: string | null;
  @ApiProperty({ type: ProfileFieldsResponse, description: 'Decrypted; `[erased]` after erasure' })
  profile!: ProfileFieldsResponse;
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: '#/components/schemas/ConsentResponse' },
    description: 'Per purpose, the latest statement; a purpose not listed is not granted',
  })
  consents!: Record<string, ConsentResponse>;
  @ApiProperty({ type: IdentityKeysResponse }) identityKeys!: IdentityKeysResponse;
  @ApiProperty({
    enum: JOURNEY_STAGES,
    nullable: true,
    description: 'null until projected (pass minPosition)',
  })
  stage!: JourneyStage | null;
  @ApiProperty({ enum: VALUE_TIERS, nullable: true, description: 'null until projected (pass minPosition)' })
  valueTier!: ValueTier | null;
  @ApiProperty({
    type: [FollowUpItemResponse],
    description:
      'Open follow-ups (a merged customer’s included), sorted by dueAt; `overdue` when dueAt < meta.asOf; [] until projected (pass minPosition)',
  })
  openFollowUps!: FollowUpItemResponse[];
  @ApiProperty({ type: ReadMetaResponse }) meta!: ReadMetaResponse;
}

export { ConsentResponse };
