import {
  CommandRejectedError,
  commandFor,
  CUSTOMER_STREAM_PREFIX,
  CustomerErrorCode,
  DomainError,
  type EventMetadata,
} from '@crm/domain';
import type { CustomerRepository } from '@crm/ingestion';
import { automatedEventId } from '../ids/automation-ids';
import type { Intent, ReactorEvent } from './reactor';

/** What caused the events: the trigger's id and correlation. */
export type Cause = { readonly eventId: string; readonly correlationId: string; readonly streamId: string };

/**
 * - `recorded`: the events are in the stream; `fresh` of them were new (0 on a replay);
 * - `skipped`: the customer was erased or merged since the trigger: nothing to record;
 * - `refused`: a rule of the customer's stream refused them: a dead letter.
 */
export type RecordResult =
  | { readonly outcome: 'recorded'; readonly fresh: number }
  | { readonly outcome: 'skipped'; readonly reason: string }
  | { readonly outcome: 'refused'; readonly code: string; readonly message: string };

/** Erasure and merge close a stream for good; a reactor's later events about it are moot, not failures. */
const CLOSED_STREAM = new Set<string>([CustomerErrorCode.Erased, CustomerErrorCode.Merged]);

/**
 * Records a reactor's events through the customer repository, so the
 * decider's rules apply and a repeated event id is an idempotent no-op. The
 * events of one trigger are recorded together, all or nothing.
 */
export class Recorder {
  constructor(private readonly customers: Pick<CustomerRepository, 'record'>) {}

  async record(reactor: string, cause: Cause, intents: readonly Intent[]): Promise<RecordResult> {
    if (intents.length === 0) return { outcome: 'recorded', fresh: 0 };
    const events = reactorEvents(reactor, cause, intents);
    try {
      const result = await this.customers.record(customerIdOf(cause.streamId), events.map(commandFor));
      return { outcome: 'recorded', fresh: result.events.filter((e) => !e.duplicate).length };
    } catch (error) {
      const refusal = error instanceof CommandRejectedError ? error.reason : error;
      if (!(refusal instanceof DomainError)) throw error;
      if (CLOSED_STREAM.has(refusal.code)) return { outcome: 'skipped', reason: refusal.message };
      return { outcome: 'refused', code: refusal.code, message: refusal.message };
    }
  }
}

/** The events of `intents`, with their ids derived from the trigger and the metadata of the contract. */
export function reactorEvents(reactor: string, cause: Cause, intents: readonly Intent[]): ReactorEvent[] {
  const metadata: EventMetadata = {
    correlationId: cause.correlationId,
    causationId: cause.eventId,
    actor: `automation:${reactor}`,
    source: 'automations',
  };
  return intents.map((intent) => intent.build(automatedEventId(cause.eventId, intent.rule), metadata));
}

export function customerIdOf(streamId: string): string {
  return streamId.slice(CUSTOMER_STREAM_PREFIX.length);
}

/** The correlation id a trigger carries (a recorded event's metadata is untyped JSON). */
export function correlationOf(metadata: Readonly<Record<string, unknown>>, fallback: string): string {
  const correlationId = metadata.correlationId;
  return typeof correlationId === 'string' && correlationId !== '' ? correlationId : fallback;
}
