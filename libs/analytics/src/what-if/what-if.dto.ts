import { ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  IsInt,
  IsISO8601,
  IsObject,
  IsNumber,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
  type ValidationArguments,
} from 'class-validator';
import { IsOmittable } from '@crm/platform';

/** Where value tiers start, as L/N on netRevenue among the purchasers (today 0.8 and 0.3). */
export class ValueTierCutoffsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.8 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  mvc!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 1, default: 0.3 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(1)
  @ValidateBy({
    name: 'notAboveMvc',
    validator: {
      validate: (core: unknown, args?: ValidationArguments) =>
        typeof core !== 'number' || core <= (args?.object as ValueTierCutoffsDto).mvc,
      defaultMessage: () => 'core must not be above mvc',
    },
  })
  core!: number;
}

/** How much each RFM score weighs in the differentiation score (today 1, 1, 1). */
export class RfmWeightsDto {
  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  recency!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  frequency!: number;

  @ApiPropertyOptional({ minimum: 0, maximum: 100, default: 1 })
  @IsNumber({ allowNaN: false, allowInfinity: false })
  @Min(0)
  @Max(100)
  @ValidateBy({
    name: 'someWeight',
    validator: {
      validate: (monetary: unknown, args?: ValidationArguments) => {
        const weights = args?.object as RfmWeightsDto;
        return typeof monetary !== 'number' || weights.recency + weights.frequency + monetary > 0;
      },
      defaultMessage: () => 'at least one weight must be above 0',
    },
  })
  monetary!: number;
}

/** POST /analytics/what-if: every parameter optional; what is left out keeps today's value. */
export class WhatIfDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Score the history as of this instant; default now',
  })
  @IsOmittable()
  @IsISO8601({ strict: true, strictSeparator: true })
  asOf?: string;

  @ApiPropertyOptional({ type: ValueTierCutoffsDto })
  @IsOmittable()
  // ValidateNested alone takes an array (it validates each element: none for []).
  @IsObject()
  @ValidateNested()
  @Type(() => ValueTierCutoffsDto)
  valueTierCutoffs?: ValueTierCutoffsDto;

  @ApiPropertyOptional({ type: RfmWeightsDto })
  @IsOmittable()
  @IsObject()
  @ValidateNested()
  @Type(() => RfmWeightsDto)
  rfmWeights?: RfmWeightsDto;

  @ApiPropertyOptional({ minimum: 1, maximum: 3650, description: 'Days without a purchase before lapsed' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3650)
  churnWindowDays?: number;

  @ApiPropertyOptional({
    minimum: 1,
    maximum: 3650,
    description:
      'Also expect purchases and value over this many days after the latest predicted-value fit’s calibration end (`horizon` in the answer)',
  })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(3650)
  horizonDays?: number;

  @ApiPropertyOptional({ minimum: 1, maximum: 10_000, default: 1000, description: 'Customers per page' })
  @IsOmittable()
  @IsInt()
  @Min(1)
  @Max(10_000)
  limit?: number;

  @ApiPropertyOptional({ minimum: 0, default: 0, description: 'nextOffset of the previous page' })
  @IsOmittable()
  @IsInt()
  @Min(0)
  offset?: number;
}
