import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataOf, EventMetadata, FollowUpEvent } from '@crm/domain';
import { metadataFromHeaders, RequestValidationError, validateDto } from '@crm/platform';
import type { ClassConstructor } from 'class-transformer';
import type { FastifyReply } from 'fastify';
import { assertCustomerId } from '../shared/customer-id';
import { EventBuilder } from '../shared/event-builder';
import type { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef } from '../shared/recorded-event.response';
import { recordingOptions } from '../shared/recording-options';
import { assertFollowUpId } from './follow-up-id';
import { FollowUpRecordedResponse } from './follow-up-recorded.response';
import { ManageFollowUpCommand } from './manage-follow-up.command';

type FollowUpType = FollowUpEvent['type'];

/** A reassign, complete or cancel request, as its route received it. */
export type FollowUpAction = {
  readonly customerId: string;
  readonly followUpId: string;
  readonly body: unknown;
  readonly headers: Record<string, string | undefined>;
  readonly actor: string;
  readonly reply: FastifyReply;
};

/** The part every follow-up route shares: build the event, record it, answer as every write does. */
@Injectable()
export class FollowUpWriter {
  constructor(
    private readonly commands: CommandBus,
    private readonly builder: EventBuilder,
  ) {}

  /** Checks the path's ids and the body against `dto`, then records the event whose data `data` makes of it. */
  async act<T extends FollowUpType, D extends GuardedEventEnvelopeDto>(
    type: T,
    dto: ClassConstructor<D>,
    action: FollowUpAction,
    data: (body: D) => DataOf<T>,
  ): Promise<FollowUpRecordedResponse> {
    assertCustomerId(action.customerId);
    assertFollowUpId(action.followUpId);
    const validated = validateDto(dto, action.body);
    if (!validated.ok) throw new RequestValidationError(validated.details);
    const metadata = metadataFromHeaders(action.headers, action.actor);
    const body = validated.value;
    return this.record(action.customerId, type, body, data(body), metadata, action.reply);
  }

  async record<T extends FollowUpType>(
    customerId: string,
    type: T,
    envelope: GuardedEventEnvelopeDto,
    data: DataOf<T>,
    metadata: EventMetadata,
    reply: FastifyReply,
  ): Promise<FollowUpRecordedResponse> {
    const built = this.builder.build(type, envelope, data, metadata);
    if (!built.ok) throw new RequestValidationError(built.details);
    const options = recordingOptions(built, envelope.expectedRevision);
    const outcome = await this.commands.execute(new ManageFollowUpCommand(customerId, built.event, options));
    const ref = onlyRef(outcome);
    if (ref.duplicate) void reply.header(IDEMPOTENT_REPLAY_HEADER, 'true');
    return FollowUpRecordedResponse.of(customerId, data.followUpId, ref);
  }
}
