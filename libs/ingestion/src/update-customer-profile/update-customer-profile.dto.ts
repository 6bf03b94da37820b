import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsString, Length, Matches } from 'class-validator';
import { IsOmittable, IsOmittableOrNull } from '@crm/platform';
import { IsFlatAttributes, PHONE_PATTERN, PHONE_MESSAGE } from '../register-customer/register-customer.dto';
import { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IsVisibleText } from '@crm/platform';

type AttributeValue = string | number | boolean | null;

/**
 * PATCH /customers/:id: only the fields that change. A field set to `null`
 * is cleared; `name` cannot be cleared (a customer always has one); `kind`
 * and the id do not change. At least one field is required.
 */
export class UpdateCustomerProfileDto extends GuardedEventEnvelopeDto {
  @ApiPropertyOptional({ description: 'At least one visible character; cannot be cleared' })
  @IsOmittable()
  @IsString()
  @Length(1, 256)
  @IsVisibleText()
  name?: string;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'null clears it' })
  @IsOmittableOrNull()
  @IsEmail()
  @Length(3, 254)
  email?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'Any format; null clears it' })
  @IsOmittableOrNull()
  @IsString()
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'null clears it' })
  @IsOmittableOrNull()
  @IsString()
  @Length(1, 64)
  @IsVisibleText()
  segment?: string | null;

  @ApiPropertyOptional({ type: 'string', nullable: true, description: 'null clears it' })
  @IsOmittableOrNull()
  @IsString()
  @Length(1, 64)
  @IsVisibleText()
  acquisitionChannel?: string | null;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    nullable: true,
    description: 'Replaces the attributes as a whole; null clears them',
  })
  @IsOmittableOrNull()
  @IsFlatAttributes()
  attributes?: Record<string, AttributeValue> | null;
}
