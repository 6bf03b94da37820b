import { Inject, Injectable } from '@nestjs/common';
import {
  type CrmEvent,
  type CustomerCommand,
  type CustomerState,
  CommandRejectedError,
  commandFor,
  customerStreamId,
  DomainError,
  decide,
  decideAll,
  decideMerge,
  type MergeSides,
  evolveAll,
  initialState,
  toCrmEvent,
  toStoredShape,
} from '@crm/domain';
import {
  EVENT_STORE,
  type AppendResult,
  type EventStore,
  type RecordedEvent,
  WrongExpectedRevisionError,
} from '@crm/event-store';
import { APP_CONFIG, type AppConfig, LruCache } from '@crm/platform';
import { absorbedBy, absorbedFollowUps } from './absorbed-follow-ups';
import { type EventIdentity, identityOf, payloadMismatch, sameEvent } from './idempotency';
import { KeyedLock } from './keyed-lock';

/** Where an event of this stream sits, and what it was (a replay answers with the stored type). */
type EventPlace = { readonly revision: number; readonly position: number; readonly type: string };
type EventRef = EventPlace & {
  /** To tell a retry of this eventId from another event under the same id. */
  readonly identity: EventIdentity;
};
type AppendedRef = EventPlace & { readonly duplicate: boolean };

/** A customer's decision state as of `revision`, plus where each of its eventIds sits. */
type LoadedCustomer = {
  readonly state: CustomerState;
  /** null when the stream does not exist yet. */
  readonly revision: number | null;
  /** Grows in place as this process appends (remember); never holds an event the store lacks. */
  readonly known: Map<string, EventRef>;
  /** True when taken from memory without looking at the store. */
  readonly fromCache: boolean;
};

export type RecordedRef = EventPlace & {
  readonly eventId: string;
  readonly type: string;
  /** True when this eventId was already recorded: nothing new was written. */
  readonly duplicate: boolean;
};

export type RecordOutcome = {
  readonly customerId: string;
  readonly streamId: string;
  /** The stream's revision after this call. */
  readonly streamRevision: number;
  /** One entry per command, in order. */
  readonly events: readonly RecordedRef[];
};

/** Both sides of a recorded merge: the survivor's stream and the merged customer's. */
export type MergeOutcome = { readonly survivor: RecordOutcome; readonly merged: RecordOutcome };

export type RecordOptions = {
  /** The revision the caller last saw; a mismatch is a 409 and nothing is written. */
  readonly expectedRevision?: number;
  /**
   * Events whose occurredAt the server chose (the request had none): a retry
   * of one is compared with the original without it, as its clock moved on.
   */
  readonly serverTimed?: ReadonlySet<string>;
};

/** Attempts of an optimistic append (re-reading the stream between them) before giving up. */
const MAX_ATTEMPTS = 8;

/**
 * Loads a customer's stream, runs the decider and appends the outcome with an
 * optimistic concurrency check. Decision state is cached per customer; a
 * cached state may be stale when another process wrote to the stream, and
 * the store's revision check is the arbiter: a conflict (or a rule that fresh
 * state might allow) is retried on state re-read from the store.
 */
