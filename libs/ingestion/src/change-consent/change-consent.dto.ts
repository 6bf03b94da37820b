import { ApiProperty } from '@nestjs/swagger';
import { IsBoolean, IsString, Matches } from 'class-validator';
import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';

/**
 * Purposes are stored in clear (docs/privacy.md), so they are identifiers,
 * not free text that could carry personal data.
 */
export const CONSENT_PURPOSE_PATTERN = /^[a-z][a-z0-9_.:-]{0,63}$/;

/** POST /customers/:id/consents: one purpose granted or withdrawn. */
export class ChangeConsentDto extends GuardedEventEnvelopeDto {
  @ApiProperty({
    pattern: CONSENT_PURPOSE_PATTERN.source,
    example: 'marketing_email',
    description:
      'What the consent is for; `marketing_email` is the one marketingConsentShare counts. ' +
      'Lower-case letters, digits and _.:- (it is stored in clear)',
  })
  @IsString()
  @Matches(CONSENT_PURPOSE_PATTERN, {
    message: 'purpose is 1-64 lower-case letters, digits and _.:-, starting with a letter',
  })
  purpose!: string;

  @ApiProperty({ description: 'true: granted; false: withdrawn (or refused)' })
  @IsBoolean()
  granted!: boolean;
}
