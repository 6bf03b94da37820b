import { ApiProperty } from '@nestjs/swagger';
import type { ReadMeta } from './read-consistency';

/** `meta` of every live read: how fresh the answer is. */
export class ReadMetaResponse implements ReadMeta {
  @ApiProperty({ type: 'integer', minimum: 0, description: 'The log position the read models reflect' })
  position!: number;

  @ApiProperty({ format: 'date-time', description: 'The instant time-dependent figures were evaluated at' })
  asOf!: string;
}

/** A nullable instant. */
export const NULLABLE_INSTANT = { type: 'string', format: 'date-time', nullable: true } as const;
/** A nullable number. */
export const NULLABLE_NUMBER = { type: 'number', nullable: true } as const;
/** An object whose keys the document does not enumerate. */
export const OPEN_OBJECT = { type: 'object', additionalProperties: true } as const;