@Injectable()
export class CustomerRepository {
  private readonly cache: LruCache<string, LoadedCustomer>;
  private readonly locks = new KeyedLock();

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(APP_CONFIG) config: AppConfig,
  ) {
    this.cache = new LruCache(config.aggregateCacheSize);
  }

  /**
   * Records commands for one customer, all or nothing. Commands whose
   * eventId the stream already holds return their original result.
   */
  async record(
    customerId: string,
    commands: readonly CustomerCommand[],
    options: RecordOptions = {},
  ): Promise<RecordOutcome> {
    const streamId = customerStreamId(customerId);
    // One decision at a time per customer in this process: concurrent requests for one customer
    // would otherwise race for the same revision and all but one would retry.
    return this.locks.run(streamId, () => this.recordExclusively(customerId, streamId, commands, options));
  }

  private async recordExclusively(
    customerId: string,
    streamId: string,
    commands: readonly CustomerCommand[],
    options: RecordOptions,
  ): Promise<RecordOutcome> {
    let refresh = false;
    for (let attempt = 1; ; attempt++) {
      const loaded = await this.load(streamId, refresh);
      try {
        return await this.decideAndAppend(customerId, streamId, loaded, commands, options);
      } catch (error) {
        if (!worthRetrying(error, loaded, options, attempt)) throw error;
        refresh = true;
      }
    }
  }

  /**
   * Records a merge on both streams (domain.md): decided on both states
   * together (decideMerge), then the merged customer's side first, which
   * closes that stream to every command, then the survivor's. The store
   * appends one stream at a time, so should the second append not happen
   * (a crash), the merge is half recorded: the same request again (same
   * eventId) finds the merged side and records the survivor's. A repeat of a
   * whole merge returns the original result. `expectedRevision` guards the
   * survivor's stream and is checked before anything is written.
   */
  async merge(sides: MergeSides, options: RecordOptions = {}): Promise<MergeOutcome> {
    const survivorStream = customerStreamId(sides.survivor.data.survivorId);
    const mergedStream = customerStreamId(sides.survivor.data.mergedId);
    const run = () => this.mergeExclusively(sides, survivorStream, mergedStream, options);
    if (survivorStream === mergedStream) return this.locks.run(survivorStream, run);
    // Both streams locked, always in the same order, so two merges of one pair cannot deadlock.
    const [first, second] = [survivorStream, mergedStream].sort();
    return this.locks.run(first ?? survivorStream, () => this.locks.run(second ?? mergedStream, run));
  }

  private async mergeExclusively(
    sides: MergeSides,
    survivorStream: string,
    mergedStream: string,
    options: RecordOptions,
  ): Promise<MergeOutcome> {
    let refresh = false;
    for (let attempt = 1; ; attempt++) {
      const survivor = await this.load(survivorStream, refresh);
      const merged = await this.load(mergedStream, refresh);
      try {
        return await this.decideAndAppendMerge(
          sides,
          survivorStream,
          mergedStream,
          survivor,
          merged,
          options,
        );
      } catch (error) {
        const stale = survivor.fromCache || merged.fromCache;
        const retry =
          attempt < MAX_ATTEMPTS &&
          ((error instanceof WrongExpectedRevisionError && options.expectedRevision === undefined) ||
            (error instanceof WrongExpectedRevisionError && error.streamId === mergedStream) ||
            (error instanceof CommandRejectedError && stale) ||
            (error instanceof DomainError && stale));
        if (!retry) throw error;
        refresh = true;
      }
    }
  }

  private async decideAndAppendMerge(
    sides: MergeSides,
    survivorStream: string,
    mergedStream: string,
    survivor: LoadedCustomer,
    merged: LoadedCustomer,
    options: RecordOptions,
  ): Promise<MergeOutcome> {
    const { survivorId, mergedId } = sides.survivor.data;
    assertRetriesMatch(
      [{ type: 'MergeCustomers', event: sides.survivor }],
      survivor.known,
      options.serverTimed,
    );
    assertRetriesMatch([{ type: 'MergeCustomers', event: sides.merged }], merged.known, options.serverTimed);
    const survivorDone = survivor.known.get(sides.survivor.eventId);
    const mergedDone = merged.known.get(sides.merged.eventId);
    if (survivorDone && mergedDone)
      return {
        survivor: replayOutcome(survivorId, survivorStream, survivor, sides.survivor),
        merged: replayOutcome(mergedId, mergedStream, merged, sides.merged),
      };
    let mergedOutcome: RecordOutcome;
    if (mergedDone) {
      // Half recorded before: the merged side names this survivor; the survivor's side is left.
      decide({ type: 'MergeCustomers', event: sides.survivor }, survivor.state);
      mergedOutcome = replayOutcome(mergedId, mergedStream, merged, sides.merged);
    } else {
      const revision = survivor.revision ?? -1;
      if (options.expectedRevision !== undefined && options.expectedRevision !== revision)
        throw new WrongExpectedRevisionError(survivorStream, options.expectedRevision, survivor.revision);
      decideMerge(sides, survivor.state, merged.state);
      mergedOutcome = await this.appendOne(mergedId, mergedStream, merged, sides.merged);
    }
    const survivorOutcome = await this.appendOne(survivorId, survivorStream, survivor, sides.survivor);
    // The cached survivor lacks the merged customer's follow-ups (load folds them in): read it afresh.
    this.cache.delete(survivorStream);
    return { survivor: survivorOutcome, merged: mergedOutcome };
  }

  /** Appends one decided event at the revision it was decided on. */
  private async appendOne(
    customerId: string,
    streamId: string,
    loaded: LoadedCustomer,
    event: CrmEvent,
  ): Promise<RecordOutcome> {
    const result = await this.store.append(streamId, [toStoredShape(event)], {
      expectedRevision: loaded.revision ?? 'no_stream',
    });
    const appended = this.remember(streamId, loaded, [event], result);
    return {
      customerId,
      streamId,
      streamRevision: result.streamRevision,
      events: refsFor([commandFor(event)], loaded.known, appended),
    };
  }

  /** The raw stream, in revision order. */
  async readStream(customerId: string, fromRevision: number, limit: number): Promise<RecordedEvent[]> {
    return this.store.readStream(customerStreamId(customerId), { fromRevision, limit });
  }

  async streamRevision(customerId: string): Promise<number | null> {
    return this.store.streamRevision(customerStreamId(customerId));
  }

  private async decideAndAppend(
    customerId: string,
    streamId: string,
    loaded: LoadedCustomer,
    commands: readonly CustomerCommand[],
    options: RecordOptions,
  ): Promise<RecordOutcome> {
    assertRetriesMatch(commands, loaded.known, options.serverTimed);
    const fresh = uniqueNewCommands(commands, loaded.known);
    if (fresh.length === 0) {
      return {
        customerId,
        streamId,
        streamRevision: loaded.revision ?? -1,
        events: refsFor(commands, loaded.known, new Map()),
      };
    }
    const events = decideFresh(fresh, loaded.state);
    const result = await this.store.append(streamId, events.map(toStoredShape), {
      expectedRevision: options.expectedRevision ?? loaded.revision ?? 'no_stream',
    });
    const appended = this.remember(streamId, loaded, events, result);
    return {
      customerId,
      streamId,
      streamRevision: result.streamRevision,
      events: refsFor(commands, loaded.known, appended),
    };
  }

  /** From memory when cached, unless asked to refresh; otherwise folds the stream's unseen tail. */
  private async load(streamId: string, refresh: boolean): Promise<LoadedCustomer> {
    const hit = this.cache.get(streamId);
    if (hit && !refresh) return hit;
    const cached = hit ?? {
      state: initialState(),
      revision: null,
      known: new Map<string, EventRef>(),
      fromCache: false,
    };
    const tail = await this.store.readStream(streamId, { fromRevision: (cached.revision ?? -1) + 1 });
    if (tail.length === 0) return { ...cached, fromCache: false };
    const known = new Map<string, EventRef>(cached.known);
    const events: CrmEvent[] = [];
    for (const recorded of tail) {
      const event = toCrmEvent(recorded);
      const mergedId = absorbedBy(event, streamId);
      // The merged customer's follow-ups are this customer's from the merge on (decided here, folded only).
      if (mergedId !== null)
        events.push(...(await absorbedFollowUps(this.store, mergedId, recorded.position)));
      events.push(event);
      known.set(recorded.eventId, {
        revision: recorded.revision,
        position: recorded.position,
        type: recorded.type,
        identity: identityOf(event),
      });
    }
    // One fold for the whole tail: linear in its length (evolve per event copies the order map each time).
    const state = evolveAll(cached.state, events);
    const revision = tail[tail.length - 1]?.revision ?? cached.revision;
    this.cache.set(streamId, { state, revision, known, fromCache: true });
    return { state, revision, known, fromCache: false };
  }

  /** Folds what was just written into the cache, so the next request reads no tail. */
  private remember(
    streamId: string,
    loaded: LoadedCustomer,
    events: readonly CrmEvent[],
    result: AppendResult,
  ): Map<string, AppendedRef> {
    const appended = new Map<string, AppendedRef>();
    // Extended in place, not copied (a copy per append is O(stream length)): the map belongs to the
    // entry this call loaded, under this stream's lock, and the events are in the store now, so
    // whichever entry keeps this map holds only true facts. refsFor reads `appended` first.
    const known = loaded.known;
    const written: CrmEvent[] = [];
    events.forEach((event, index) => {
      const ref = result.events[index];
      if (!ref) return;
      appended.set(event.eventId, {
        revision: ref.revision,
        position: ref.position,
        type: event.type,
        duplicate: ref.duplicate,
      });
      // A duplicate keeps what the store holds (known already has it when it was loaded).
      if (!known.has(event.eventId)) {
        known.set(event.eventId, {
          revision: ref.revision,
          position: ref.position,
          type: event.type,
          identity: identityOf(event),
        });
      }
      if (!ref.duplicate) written.push(event);
    });
    const state = evolveAll(loaded.state, written);
    const cached = this.cache.get(streamId);
    if (!cached || (cached.revision ?? -1) < result.streamRevision) {
      // Only a full fold is cached: if a concurrent writer slipped in between, drop the entry instead.
      if ((loaded.revision ?? -1) + events.length === result.streamRevision) {
        this.cache.set(streamId, { state, revision: result.streamRevision, known, fromCache: true });
      } else {
        this.cache.delete(streamId);
      }
    }
    return appended;
  }
}

