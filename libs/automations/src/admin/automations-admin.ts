import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { Clock } from '@crm/platform';
import type { Page } from '@crm/read-store';
import type { Intent, Reactor } from '../reactor/reactor';
import {
  type AutomationDeadLetterDocument,
  type DeadlineDocument,
  deadlineId,
} from '../reactor/reactor.documents';
import { causeOf, causeOfTrigger } from '../reactor/reactor-runner';
import type { DeadLetterQuery, ReactorStore } from '../reactor/reactor-store';
import type { Cause, Recorder, RecordResult } from '../reactor/recorder';
import {
  automationNotFound,
  deadLetterAlreadyRetried,
  deadLetterEventMissing,
  deadLetterNotFound,
  deadLetterNotOpen,
  deadLetterRetryFailed,
} from './automation.errors';

/** What GET /admin/automations shows of a reactor. */
export type AutomationOverview = {
  readonly name: string;
  /** AUTOMATIONS=on: some process (all or automations) runs it. */
  readonly enabled: boolean;
  /** The last log position it has dealt with. */
  readonly checkpoint: number;
  readonly head: number;
  /** Events in the log after the checkpoint (of every type: an upper bound; 0 once caught up). */
  readonly lagEvents: number;
  readonly paused: boolean;
  readonly pausedAt: string | null;
  /** Open dead letters. */
  readonly deadLetters: number;
  /** Deadlines kept and not yet looked at once due. */
  readonly pendingDeadlines: number;
  readonly lastError: string | null;
  readonly lastErrorAt: string | null;
};

/**
 * The operator's side of the reactors: state, pause and resume (a flag in
 * the read store that the runner reads each step, wherever it runs), dead
 * letters listed, retried (the trigger's events recorded again, same ids)
 * or skipped (accepted as not recorded).
 */
export class AutomationsAdmin {
  constructor(
    private readonly reactors: readonly Reactor[],
    private readonly store: ReactorStore,
    private readonly events: EventStore,
    private readonly recorder: Recorder,
    private readonly clock: Clock,
    private readonly enabled: boolean,
  ) {}

  names(): string[] {
    return this.reactors.map((r) => r.name);
  }

  async all(): Promise<AutomationOverview[]> {
    const head = await this.events.headPosition();
    return Promise.all(this.reactors.map((reactor) => this.overview(reactor.name, head)));
  }

  async one(name: string): Promise<AutomationOverview> {
    return this.overview(this.reactor(name).name, await this.events.headPosition());
  }

  async pause(name: string): Promise<AutomationOverview> {
    const now = this.nowIso();
    await this.store.updateState(this.reactor(name).name, now, (current) =>
      current.paused ? null : { paused: true, pausedAt: now },
    );
    return this.one(name);
  }

  async resume(name: string): Promise<AutomationOverview> {
    await this.store.updateState(this.reactor(name).name, this.nowIso(), (current) =>
      current.paused ? { paused: false, pausedAt: null } : null,
    );
    return this.one(name);
  }

  deadLetters(query: DeadLetterQuery): Promise<Page<AutomationDeadLetterDocument>> {
    return this.store.deadLetters(query);
  }

  /** Records the letter's events again; the letter is `retried` once they are in (or moot). */
  async retry(id: string): Promise<AutomationDeadLetterDocument> {
    const letter = await this.letter(id);
    if (letter.status === 'retried') throw deadLetterAlreadyRetried(id);
    const reactor = this.reactor(letter.reactor);
    const stream = await this.events.readStream(letter.streamId);
    const trigger = stream.find((event) => event.eventId === letter.triggerEventId);
    if (trigger === undefined) throw deadLetterEventMissing(id, letter.triggerEventId);
    const now = this.nowIso();
    if (letter.phase === 'trigger') {
      await this.recordOrFail(letter, reactor, causeOfTrigger(trigger), reactor.react(trigger).record, now);
    } else {
      const deadline = await this.store.deadline(deadlineId(reactor.name, letter.triggerEventId));
      if (deadline === null) throw deadLetterEventMissing(id, letter.triggerEventId);
      const intents = firedIntents(reactor, deadline, stream);
      const result = await this.recordOrFail(letter, reactor, causeOf(deadline), intents, now);
      const status = intents.length === 0 ? 'met' : result.outcome === 'skipped' ? 'skipped' : 'fired';
      await this.store.settle({ ...deadline, position: deadline.position + 1, status, settledAt: now }, null);
    }
    const retried: AutomationDeadLetterDocument = {
      ...letter,
      position: letter.position + 1,
      status: 'retried',
    };
    await this.store.saveDeadLetter(retried);
    return retried;
  }

  async skip(id: string): Promise<AutomationDeadLetterDocument> {
    const letter = await this.letter(id);
    if (letter.status !== 'open') throw deadLetterNotOpen(id, letter.status);
    const skipped: AutomationDeadLetterDocument = {
      ...letter,
      position: letter.position + 1,
      status: 'skipped',
    };
    await this.store.saveDeadLetter(skipped);
    return skipped;
  }

  private async recordOrFail(
    letter: AutomationDeadLetterDocument,
    reactor: Reactor,
    cause: Cause,
    intents: readonly Intent[],
    now: string,
  ): Promise<RecordResult> {
    const result = await this.recorder.record(reactor.name, cause, intents);
    if (result.outcome !== 'refused') return result;
    await this.store.saveDeadLetter({
      ...letter,
      position: letter.position + 1,
      status: 'open',
      code: result.code,
      error: result.message,
      attempts: letter.attempts + 1,
      lastFailedAt: now,
    });
    throw deadLetterRetryFailed(letter.id, result.code, result.message);
  }

  private async overview(name: string, head: number): Promise<AutomationOverview> {
    const [checkpoint, state, deadLetters, pendingDeadlines] = await Promise.all([
      this.store.checkpoint(name),
      this.store.state(name),
      this.store.countDeadLetters(name, 'open'),
      this.store.countDeadlines(name, 'pending'),
    ]);
    return {
      name,
      enabled: this.enabled,
      checkpoint,
      head,
      lagEvents: Math.max(0, head - checkpoint),
      paused: state?.paused ?? false,
      pausedAt: state?.pausedAt ?? null,
      deadLetters,
      pendingDeadlines,
      lastError: state?.lastError ?? null,
      lastErrorAt: state?.lastErrorAt ?? null,
    };
  }

  private reactor(name: string): Reactor {
    const reactor = this.reactors.find((r) => r.name === name);
    if (reactor === undefined) throw automationNotFound(name);
    return reactor;
  }

  private async letter(id: string): Promise<AutomationDeadLetterDocument> {
    const letter = await this.store.deadLetter(id);
    if (letter === null) throw deadLetterNotFound(id);
    return letter;
  }

  private nowIso(): string {
    return this.clock.now().toISOString();
  }
}

function firedIntents(
  reactor: Reactor,
  deadline: DeadlineDocument,
  stream: readonly RecordedEvent[],
): readonly Intent[] {
  return reactor.fire?.(deadline, stream) ?? [];
}
