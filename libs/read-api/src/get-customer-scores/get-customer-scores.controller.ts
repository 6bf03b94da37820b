import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  ApiCustomerIdParam,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiMinPositionQuery,
  RequireRoles,
} from '@crm/platform';
import { CustomerProfiles, identityKeysOf, PortfolioQueries, ScoresQueries } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { missingCustomer } from '../shared/merged-customer';
import { parseAsOf } from '../shared/query-params';
import { awaitPosition } from '../shared/read-consistency';
import { CustomerScoresResponse } from './scores.response';

@ApiTags('read models')
@RequireRoles('read')
@Controller('customers/:customerId/scores')
export class GetCustomerScoresController {
  constructor(
    private readonly scores: ScoresQueries,
    private readonly profiles: CustomerProfiles,
    private readonly portfolio: PortfolioQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiErrorResponses(400, 404, 409, 503)
  @ApiCustomerIdParam()
  @ApiInstantQuery('asOf', 'Instant for recency and 90-day figures; default now')
  @ApiMinPositionQuery()
  @ApiOkResponse({
    type: CustomerScoresResponse,
    description:
      'IDIC: identity keys, value (RFM, differentiation score, tier), needs, interaction, satisfaction',
  })
  async get(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<CustomerScoresResponse> {
    const at = parseAsOf(asOf, this.clock.now());
    await awaitPosition(
      this.positions,
      { customerId },
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position({ customerId });
    const scores = await this.scores.get(customerId, at);
    if (!scores) throw await missingCustomer(this.events, customerId);
    // The identity keys are personal data: not in the read model, folded from the decrypted stream.
    const profile = await this.profiles.get(customerId);
    const keys = profile === null ? { email: null, phone: null } : identityKeysOf(profile);
    return {
      ...scores,
      identify: { ...scores.identify, ...keys },
      ...(await this.predictionOf(customerId)),
      meta: { position, asOf: at },
    };
  }

  /** The customer's figures from the latest predicted-value fit; nulls before the first fit or for a customer it did not cover. */
  private async predictionOf(
    customerId: string,
  ): Promise<
    Pick<
      CustomerScoresResponse,
      'probabilityAlive' | 'expectedPurchases365d' | 'predictedValue' | 'prediction'
    >
  > {
    const prediction = await this.portfolio.prediction(customerId);
    const fit = prediction === null ? null : await this.portfolio.fitSource(prediction.fitId);
    if (prediction === null || fit === null)
      return { probabilityAlive: null, expectedPurchases365d: null, predictedValue: null, prediction: null };
    return {
      probabilityAlive: prediction.probabilityAlive,
      expectedPurchases365d: prediction.expectedPurchases,
      predictedValue: prediction.predictedValue,
      prediction: {
        fitId: fit.fitId,
        calibrationEnd: fit.calibrationEnd,
        expectedAverageValue: prediction.expectedAverageValue,
      },
    };
  }
}