/** The original result of an event the stream holds already. */
function replayOutcome(
  customerId: string,
  streamId: string,
  loaded: LoadedCustomer,
  event: CrmEvent,
): RecordOutcome {
  return {
    customerId,
    streamId,
    streamRevision: loaded.revision ?? -1,
    events: refsFor([commandFor(event)], loaded.known, new Map()),
  };
}

function worthRetrying(
  error: unknown,
  loaded: LoadedCustomer,
  options: RecordOptions,
  attempt: number,
): boolean {
  if (attempt >= MAX_ATTEMPTS) return false;
  if (error instanceof WrongExpectedRevisionError) return options.expectedRevision === undefined;
  return error instanceof CommandRejectedError && loaded.fromCache;
}

/** Decides the fresh commands; a rejection names the command's place in the caller's list. */
function decideFresh(fresh: readonly IndexedCommand[], state: CustomerState): CrmEvent[] {
  try {
    return decideAll(
      fresh.map(({ command }) => command),
      state,
    ).events;
  } catch (error) {
    if (!(error instanceof CommandRejectedError)) throw error;
    throw new CommandRejectedError(fresh[error.index]?.index ?? error.index, error.reason);
  }
}

/** A command with its place in the caller's list, so a rejection names the caller's item. */
type IndexedCommand = { readonly command: CustomerCommand; readonly index: number };

