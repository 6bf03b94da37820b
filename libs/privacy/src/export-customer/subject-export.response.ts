import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export class ExportedEventView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty() type!: string;
  @ApiProperty() version!: number;
  @ApiProperty() streamRevision!: number;
  @ApiProperty() globalPosition!: number;
  @ApiProperty({ format: 'date-time' }) occurredAt!: string;
  @ApiProperty({ format: 'date-time' }) recordedAt!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'Decrypted; "[erased]" after erasure',
  })
  data!: Record<string, unknown>;
  @ApiProperty({ type: 'object', additionalProperties: true }) metadata!: Record<string, unknown>;
}

export class ExportedProfileView {
  @ApiProperty({ enum: ['person', 'company'] }) kind!: string;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: 'The latest value of every profile field',
  })
  fields!: Record<string, unknown>;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'boolean' },
    description: 'Latest consent per purpose',
  })
  consents!: Record<string, boolean>;
}

export class ExportedErasureView {
  @ApiProperty({ format: 'uuid' }) eventId!: string;
  @ApiProperty({ format: 'date-time' }) erasedAt!: string;
}

export class ExportedDataKeyView {
  @ApiProperty({ enum: ['active', 'shredded', 'none'], description: 'Never the key itself' })
  state!: 'active' | 'shredded' | 'none';
  @ApiPropertyOptional({ format: 'date-time' }) createdAt?: string;
  @ApiPropertyOptional({ format: 'date-time' }) shreddedAt?: string;
}

export class ExportedReadModelsView {
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) journey!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true }) idic!: Record<
    string,
    unknown
  > | null;
  @ApiProperty({ type: 'object', additionalProperties: true, nullable: true })
  kpiFacts!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Blind index entries (HMACs) of the email, phone and name prefixes; null after erasure',
  })
  identityIndex!: Record<string, unknown> | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Campaign interactions, purchases and refunds, latest consent per purpose, erased flag',
  })
  campaignFacts!: Record<string, unknown> | null;
  @ApiProperty({ type: 'array', items: { type: 'object', additionalProperties: true } })
  deadLetters!: Record<string, unknown>[];
}

/** Everything the product holds about one customer, and nothing about anyone else. */
export class SubjectExportResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ format: 'date-time' }) exportedAt!: string;
  @ApiProperty({ type: ExportedProfileView }) profile!: ExportedProfileView;
  @ApiProperty({ type: ExportedErasureView, nullable: true }) erased!: ExportedErasureView | null;
  @ApiProperty({ type: ExportedDataKeyView }) dataKey!: ExportedDataKeyView;
  @ApiProperty({ type: [ExportedEventView], description: 'Every event of the customer, in stream order' })
  events!: ExportedEventView[];
  @ApiProperty({ type: ExportedReadModelsView, description: 'The projection documents as stored' })
  readModels!: ExportedReadModelsView;
}
