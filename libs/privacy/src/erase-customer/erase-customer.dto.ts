import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches } from 'class-validator';
import { IsOmittable } from '@crm/platform';

/**
 * Codes, not prose: the CustomerErased event is not encrypted, so free text
 * (which could name the person) has no place in it.
 */
const REFERENCE = /^[A-Za-z0-9][A-Za-z0-9_.:/#-]{0,63}$/;
const REFERENCE_MESSAGE =
  'a reference of 1-64 letters, digits and _.:/#- (no free text: it is not encrypted)';

export class EraseCustomerDto {
  @ApiPropertyOptional({ example: 'gdpr-art-17', description: 'Why, as a code; stored unencrypted' })
  @IsOmittable()
  @IsString()
  @Matches(REFERENCE, { message: `reason is ${REFERENCE_MESSAGE}` })
  reason?: string;

  @ApiPropertyOptional({
    example: 'DSR-2026-0042',
    description: 'The request or ticket reference, not a name',
  })
  @IsOmittable()
  @IsString()
  @Matches(REFERENCE, { message: `requestedBy is ${REFERENCE_MESSAGE}` })
  requestedBy?: string;
}