/**
 * A repeated eventId (stored already, or twice in this call) must carry the
 * same event: otherwise the whole call is refused, naming the command.
 */
function assertRetriesMatch(
  commands: readonly CustomerCommand[],
  known: ReadonlyMap<string, EventRef>,
  serverTimed: ReadonlySet<string> = new Set(),
): void {
  // Identities (a SHA-256 of the payload each) are computed only for an eventId seen before.
  const firstInCall = new Map<string, CustomerCommand>();
  commands.forEach((command, index) => {
    const { eventId } = command.event;
    const first = firstInCall.get(eventId);
    const original = known.get(eventId)?.identity ?? (first && identityOf(first.event));
    if (original === undefined) {
      firstInCall.set(eventId, command);
      return;
    }
    if (!sameEvent(original, identityOf(command.event), serverTimed.has(eventId))) {
      throw new CommandRejectedError(index, payloadMismatch(eventId));
    }
  });
}

/** Drops commands whose eventId is already stored, and repeats within the call. */
function uniqueNewCommands(
  commands: readonly CustomerCommand[],
  known: ReadonlyMap<string, EventRef>,
): IndexedCommand[] {
  const seen = new Set<string>();
  const fresh: IndexedCommand[] = [];
  commands.forEach((command, index) => {
    const id = command.event.eventId;
    if (known.has(id) || seen.has(id)) return;
    seen.add(id);
    fresh.push({ command, index });
  });
  return fresh;
}

function refsFor(
  commands: readonly CustomerCommand[],
  known: ReadonlyMap<string, EventRef>,
  appended: ReadonlyMap<string, AppendedRef>,
): RecordedRef[] {
  const firstSeen = new Set<string>();
  return commands.map((command) => {
    const { eventId, type } = command.event;
    const written = appended.get(eventId);
    const isFirst = !firstSeen.has(eventId);
    firstSeen.add(eventId);
    if (written)
      return {
        eventId,
        type,
        revision: written.revision,
        position: written.position,
        duplicate: written.duplicate || !isFirst,
      };
    const original = known.get(eventId);
    if (!original) throw new Error(`No recorded position for event ${eventId}`);
    return {
      eventId,
      type: original.type,
      revision: original.revision,
      position: original.position,
      duplicate: true,
    };
  });
}
