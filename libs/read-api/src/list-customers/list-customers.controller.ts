import { Controller, Get, Inject, Query as QueryParam } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { ApiOkResponse, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  RequestValidationError,
  ApiCursorQuery,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiLimitQuery,
  ApiMinPositionQuery,
  RequireRoles,
} from '@crm/platform';
import {
  CustomerSegments,
  JOURNEY_STAGES,
  type JourneyStage,
  SEGMENT_SORTS,
  type SegmentSort,
  VALUE_TIERS,
  type ValueTier,
} from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition, parseAsOf, parseLimit, singleParam } from '../shared/read-consistency';
import { CustomerPageResponse } from './customer-page.response';

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
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiErrorResponses(400, 409, 503)
  @ApiQuery({ name: 'valueTier', required: false, enum: VALUE_TIERS })
  @ApiQuery({ name: 'stage', required: false, enum: JOURNEY_STAGES })
  @ApiQuery({ name: 'sort', required: false, enum: SEGMENT_SORTS })
  @ApiLimitQuery(MAX_LIMIT, 100)
  @ApiCursorQuery()
  @ApiInstantQuery('asOf', 'Instant for status; default now')
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: CustomerPageResponse, description: '{ items, nextCursor, meta }' })
  async list(
    @QueryParam('valueTier') valueTier?: string,
    @QueryParam('stage') stage?: string,
    @QueryParam('sort') sort?: string,
    @QueryParam('limit') limit?: string,
    @QueryParam('cursor') cursor?: string,
    @QueryParam('asOf') asOf?: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<CustomerPageResponse> {
    const at = parseAsOf(asOf, this.clock.now());
    const query = {
      valueTier: oneOf<ValueTier>('valueTier', valueTier, VALUE_TIERS),
      stage: oneOf<JourneyStage>('stage', stage, JOURNEY_STAGES),
      sort: oneOf<SegmentSort>('sort', sort, SEGMENT_SORTS),
      limit: parseLimit(limit, 100, MAX_LIMIT),
      cursor: singleParam('cursor', cursor),
      asOf: at,
    };
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    return { ...(await this.segments.list(query)), meta: { position, asOf: at } };
  }
}
