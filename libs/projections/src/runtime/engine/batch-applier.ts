import {
  type ReadStore,
  ReadStoreError,
  ReadStoreUnavailableError,
  type UnitOfWork,
  type Write,
} from '@crm/read-store';
import type { DeadLetterDocument } from '../../runner/dead-letter';
import {
  type CustomerEvent,
  type DocumentReader,
  groupByCustomer,
  type Projection,
} from '../../runner/projection';
import { logicalProjectionName } from '../../versioning/projection-version';
import { recordFailures } from './dead-letter-store';
import { type FailedEvent, isolateFailures } from './failure-isolation';
import { storableOnly } from './storable-writes';
import { type HistorySource, withMergedHistories } from '../log/merged-histories';

/** One projection's share of a batch, and where its checkpoint goes once the share is applied. */
export type BatchUnit = {
  readonly projection: Projection;
  /** In log order. A position given twice (a relay that re-sent a stretch) is applied once. */
  readonly events: readonly CustomerEvent[];
  /** The key the unit commits under: the projection's name, or a per-partition key. */
  readonly checkpoint: string;
  /** Where that checkpoint goes: at least the last event's position. */
  readonly position: number;
  /** Committed in the same unit as the documents, e.g. how far a partition is applied. */
  readonly alsoWrite?: readonly Write[];
};

/** An event one projection could not apply, after every attempt. */
export type ProjectionFailure = FailedEvent & {
  /** The logical projection name (every version of a projection shares its letters). */
  readonly projection: string;
};

export type UnitOutcome = {
  readonly unit: BatchUnit;
  /** Events applied (the unit's distinct events less the failed ones). */
  readonly applied: number;
  readonly failed: readonly FailedEvent[];
};

export type BatchApplierOptions = {
  /** How many times an event is tried on its own before it becomes a dead letter; default 3. */
  readonly attempts?: number;
  /** Waits between two tries of one event (a backoff); none by default. A throw ends the batch. */
  readonly betweenAttempts?: (failures: number) => Promise<void>;
  /** The clock dead letters are stamped with. */
  readonly now?: () => Date;
  /** Which transport fed the events, recorded on the letters. */
  readonly source?: DeadLetterDocument['source'];
  /**
   * Hears every failure of a batch before the letters are recorded and the
   * documents committed, e.g. to copy the failed messages to a dead-letter
   * topic. A throw leaves the batch uncommitted, to be applied again.
   */
  readonly onDeadLetters?: (failures: readonly ProjectionFailure[]) => Promise<void>;
  /**
   * The log, where a survivor's CustomersMerged has its merged history read
   * from (withMergedHistories). Without it a merge reaching a projection is
   * a dead letter, never a silent loss of the merged customer's history.
   */
  readonly history?: HistorySource;
};

const DEFAULT_ATTEMPTS = 3;

/**
 * The one way a batch of events is applied, whichever transport fed it (the
 * store's log or a Kafka partition): each projection folds the batch into
 * writes; a projection that fails on the batch has it applied customer by
 * customer, and a failing customer event by event, so that only the events
 * that still fail after every attempt are left out (isolateFailures); those
 * become dead letters (references only, no event data); then each
 * projection's writes commit together with its checkpoint, one unit per
 * projection, so a crash anywhere replays the batch, and the position each
 * document carries makes the replay a no-op.
 *
 * The read store failing (ReadStoreUnavailableError) is never an event's
 * fault: it is thrown, with nothing committed by the unit under way, for
 * the caller to retry the batch.
 */
export class BatchApplier {
  constructor(
    private readonly readStore: ReadStore,
    private readonly options: BatchApplierOptions = {},
  ) {}

  /** Applies each unit's events to its projection; see the class. Outcomes come in the units' order. */
  async apply(units: readonly BatchUnit[]): Promise<UnitOutcome[]> {
    const projected: Projected[] = [];
    for (const unit of units) {
      const events = uniqueByPosition(unit.events);
      const { writes, failed } = await this.project(unit.projection, events);
      projected.push({ unit, events, writes, failed });
    }
    await this.deadLetter(projected.flatMap(({ unit, failed }) => lettersOf(unit, failed)));
    const outcomes: UnitOutcome[] = [];
    for (const item of projected) {
      const failed = [...item.failed, ...(await this.commit(item))];
      outcomes.push({ unit: item.unit, applied: item.events.length - failed.length, failed });
    }
    return outcomes;
  }

