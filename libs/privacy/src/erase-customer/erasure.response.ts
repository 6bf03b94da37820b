import { ApiProperty } from '@nestjs/swagger';

export class ErasureResponse {
  @ApiProperty() customerId!: string;
  @ApiProperty({
    enum: ['erased', 'already_erased'],
    description: '`already_erased` on a repeat: the steps were checked again and nothing new was recorded',
  })
  status!: 'erased' | 'already_erased';
  @ApiProperty({ format: 'uuid', description: 'The CustomerErased event' }) eventId!: string;
  @ApiProperty({ description: 'Its position in the global log' }) globalPosition!: number;
  @ApiProperty({ format: 'date-time' }) erasedAt!: string;
  @ApiProperty({ format: 'date-time', description: 'When the data key was deleted' }) keyShreddedAt!: string;
  @ApiProperty({
    enum: ['scrubbed', 'pending'],
    description:
      '`scrubbed`: every projection applied the erasure and old read-model bytes were purged; ' +
      '`pending`: the projections had not caught up in time (repeat the call to finish)',
  })
  readModels!: 'scrubbed' | 'pending';
  @ApiProperty({
    type: () => [ErasureResponse],
    description:
      'The customers merged into this one (CustomersMerged), erased with it: their history counts as ' +
      'this customer’s, so their personal data goes too. Empty when none',
  })
  merged!: ErasureResponse[];
}
