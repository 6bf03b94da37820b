import { Body, Controller, Get, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import {
  ApiErrorResponses,
  CLOCK,
  type Clock,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { FitPredictedValueDto } from './predicted-value.dto';
import { PredictedValueFits } from './predicted-value.fits';
import { fitResponse, PredictedValueFitResponse } from './predicted-value.response';

/** Fits BG/NBD and Gamma-Gamma over the purchase histories and serves the latest fit. */
@ApiTags('analytics')
@RequireRoles('analyst')
@Controller('analytics/predicted-value')
export class PredictedValueController {
  constructor(
    private readonly fits: PredictedValueFits,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('fit')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Fit the predicted-value models as of a calibration end',
    description:
      'BG/NBD (r, α, a, b) by maximum likelihood over every customer with a purchase before calibrationEnd, ' +
      'Gamma-Gamma (p, q, γ) over those with a repeat purchase day; stores the fit and every customer’s prediction ' +
      '(GET /customers/:id/scores, GET /customers?sort=-predictedValue read the latest). Deterministic for the same log and calibrationEnd.',
  })
  @ApiBody({ type: FitPredictedValueDto, required: true, description: '`{}` fits as of now, in days' })
  @ApiErrorResponses(400, 415, 422)
  @ApiOkResponse({ type: PredictedValueFitResponse })
  async fit(@Body() body: unknown): Promise<PredictedValueFitResponse> {
    const validated = validateDto(FitPredictedValueDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const { calibrationEnd, unit } = validated.value;
    const end = calibrationEnd === undefined ? this.clock.now() : new Date(calibrationEnd);
    return fitResponse(await this.fits.fit({ calibrationEnd: end.toISOString(), unit: unit ?? 'day' }));
  }

  @Get('fits/latest')
  @ApiOperation({ summary: 'The latest fit (404 PREDICTED_VALUE.NO_FIT before the first)' })
  @ApiErrorResponses(404)
  @ApiOkResponse({ type: PredictedValueFitResponse })
  async latest(): Promise<PredictedValueFitResponse> {
    return fitResponse(await this.fits.latest());
  }
}
