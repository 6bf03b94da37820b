import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, ValidateBy } from 'class-validator';
import { IsOmittable, isValidInstant } from '@crm/platform';

export const FIT_UNITS = ['day', 'week'] as const;

/** POST /analytics/predicted-value/fit: every field may be left out. */
export class FitPredictedValueDto {
  @ApiPropertyOptional({
    format: 'date-time',
    description: 'Calibration end t_end: purchases before it are fitted; default now',
  })
  @IsOmittable()
  @ValidateBy({
    name: 'isISO8601',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && isValidInstant(value),
      defaultMessage: () => 'calibrationEnd is an ISO-8601 instant with an offset, e.g. 2025-06-01T00:00:00Z',
    },
  })
  calibrationEnd?: string;

  @ApiPropertyOptional({
    enum: FIT_UNITS,
    default: 'day',
    description: 'Time unit of t_x, T and the parameters',
  })
  @IsOmittable()
  @IsIn(FIT_UNITS)
  unit?: (typeof FIT_UNITS)[number];
}
