import { Body, Controller, HttpCode, Inject, Post } from '@nestjs/common';
import { ApiBody, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiErrorResponses,
  CLOCK,
  type Clock,
  isValidInstant,
  RequestValidationError,
  RequireRoles,
  validateDto,
} from '@crm/platform';
import { DEFAULT_RFM_WEIGHTS, DEFAULT_VALUE_TIER_CUTOFFS, PortfolioQueries } from '@crm/projections';
import { replayBudgetOf } from '../time-travel/replay-budget';
import { runWhatIf } from './what-if';
import { WhatIfDto } from './what-if.dto';
import { horizonOf } from './what-if-horizon';
import { WhatIfWithHorizonResponse } from './what-if.response';

const DEFAULT_PAGE = 1000;

/** Reruns IDIC scoring over the history with other parameters, into a scratch result; live models untouched. */
@ApiTags('analytics')
@Controller('analytics/what-if')
export class WhatIfController {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly portfolio: PortfolioQueries,
  ) {}

  @Post()
  @HttpCode(200)
  @RequireRoles('analyst')
  @ApiErrorResponses(400, 415, 422)
  @ApiBody({ type: WhatIfDto, required: true, description: 'Every field optional: `{}` reruns with today’s' })
  @ApiOkResponse({
    type: WhatIfWithHorizonResponse,
    description: '{ asOf, parameters, baseline, summary, items, total, nextOffset, position, horizon? }',
  })
  async run(@Body() body: unknown): Promise<WhatIfWithHorizonResponse> {
    // The body is required (an empty object keeps today's parameters): no body is a 400, as documented.
    const validated = validateDto(WhatIfDto, body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const dto = validated.value;
    if (dto.asOf !== undefined && !isValidInstant(dto.asOf)) {
      throw new RequestValidationError([
        { field: 'asOf', code: 'isISO8601', message: 'asOf is an ISO-8601 instant with an offset' },
      ]);
    }
    const live = this.config.projections.churnWindowDays;
    const result = await runWhatIf(
      this.events,
      {
        asOf: dto.asOf ?? this.clock.now().toISOString(),
        churnWindowDays: dto.churnWindowDays ?? live,
        scoring: {
          valueTierCutoffs: dto.valueTierCutoffs
            ? { mvc: dto.valueTierCutoffs.mvc, core: dto.valueTierCutoffs.core }
            : DEFAULT_VALUE_TIER_CUTOFFS,
          rfmWeights: dto.rfmWeights
            ? {
                recency: dto.rfmWeights.recency,
                frequency: dto.rfmWeights.frequency,
                monetary: dto.rfmWeights.monetary,
              }
            : DEFAULT_RFM_WEIGHTS,
        },
      },
      { churnWindowDays: live },
      { offset: dto.offset ?? 0, limit: dto.limit ?? DEFAULT_PAGE },
      replayBudgetOf(this.config),
    );
    if (dto.horizonDays === undefined) return result;
    const ids = result.items.map((item) => item.customerId);
    return { ...result, horizon: await horizonOf(this.portfolio, dto.horizonDays, ids) };
  }
}