  /**
   * Commits a unit with its checkpoint. Should the store refuse it (anything
   * but an outage: a write it cannot hold, counters that overflow together),
   * the unit's customers are committed one by one instead, so only the
   * events of the customer at fault are refused and dead-lettered; then the
   * checkpoint moves on. Returns the events refused that way.
   */
  private async commit({ unit, events, writes, failed }: Projected): Promise<FailedEvent[]> {
    const refusal = await this.tryCommit({
      projection: unit.checkpoint,
      position: unit.position,
      writes: unit.alsoWrite ? [...writes, ...unit.alsoWrite] : writes,
    });
    if (refusal === null) return [];
    const left = new Set(failed.map((failure) => failure.event.position));
    const refused = await this.commitByCustomer(
      unit,
      events.filter((e) => !left.has(e.position)),
    );
    await this.deadLetter(lettersOf(unit, refused));
    await this.readStore.commit({
      projection: unit.checkpoint,
      position: unit.position,
      writes: unit.alsoWrite ?? [],
    });
    return refused;
  }

  /**
   * Each customer's events projected over what is committed and committed on
   * their own (under a key of the unit's, so its checkpoint stays put until
   * every customer is done: a crash replays the unit, and documents already
   * holding their events make that a no-op); a customer the store still
   * refuses, event by event, each event's writes committed alone, so that
   * exactly the refused events are left out.
   */
  private async commitByCustomer(unit: BatchUnit, events: readonly CustomerEvent[]): Promise<FailedEvent[]> {
    const refused: FailedEvent[] = [];
    const key = isolatedUnit(unit.checkpoint);
    const commitAlone = async (batch: readonly CustomerEvent[]): Promise<string | null> => {
      const { writes, failed } = await this.project(unit.projection, batch);
      const refusal = await this.tryCommit({ projection: key, position: unit.position, writes });
      if (refusal === null) refused.push(...failed);
      return refusal;
    };
    for (const customerEvents of groupByCustomer(events).values()) {
      if ((await commitAlone(customerEvents)) === null) continue;
      for (const event of customerEvents) {
        const refusal = await commitAlone([event]);
        if (refusal !== null) refused.push({ event, error: refusal, attempts: 1 });
      }
    }
    return refused;
  }

  /**
   * Commits a unit; returns why it was refused (null once committed): the store's refusal (a
   * ReadStoreError other than an outage), e.g. counters the unit would take beyond the safe integers.
   */
  private async tryCommit(unit: UnitOfWork): Promise<string | null> {
    try {
      await this.readStore.commit(unit);
      return null;
    } catch (error) {
      // Only the store's refusal of what it was given is the data's fault; an outage, or
      // anything unforeseen, fails the batch for the caller to retry, rather than parking everyone.
      if (error instanceof ReadStoreError && !(error instanceof ReadStoreUnavailableError))
        return error.message;
      throw error;
    }
  }

  /**
   * The writes a projection makes of `events` over what `reader` holds, and
   * the events it failed on after every attempt; commits nothing. For a
   * caller that gathers writes over several batches (a rebuild customer by
   * customer) before it commits them and calls `deadLetter`.
   */
  async project(
    projection: Projection,
    events: readonly CustomerEvent[],
    reader: DocumentReader = this.readStore,
  ): Promise<{ writes: Write[]; failed: FailedEvent[] }> {
    if (events.length === 0) return { writes: [], failed: [] };
    if (this.options.history !== undefined) events = await withMergedHistories(this.options.history, events);
    const storable = storableOnly(projection);
    try {
      return { writes: await storable.project(events, reader), failed: [] };
    } catch (error) {
      if (error instanceof ReadStoreUnavailableError) throw error;
      return isolateFailures(
        storable,
        events,
        reader,
        this.options.attempts ?? DEFAULT_ATTEMPTS,
        this.options.betweenAttempts,
      );
    }
  }

  /** Hands the failures to `onDeadLetters`, then opens (or reopens) a letter for each. */
  async deadLetter(failures: readonly ProjectionFailure[]): Promise<void> {
    if (failures.length === 0) return;
    await this.options.onDeadLetters?.(failures);
    const failedAt = (this.options.now?.() ?? new Date()).toISOString();
    const byProjection = new Map<string, FailedEvent[]>();
    for (const { projection, ...failure } of failures) {
      const list = byProjection.get(projection) ?? [];
      list.push(failure);
      byProjection.set(projection, list);
    }
    for (const [projection, failed] of byProjection)
      await recordFailures(this.readStore, projection, failed, failedAt, this.options.source ?? 'embedded');
  }
}

type Projected = {
  readonly unit: BatchUnit;
  readonly events: readonly CustomerEvent[];
  readonly writes: Write[];
  readonly failed: FailedEvent[];
};

function lettersOf(unit: BatchUnit, failed: readonly FailedEvent[]): ProjectionFailure[] {
  const projection = logicalProjectionName(unit.projection.name);
  return failed.map((failure) => ({ ...failure, projection }));
}

/** The key a unit's customers commit under when the store refused the unit whole (see commitByCustomer). */
function isolatedUnit(checkpoint: string): string {
  return `${checkpoint}:isolated`;
}

function uniqueByPosition(events: readonly CustomerEvent[]): readonly CustomerEvent[] {
  const seen = new Set<number>();
  const unique = events.filter((e) => !seen.has(e.position) && (seen.add(e.position), true));
  return unique.length === events.length ? events : unique;
}
