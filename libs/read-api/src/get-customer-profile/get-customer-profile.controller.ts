import { Controller, Get, Inject, Param, Query as QueryParam } from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { PROFILE_FIELDS } from '@crm/domain';
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
  CustomerProfiles,
  type CustomerProfileState,
  fieldOf,
  FollowUpQueries,
  identityKeysOf,
  JourneyQueries,
  ScoresQueries,
} from '@crm/projections';
import { READ_POSITIONS, type ReadPositions } from '@crm/projections/runtime';
import { awaitPosition } from '../shared/read-consistency';
import { ConsentResponse, CustomerProfileResponse } from './customer-profile.response';
import { liveProfile } from '../shared/merged-customer';

/**
 * One customer as a CRM user looks them up. The profile, consents and
 * identity keys are folded from the customer's stream through the
 * decrypting store (exact, and no personal value in a read model); stage
 * and value tier come from the journey and IDIC read models.
 */
@ApiTags('read models')
@ApiExtraModels(ConsentResponse)
@RequireRoles('read')
@Controller('customers/:customerId')
export class GetCustomerProfileController {
  constructor(
    private readonly profiles: CustomerProfiles,
    private readonly journeys: JourneyQueries,
    private readonly scores: ScoresQueries,
    private readonly followUps: FollowUpQueries,
    @Inject(READ_POSITIONS) private readonly positions: ReadPositions,
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    @Inject(EVENT_STORE) private readonly events: EventStore,
  ) {}

  @Get()
  @ApiOperation({
    summary: 'The current profile, consents, identity keys, stage, value tier and open follow-ups',
  })
  @ApiErrorResponses(400, 404, 409, 503)
  @ApiCustomerIdParam()
  @ApiMinPositionQuery()
  @ApiOkResponse({ type: CustomerProfileResponse })
  async get(
    @Param('customerId') customerId: string,
    @QueryParam('minPosition') minPosition?: string,
  ): Promise<CustomerProfileResponse> {
    await awaitPosition(
      this.positions,
      { customerId },
      minPosition,
      this.config.projections.readWaitMs,
      this.events,
    );
    const position = this.positions.position({ customerId });
    const asOf = this.clock.now().toISOString();
    const profile = await liveProfile(this.profiles, customerId);
    const [journey, scores, openFollowUps] = await Promise.all([
      this.journeys.stageOf(customerId, asOf),
      this.scores.get(customerId, asOf),
      this.followUps.openOf(customerId, asOf),
    ]);
    return {
      customerId,
      kind: profile.kind,
      registeredAt: profile.registeredAt,
      erasedAt: profile.erasedAt,
      profile: profileFields(profile),
      consents: { ...profile.consents },
      identityKeys: identityKeysOf(profile),
      stage: journey?.stage ?? null,
      valueTier: scores?.differentiate.value.valueTier ?? null,
      openFollowUps,
      meta: { position, asOf },
    };
  }
}

function profileFields(profile: CustomerProfileState): CustomerProfileResponse['profile'] {
  const text = (field: Exclude<(typeof PROFILE_FIELDS)[number], 'attributes'>): string | null => {
    const value = fieldOf(profile, field);
    return typeof value === 'string' ? value : null;
  };
  return {
    name: text('name'),
    email: text('email'),
    phone: text('phone'),
    segment: text('segment'),
    acquisitionChannel: text('acquisitionChannel'),
    attributes: fieldOf(profile, 'attributes'),
  };
}
