import { Controller, Get, Inject, Query as QueryParam } from '@nestjs/common';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { ApiOkResponse, ApiOperation, ApiQuery, ApiTags } from '@nestjs/swagger';
import {
  APP_CONFIG,
  type AppConfig,
  CLOCK,
  type Clock,
  ApiCursorQuery,
  ApiErrorResponses,
  ApiInstantQuery,
  ApiLimitQuery,
  ApiMinPositionQuery,
  RequireRoles,
} from '@crm/platform';
import {
  BlindIndex,
  CustomerProfiles,
  CustomerSegments,
  JOURNEY_STAGES,
  NAME_PREFIX_MAX,
  SEGMENT_SORTS,
  VALUE_TIERS,
} from '@crm/projections';
import { MAX_LIMIT } from '@crm/read-store';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition } from '../shared/read-consistency';
import { CustomerPageResponse } from './customer-page.response';
import {
  CUSTOMER_KINDS,
  MAX_EMAIL_LENGTH,
  MAX_SEARCH_LENGTH,
  nameOf,
  parseListCustomers,
  profileMatches,
} from './list-customers.query';

/**
 * Customers by value tier, journey stage, kind and segment, or found by
 * email, phone or name prefix through the blind index; sorted and paged,
 * each with their name. Names, emails and phones are in no read model: the
 * names of a page are read from the customers' decrypted streams, and every
 * customer the blind index returns is checked against them.
 */
@ApiTags('read models')
@RequireRoles('read')
@Controller('customers')
export class ListCustomersController {
  constructor(
    private readonly segments: CustomerSegments,
    private readonly profiles: CustomerProfiles,
    private readonly blind: BlindIndex,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'A page of customers with their names: a segment, or a lookup by email, phone or name prefix',
    description:
      'Unknown query parameters are refused (400). With email, phone or q the list is sorted by customerId. ' +
      'A page may hold fewer than limit items and still have a nextCursor: keep following it.',
  })
  @ApiErrorResponses(400, 409, 503)
  @ApiQuery({ name: 'valueTier', required: false, enum: VALUE_TIERS })
  @ApiQuery({ name: 'stage', required: false, enum: JOURNEY_STAGES })
  @ApiQuery({ name: 'kind', required: false, enum: CUSTOMER_KINDS })
  @ApiQuery({
    name: 'segment',
    required: false,
    schema: { type: 'string', maxLength: MAX_SEARCH_LENGTH },
    description: "The profile's segment, exactly",
  })
  @ApiQuery({
    name: 'q',
    required: false,
    schema: { type: 'string', maxLength: MAX_SEARCH_LENGTH },
    description: `Name prefix, case-insensitive (blind index of the first ${NAME_PREFIX_MAX} characters; longer prefixes are checked on the decrypted names)`,
  })
  @ApiQuery({
    name: 'email',
    required: false,
    schema: { type: 'string', maxLength: MAX_EMAIL_LENGTH },
    description: 'Exact email, trimmed and lower-cased (blind index lookup)',
  })
  @ApiQuery({
    name: 'phone',
    required: false,
    schema: { type: 'string' },
    description:
      'Phone in international form (+ or 00 and the country code), compared as E.164 (blind index lookup)',
  })
  @ApiQuery({ name: 'sort', required: false, enum: SEGMENT_SORTS })
  @ApiLimitQuery(MAX_LIMIT, 100)
  @ApiCursorQuery()
  @ApiInstantQuery('asOf', 'Instant for status; default now')
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: CustomerPageResponse, description: '{ items, nextCursor, meta }' })
  async list(@QueryParam() raw: Record<string, unknown>): Promise<CustomerPageResponse> {
    const { query, needles, asOf, minPosition } = parseListCustomers(raw, this.clock.now(), this.blind);
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    const page = await this.segments.list(query);
    const profiles = await this.profiles.getMany(page.items.map((item) => item.customerId));
    const items = page.items
      .filter((item) => profileMatches(profiles.get(item.customerId), needles))
      .map((item) => ({ ...item, name: nameOf(profiles.get(item.customerId)) }));
    return {
      items,
      nextCursor: page.nextCursor,
      meta: { position, asOf },
    };
  }
}
