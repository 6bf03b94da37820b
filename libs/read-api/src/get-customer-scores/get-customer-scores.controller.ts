import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import { DomainError } from '@crm/domain';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  ApiErrorResponses,
  RequireRoles,
} from '@crm/platform';
import { ScoresQueries, type ScoresView } from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition, parseAsOf, type ReadMeta } from '../shared/read-consistency';

@ApiTags('read models')
@RequireRoles('read')
@Controller('customers/:customerId/scores')
export class GetCustomerScoresController {
  constructor(
    private readonly scores: ScoresQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiErrorResponses(400, 404, 503)
  @ApiQuery({
    name: 'asOf',
    required: false,
    description: 'Instant for recency and 90-day figures; default now',
  })
  @ApiQuery({
    name: 'minPosition',
    required: false,
    description: 'Wait until the read models reflect this log position',
  })
  @ApiOkResponse({
    description:
      'IDIC: identity keys, value (RFM, differentiation score, tier), needs, interaction, satisfaction',
  })
  async get(
    @Param('customerId') customerId: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<ScoresView & { meta: ReadMeta }> {
    const at = parseAsOf(asOf, this.clock.now());
    await awaitPosition(this.positions, { customerId }, minPosition, this.config.projections.readWaitMs);
    const position = this.positions.position({ customerId });
    const scores = await this.scores.get(customerId, at);
    if (!scores) throw new DomainError('CUSTOMER.NOT_FOUND', 'not_found', `No customer ${customerId}`);
    return { ...scores, meta: { position, asOf: at } };
  }
}
