import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  IsEmail,
  IsIn,
  IsString,
  Length,
  Matches,
  ValidateBy,
  type ValidationArguments,
} from 'class-validator';
import { EventEnvelopeDto } from '../shared/event-envelope.dto';
import { CUSTOMER_ID_PATTERN } from '../shared/customer-id';
import { IsVisibleText } from '@crm/platform';
import { IsOmittable } from '@crm/platform';

type AttributeValue = string | number | boolean | null;

export function IsFlatAttributes(): PropertyDecorator {
  return ValidateBy({
    name: 'flatAttributes',
    validator: {
      validate(value: unknown): boolean {
        if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
        const entries = Object.entries(value);
        return (
          entries.length <= 100 &&
          entries.every(
            ([key, item]) =>
              key.length <= 64 &&
              (item === null || ['string', 'number', 'boolean'].includes(typeof item)) &&
              (typeof item !== 'number' || Number.isFinite(item)) &&
              (typeof item !== 'string' || item.length <= 1000),
          )
        );
      },
      defaultMessage(_args?: ValidationArguments): string {
        return 'attributes is an object of at most 100 keys with string, number, boolean or null values';
      },
    },
  });
}

/** What a phone number may look like as sent; normalised to E.164 for identity keys when possible. */
export const PHONE_PATTERN = /^[+0-9()\-.\s]{3,32}$/;
export const PHONE_MESSAGE = 'phone has 3-32 digits, spaces, dots, dashes, parentheses or a leading +';

/** The profile fields, shared by registration and profile updates. */
export class CustomerProfileDto extends EventEnvelopeDto {
  @ApiPropertyOptional() @IsOmittable() @IsEmail() @Length(3, 254) email?: string;
  @ApiPropertyOptional({ description: 'Any format; normalised to E.164 in read models when possible' })
  @IsOmittable()
  @IsString()
  @Matches(PHONE_PATTERN, { message: PHONE_MESSAGE })
  phone?: string;
  @ApiPropertyOptional() @IsOmittable() @IsString() @Length(1, 64) @IsVisibleText() segment?: string;
  @ApiPropertyOptional()
  @IsOmittable()
  @IsString()
  @Length(1, 64)
  @IsVisibleText()
  acquisitionChannel?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @IsOmittable()
  @IsFlatAttributes()
  attributes?: Record<string, AttributeValue>;
}

export class RegisterCustomerDto extends CustomerProfileDto {
  @ApiPropertyOptional({ description: 'Your id for the customer; generated (UUID) when absent' })
  @IsOmittable()
  @IsString()
  @Matches(CUSTOMER_ID_PATTERN, { message: 'customerId is 1-128 characters of letters, digits and _.:@-' })
  customerId?: string;

  @ApiProperty({ enum: ['person', 'company'] }) @IsIn(['person', 'company']) kind!: 'person' | 'company';
  @ApiProperty({ description: 'At least one visible character; no control characters' })
  @IsString()
  @Length(1, 256)
  @IsVisibleText()
  name!: string;
}
