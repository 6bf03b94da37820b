import { Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { DataOf, EventMetadata, FollowUpEvent } from '@crm/domain';
import { RequestValidationError } from '@crm/platform';
import type { FastifyReply } from 'fastify';
import { EventBuilder } from '../shared/event-builder';
import type { GuardedEventEnvelopeDto } from '../shared/expected-revision.dto';
import { IDEMPOTENT_REPLAY_HEADER, onlyRef } from '../shared/recorded-event.response';
import { recordingOptions } from '../shared/recording-options';
import { FollowUpRecordedResponse } from './follow-up-recorded.response';
import { ManageFollowUpCommand } from './manage-follow-up.command';

type FollowUpType = FollowUpEvent['type'];

/** The part every follow-up route shares: build the event, record it, answer as every write does. */
@Injectable()
export class FollowUpWriter {
  constructor(
    private readonly commands: CommandBus,
    private readonly builder: EventBuilder,
  ) {}

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
