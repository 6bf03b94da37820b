import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, RecordedEvent } from '@crm/event-store';
import type { Clock } from '@crm/platform';
import type { Reactor } from './reactor';
import {
  type AutomationDeadLetterDocument,
  type DeadlineDocument,
  deadLetterId,
  deadlineId,
} from './reactor.documents';
import type { ReactorStore } from './reactor-store';
import { type Cause, correlationOf, customerIdOf, type Recorder, type RecordResult } from './recorder';

/** What the runner needs around it. */
export type RunnerContext = {
  /** The log as stored: the rules read only fields that are never encrypted (ids, priority, times). */
  readonly events: EventStore;
  readonly store: ReactorStore;
  readonly recorder: Recorder;
  readonly clock: Clock;
  readonly observe?: (observation: RunnerObservation) => void;
  readonly log?: (level: 'log' | 'warn', message: string) => void;
};

export type RunnerObservation =
  | { readonly kind: 'recorded'; readonly count: number }
  | { readonly kind: 'dead-lettered' }
  | { readonly kind: 'skipped' };

export type RunnerOptions = {
  /** Triggers read from the log per step. */
  readonly pageSize?: number;
  /** Due deadlines fired per step. */
  readonly deadlinesPerStep?: number;
  /** How long a caught-up runner waits before looking again (at the log, the clock and its pause flag). */
  readonly pollMs?: number;
};

const DEFAULTS = { pageSize: 200, deadlinesPerStep: 100, pollMs: 250 };

/**
 * Runs one reactor. Each step:
 *
 * 1. fires the deadlines due by the clock (dueAt <= now), earliest first:
 *    records what the reactor says for each, then marks it settled;
 * 2. reads the next page of its trigger types after its checkpoint, records
 *    each trigger's events (ids derived from the trigger, so a page read
 *    again records nothing new), and raises the checkpoint with the page's
 *    deadlines and dead letters in one unit.
 *
 * A crash between recording and checkpointing reads the page again; the
 * repository finds the ids already in the streams and records nothing. A
 * refusal by a customer's stream dead-letters that trigger and the others go
 * on; an erased or merged customer is skipped. Anything else (the log or a
 * store unreachable) stops the step, and the loop tries again later from the
 * checkpoint. Deadlines that came due while nothing ran are simply due at the
 * first step: that is the catch-up.
 */
export class ReactorRunner {
  private readonly options: typeof DEFAULTS;

  constructor(
    readonly reactor: Reactor,
    private readonly context: RunnerContext,
    options: RunnerOptions = {},
  ) {
    this.options = { ...DEFAULTS, ...options };
  }

  get name(): string {
    return this.reactor.name;
  }

