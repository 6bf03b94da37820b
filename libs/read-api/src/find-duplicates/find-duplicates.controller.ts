import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { IdentityKeyKind } from '@crm/domain';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import {
  APP_CONFIG,
  type AppConfig,
  ApiCustomerIdParam,
  ApiErrorResponses,
  ApiMinPositionQuery,
  CLOCK,
  type Clock,
  RequireRoles,
} from '@crm/platform';
import {
  BlindIndex,
  CustomerProfiles,
  type CustomerProfileState,
  CustomerSegments,
  identityKeysOf,
} from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { MAX_LIMIT } from '@crm/read-store';
import { nameOf } from '../list-customers/list-customers.query';
import { liveProfile } from '../shared/merged-customer';
import { awaitPosition } from '../shared/read-consistency';
import { DuplicatesResponse, IDENTITY_KEY_KINDS } from './duplicates.response';

/** Pages of the blind index read per key at most: a key shared by more customers is not a duplicate. */
const MAX_PAGES = 5;

/**
 * Duplicate candidates (domain.md): the customers sharing an identity key
 * (normalised email or E.164 phone) with this one. The keys are folded from
 * the customer's decrypted stream, looked up in the blind index (HMACs), and
 * every hit is checked against its own decrypted profile, as the lookups of
 * GET /customers are.
 */
@ApiTags('read models')
@RequireRoles('read')
@Controller('customers/:customerId/duplicates')
export class FindDuplicatesController {
  constructor(
    private readonly profiles: CustomerProfiles,
    private readonly segments: CustomerSegments,
    private readonly blind: BlindIndex,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'Customers sharing an email or phone with this one (duplicate candidates)',
    description:
      'Each candidate with the key kinds it shares and its name. A merged customer answers 409 ' +
      'CUSTOMER.MERGED naming the survivor; merged and erased customers are never candidates.',
  })
  @ApiErrorResponses(400, 404, 409, 503)
  @ApiCustomerIdParam()
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: DuplicatesResponse })
  async find(
    @Param('customerId') customerId: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<DuplicatesResponse> {
    await awaitPosition(
      this.positions,
      'population',
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position('population');
    const asOf = this.clock.now().toISOString();
    const profile = await liveProfile(this.profiles, customerId);
    const keys = identityKeysOf(profile);
    const shared = new Map<string, IdentityKeyKind[]>();
    for (const kind of IDENTITY_KEY_KINDS) {
      const key = keys[kind];
      if (key === null) continue;
      for (const other of await this.holders(kind, this.blind.entry(kind, key), asOf)) {
        if (other === customerId) continue;
        shared.set(other, [...(shared.get(other) ?? []), kind]);
      }
    }
    const candidates = await this.profiles.getMany([...shared.keys()].sort());
    const duplicates = [...candidates.values()]
      .filter((candidate) => isLive(candidate))
      .map((candidate) => ({
        customerId: candidate.customerId,
        name: nameOf(candidate),
        kind: candidate.kind,
        // The blind index is a hint: only the keys the decrypted profile really shares count.
        sharedKeys: (shared.get(candidate.customerId) ?? []).filter(
          (kind) => identityKeysOf(candidate)[kind] === keys[kind],
        ),
      }))
      .filter((candidate) => candidate.sharedKeys.length > 0);
    return { customerId, duplicates, meta: { position, asOf } };
  }

  /** The customers whose blind index holds `entry` for `kind`. */
  private async holders(kind: IdentityKeyKind, entry: string, asOf: string): Promise<string[]> {
    const found: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < MAX_PAGES; page++) {
      const result = await this.segments.list({
        identity: { field: kind, entry },
        limit: MAX_LIMIT,
        cursor,
        asOf,
      });
      found.push(...result.items.map((item) => item.customerId));
      if (result.nextCursor === null) break;
      cursor = result.nextCursor;
    }
    return found;
  }
}

function isLive(profile: CustomerProfileState): boolean {
  return profile.mergedInto === null && profile.erasedAt === null;
}
