import { Controller, Get, Inject, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  RequestValidationError,
  ApiErrorResponses,
  RequireRoles,
} from '@crm/platform';
import {
  CustomerSegments,
  JOURNEY_STAGES,
  type JourneyStage,
  SEGMENT_SORTS,
  type SegmentPage,
  type SegmentSort,
  VALUE_TIERS,
  type ValueTier,
} from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition, parseAsOf, parseLimit, type ReadMeta, singleParam } from '../shared/read-consistency';

function oneOf<T extends string>(
  field: string,
  raw: string | undefined,
  allowed: readonly T[],
): T | undefined {
  if (raw === undefined || raw === '') return undefined;
  if ((allowed as readonly string[]).includes(raw)) return raw as T;
  throw new RequestValidationError([
    { field, code: 'isIn', message: `${field} must be one of: ${allowed.join(', ')}` },
  ]);
}

/** Campaign segments: customers by value tier and journey stage, sorted and paged. */
@ApiTags('read models')
@RequireRoles('read')
@Controller('customers')
export class ListCustomersController {
  constructor(
    private readonly segments: CustomerSegments,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get()
  @ApiErrorResponses(400, 503)
  @ApiQuery({ name: 'valueTier', required: false, enum: VALUE_TIERS })
  @ApiQuery({ name: 'stage', required: false, enum: JOURNEY_STAGES })
  @ApiQuery({ name: 'sort', required: false, enum: SEGMENT_SORTS })
  @ApiQuery({ name: 'limit', required: false, description: `1-${MAX_LIMIT} (default 100)` })
  @ApiQuery({ name: 'cursor', required: false })
  @ApiQuery({ name: 'asOf', required: false, description: 'Instant for status; default now' })
  @ApiQuery({ name: 'minPosition', required: false })
  @ApiOkResponse({ description: '{ items, nextCursor, meta }' })
  async list(
    @QueryParam('valueTier') valueTier?: string,
    @QueryParam('stage') stage?: string,
    @QueryParam('sort') sort?: string,
    @QueryParam('limit') limit?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<SegmentPage & { meta: ReadMeta }> {
    const at = parseAsOf(asOf, this.clock.now());
    const query = {
      valueTier: oneOf<ValueTier>('valueTier', valueTier, VALUE_TIERS),
      stage: oneOf<JourneyStage>('stage', stage, JOURNEY_STAGES),
      sort: oneOf<SegmentSort>('sort', sort, SEGMENT_SORTS),
      limit: parseLimit(limit, 100, MAX_LIMIT),
      cursor: singleParam('cursor', cursor),
      asOf: at,
    };
    await awaitPosition(this.positions, 'population', minPosition, this.config.projections.readWaitMs);
    const position = this.positions.position('population');
    return { ...(await this.segments.list(query)), meta: { position, asOf: at } };
  }
}