  /** Steps until the signal aborts, waiting while paused or caught up; failures are noted and retried. */
  async run(signal: AbortSignal): Promise<void> {
    let failing: string | null = null;
    while (!signal.aborted) {
      let progressed = false;
      try {
        const state = await this.context.store.state(this.name);
        progressed = state?.paused === true ? false : await this.step(signal);
        failing = null;
      } catch (error) {
        const message = messageOf(error);
        // Said once per streak, noted on the reactor for GET /admin/automations.
        if (failing !== message) {
          this.context.log?.('warn', `automation ${this.name} failed, retrying: ${message}`);
          await this.noteError(message).catch(() => undefined);
        }
        failing = message;
      }
      if (!progressed) await sleep(this.options.pollMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /** Steps until there is nothing due and nothing new in the log (tests, tools). */
  async drain(): Promise<void> {
    while (await this.step()) {
      // each step does its part
    }
  }

  /** One step (see the class comment); true when it did anything. */
  async step(signal?: AbortSignal): Promise<boolean> {
    const fired = await this.fireDue(signal);
    if (signal?.aborted) return fired;
    const read = await this.followLog(signal);
    return fired || read;
  }

  private async fireDue(signal?: AbortSignal): Promise<boolean> {
    const reactor = this.reactor;
    if (reactor.fire === undefined) return false;
    const now = this.context.clock.now().toISOString();
    const due = await this.context.store.dueDeadlines(this.name, now, this.options.deadlinesPerStep);
    for (const deadline of due) {
      if (signal?.aborted) break;
      const stream = await this.context.events.readStream(deadline.streamId, { types: reactor.watches });
      const intents = reactor.fire(deadline, stream);
      const result = await this.context.recorder.record(this.name, causeOf(deadline), intents);
      const status = intents.length === 0 ? 'met' : settledStatus(result);
      const letter = result.outcome === 'refused' ? this.deadLetter(deadline, 'deadline', result) : null;
      await this.context.store.settle(
        { ...deadline, position: deadline.position + 1, status, settledAt: now },
        letter,
      );
      await this.noted(deadline.triggerEventId, result);
    }
    return due.length > 0;
  }

  /** One page of triggers, then the checkpoint; true when the checkpoint moved. */
  private async followLog(signal?: AbortSignal): Promise<boolean> {
    const { events, store } = this.context;
    const after = await store.checkpoint(this.name);
    // The head first: a page shorter than asked holds every trigger up to it, so the checkpoint
    // may rise that far even when the last events are of other types (the lag then reads 0).
    const head = await events.headPosition();
    if (head <= after) return false;
    const page = await events.readAll({ after, limit: this.options.pageSize, types: this.reactor.triggers });
    const last = page.at(-1);
    const end =
      page.length === this.options.pageSize && last ? last.position : Math.max(head, last?.position ?? 0);
    const deadlines: DeadlineDocument[] = [];
    const letters: AutomationDeadLetterDocument[] = [];
    for (const trigger of page) {
      // Stopped mid-page: the checkpoint stays; what was recorded is found again, not doubled.
      if (signal?.aborted) return false;
      const reaction = this.reactor.react(trigger);
      const cause = causeOfTrigger(trigger);
      const result = await this.context.recorder.record(this.name, cause, reaction.record);
      if (result.outcome === 'refused') letters.push(this.deadLetter(triggerRef(trigger), 'trigger', result));
      await this.noted(trigger.eventId, result);
      for (const plan of reaction.schedule)
        deadlines.push({
          id: deadlineId(this.name, trigger.eventId),
          position: trigger.position,
          reactor: this.name,
          triggerEventId: trigger.eventId,
          triggerPosition: trigger.position,
          triggerType: trigger.type,
          correlationId: cause.correlationId,
          streamId: trigger.streamId,
          customerId: customerIdOf(trigger.streamId),
          subject: plan.subject,
          dueAt: plan.dueAt,
          status: 'pending',
          settledAt: null,
        });
    }
    await store.advance(this.name, end, deadlines, letters);
    return true;
  }

  /** A new dead letter (revision 1: a page read again puts the same one, which the store ignores). */
  deadLetter(
    ref: TriggerRef,
    phase: 'trigger' | 'deadline',
    result: Extract<RecordResult, { outcome: 'refused' }>,
  ): AutomationDeadLetterDocument {
    const now = this.context.clock.now().toISOString();
    return {
      id: deadLetterId(this.name, phase, ref.triggerEventId),
      position: 1,
      reactor: this.name,
      phase,
      triggerEventId: ref.triggerEventId,
      triggerPosition: ref.triggerPosition,
      triggerType: ref.triggerType,
      streamId: ref.streamId,
      customerId: customerIdOf(ref.streamId),
      code: result.code,
      error: result.message,
      attempts: 1,
      firstFailedAt: now,
      lastFailedAt: now,
      status: 'open',
    };
  }

  private async noted(triggerEventId: string, result: RecordResult): Promise<void> {
    const { observe, log } = this.context;
    if (result.outcome === 'recorded') {
      if (result.fresh > 0) observe?.({ kind: 'recorded', count: result.fresh });
      return;
    }
    if (result.outcome === 'skipped') {
      observe?.({ kind: 'skipped' });
      return;
    }
    observe?.({ kind: 'dead-lettered' });
    const message = `trigger ${triggerEventId} dead-lettered: ${result.code} ${result.message}`;
    log?.('warn', `automation ${this.name}: ${message}`);
    await this.noteError(message);
  }

  private async noteError(message: string): Promise<void> {
    const now = this.context.clock.now().toISOString();
    await this.context.store.updateState(this.name, now, () => ({ lastError: message, lastErrorAt: now }));
  }
}

/** Where a trigger is, for a dead letter. */
export type TriggerRef = {
  readonly triggerEventId: string;
  readonly triggerPosition: number;
  readonly triggerType: string;
  readonly streamId: string;
};

function triggerRef(trigger: RecordedEvent): TriggerRef {
  return {
    triggerEventId: trigger.eventId,
    triggerPosition: trigger.position,
    triggerType: trigger.type,
    streamId: trigger.streamId,
  };
}

export function causeOfTrigger(trigger: RecordedEvent): Cause {
  return {
    eventId: trigger.eventId,
    correlationId: correlationOf(trigger.metadata, trigger.eventId),
    streamId: trigger.streamId,
  };
}

export function causeOf(deadline: DeadlineDocument): Cause {
  return {
    eventId: deadline.triggerEventId,
    correlationId: deadline.correlationId,
    streamId: deadline.streamId,
  };
}

function settledStatus(result: RecordResult): DeadlineDocument['status'] {
  if (result.outcome === 'recorded') return 'fired';
  return result.outcome === 'skipped' ? 'skipped' : 'dead-lettered';
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
