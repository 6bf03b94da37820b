/**
 * The read-model store port. Projections follow the event log and write
 * documents here; the query API reads them. Adapters (embedded SQLite,
 * MongoDB) live beside it and all pass the shared contract suite in
 * `./testing`.
 *
 * The model is MongoDB's, kept small enough for any engine: named collections
 * of JSON documents keyed by a string `id`, top-level filters with a few
 * operators, sort, limit, keyset paging and count.
 *
 * Every document carries `position`, the global event-log position of the
 * last event applied to it. Writes are guarded by it (see `commit`), which is
 * what makes projections idempotent and crash-safe without distributed
 * transactions: replaying events a store has already seen changes nothing.
 */

/** A JSON scalar: the only values filters compare. */
export type Scalar = string | number | boolean | null;

/** A range bound. Null has no order, so it bounds nothing and is rejected. */
export type Bound = string | number | boolean;

/**
 * Values of different types never compare equal or in range: `10` does not
 * match `'10'` and `true` does not match `1` (MongoDB's type brackets).
 * Numbers compare numerically, strings by their UTF-8 bytes (so ISO-8601
 * timestamps in one format order chronologically), false < true.
 *
 * A missing field equals null, never matches a range, and matches `$ne` of
 * any non-null value. Filter only on fields holding scalars: engines differ
 * on arrays (MongoDB matches their elements) and objects.
 *
 * A condition or operator whose value is `undefined` is ignored, so a query
 * can be built from optional parameters; a condition left with no operator
 * constrains nothing. (MongoDB would otherwise read `undefined` as null.)
 */
export type FieldCondition =
  | Scalar
  | {
      readonly $eq?: Scalar;
      readonly $ne?: Scalar;
      readonly $gt?: Bound;
      readonly $gte?: Bound;
      readonly $lt?: Bound;
      readonly $lte?: Bound;
      /** Matches any of the values; `[]` matches nothing. */
      readonly $in?: readonly Scalar[];
    };

/**
 * Conditions on top-level fields, all of which must hold. Field names follow
 * FIELD_NAME; `id` and `position` are fields like any other.
 */
export type Filter = Readonly<Record<string, FieldCondition>>;

export type SortDirection = 'asc' | 'desc';

/**
 * Most significant first. Null and missing values sort lowest (first when
 * ascending). The order between values of different types in one field is
 * only guaranteed for null < numbers < strings; keep one type per field.
 *
 * Every sort ends with `id` as a tie-break (unless it already contains `id`),
 * in the direction of the last entry, so that one index on (field, id) serves
 * both directions and paging is stable.
 */
export type Sort = readonly { readonly field: string; readonly direction: SortDirection }[];

export type FindOptions = {
  readonly filter?: Filter;
  /** Default: by `id` ascending. */
  readonly sort?: Sort;
  /** An integer from 1 to MAX_LIMIT; default DEFAULT_LIMIT. */
  readonly limit?: number;
  /**
   * `nextCursor` of the previous page, with the same sort. The filter may
   * change between pages: the cursor marks a place in the sort order, not in
   * a result set. Paging a collection nobody writes to returns each matching
   * document exactly once; a document written between two pages shows up
   * again, or not at all, depending on where its new sort values fall.
   */
  readonly cursor?: string;
  /** Only these fields of each document (see ReadOptions). */
  readonly fields?: readonly string[];
};

/** How documents are read back. */
export type ReadOptions = {
  /**
   * Top-level fields to return: each document then holds its `id`, its
   * `position` and exactly these fields, a field the document lacks as
   * null; nothing else is read out of the store (a page of a wide document
   * carries what it shows). At most MAX_FIELDS names, each a FIELD_NAME.
   * Unset: whole documents.
   */
  readonly fields?: readonly string[];
};

export const MAX_FIELDS = 50;

export const DEFAULT_LIMIT = 100;
export const MAX_LIMIT = 1000;

export type Page<T> = {
  readonly items: T[];
  /** Opaque; null when this page is the last one. */
  readonly nextCursor: string | null;
};

/**
 * The header every stored document has. `position` is the global log position
 * of the last event applied to the document.
 */
export type DocumentHeader = { readonly id: string; readonly position: number };

/**
 * A document is plain JSON: strings, finite numbers, booleans, null, arrays
 * and plain objects. Fields set to `undefined` are dropped. Dates, BigInts,
 * class instances and keys starting with `$` are rejected, and `_id` is
 * reserved at the top level, so that every engine stores the same thing and
 * hands back exactly what was put (timestamps are ISO-8601 strings).
 * Numbers beyond 2^53 lose precision.
 */
export type StoredDocument = DocumentHeader & Readonly<Record<string, unknown>>;

export type PutWrite = {
  readonly kind: 'put';
  readonly collection: string;
  /** Replaces the whole stored document, unless it is not newer (see `commit`). */
  readonly document: StoredDocument;
};

export type DeleteWrite = {
  readonly kind: 'delete';
  readonly collection: string;
  readonly id: string;
  /** Position of the event that deleted the document. */
  readonly position: number;
};

/**
 * Adds integer deltas to named counters of one counter set (a collection of
 * kind `counters`). Counters are what many customers share (a day's KPI
 * totals, a rank histogram), so they are changed by increments rather than
 * replaced: two writers never lose each other's work. A projection derives
 * its increments from the change of a customer's own document in the same
 * unit, so a replayed unit (which finds the document already changed)
 * increments nothing.
 */
export type IncrementWrite = {
  readonly kind: 'increment';
  readonly collection: string;
  /** The counter set; any non-empty string of at most MAX_COUNTER_NAME characters. */
  readonly id: string;
  /**
   * Counter name → delta, a safe integer. Names are any non-empty strings of
   * at most MAX_COUNTER_NAME characters. A Map is read as it is, so a
   * projection hands over the tallies it built without copying them.
   */
  readonly counters: Readonly<Record<string, number>> | ReadonlyMap<string, number>;
};

export type Write = PutWrite | DeleteWrite | IncrementWrite;

/** An increment's counters as [name, delta] pairs, whichever form they were given in. */
export function counterEntries(counters: IncrementWrite['counters']): Iterable<readonly [string, number]> {
  return counters instanceof Map ? counters : Object.entries(counters);
}

export const MAX_COUNTER_NAME = 512;

/** A counter set as read: a counter that is 0 may be absent. */
export type CounterSet = { readonly id: string; readonly counters: ReadonlyMap<string, number> };

/**
 * A sum over one counter set whose counters are named by two integers,
 * `<a>:<b>` (decimal, as `String(number)` writes them): the counters with
 * a below `belowFirst` and b below `belowSecond`, null meaning no bound. A
 * name of one integer `<a>` reads as `<a>:<a>`, so a set of single values
 * (a histogram) is summed below a bound with `belowFirst` alone. A set
 * summed this way holds no other names.
 */
export type CounterPairSum = {
  readonly set: string;
  readonly belowFirst: number | null;
  readonly belowSecond: number | null;
};

/** What a CounterPairSum adds up, over a set as read (the adapters that sum in memory, and the contract). */
export function sumCounterPairs(counters: ReadonlyMap<string, number>, sum: CounterPairSum): number {
  let total = 0;
  for (const [name, count] of counters) {
    const split = name.indexOf(':');
    const first = split < 0 ? name : name.slice(0, split);
    if (sum.belowFirst !== null && !(Number(first) < sum.belowFirst)) continue;
    if (sum.belowSecond !== null && !(Number(name.slice(split + 1)) < sum.belowSecond)) continue;
    total += count;
  }
  return total;
}

/** Counter set ids from `from` (inclusive) to `to` (exclusive), in string (UTF-8 byte) order. */
export type CounterRange = { readonly from: string; readonly to: string };

/** What one projection made of the events up to and including `position`. */
export type UnitOfWork = {
  /** Matches PROJECTION_NAME, e.g. `customer-journey`. */
  readonly projection: string;
  /** The log position the projection has now applied; a safe integer ≥ 0. */
  readonly position: number;
  /**
   * Applied in order. A write's position must not exceed the unit's. Two
   * writes to one document need increasing positions, or the second is
   * ignored: coalesce them into one put instead.
   */
  readonly writes: readonly Write[];
};

export type CollectionSpec = {
  /** Matches COLLECTION_NAME. */
  readonly name: string;
  /**
   * `documents` (default): JSON documents, read with get/getMany/find/count.
   * `counters`: counter sets, changed by IncrementWrite and read with
   * getCounters/rangeCounters; they take no indexes.
   */
  readonly kind?: 'documents' | 'counters';
  /** Top-level fields to filter and sort on quickly; each gets an index on (field, id). */
  readonly indexes: readonly IndexSpec[];
};

/**
 * A field to index: on (field, id), or with `carries` on (field, id, …carried
 * fields). A filter on the carried fields is then checked in the index, so
 * a page in id order of the field's value, kept to a range of a carried
 * field, reads only the documents it returns. One index per field: declaring
 * it with other carried fields replaces the previous one on the next
 * ensureCollections.
 */
export type IndexSpec = string | { readonly field: string; readonly carries: readonly string[] };

/**
 * Lower-case only: SQLite table names ignore case while MongoDB collection
 * names do not, so two names differing in case would share a table in one
 * adapter and not in the other.
 */
export const COLLECTION_NAME = /^[a-z][a-z0-9_]{0,62}$/;
/** Top-level only: no dots, so a name is safe to embed in a JSON path. */
export const FIELD_NAME = /^[a-z][a-z0-9_]{0,62}$/i;
/** Projection names are stored as values, never in SQL text, so they may hold `-`, `.` and `:`. */
export const PROJECTION_NAME = /^[a-z][a-z0-9_.:-]{0,127}$/i;

export interface ReadStore {
  /**
   * Creates the collections and their indexes if missing; never drops
   * anything, so indexes no longer declared stay until removed by hand.
   * Safe to call on every start, from several processes.
   *
   * @throws InvalidNameError for a collection or field name that is not allowed.
   */
  ensureCollections(specs: readonly CollectionSpec[]): Promise<void>;

  /**
   * The documents are JSON as put; `T` is the caller's claim about their
   * shape, not checked.
   *
   * @throws UnknownCollectionError when the collection was never ensured.
   */
  get<T extends StoredDocument = StoredDocument>(collection: string, id: string): Promise<T | null>;

  /** The documents that exist, in the order of `ids`, each once. */
  getMany<T extends StoredDocument = StoredDocument>(
    collection: string,
    ids: readonly string[],
    options?: ReadOptions,
  ): Promise<T[]>;

  /**
   * @throws InvalidQueryError for a malformed filter, sort or limit.
   * @throws InvalidCursorError for a cursor this store did not hand out for this sort.
   */
  find<T extends StoredDocument = StoredDocument>(
    collection: string,
    options?: FindOptions,
  ): Promise<Page<T>>;

  count(collection: string, filter?: Filter): Promise<number>;

  /**
   * The counter sets among `ids` that hold a counter other than 0, in the
   * order of `ids`, each once.
   *
   * @throws UnknownCollectionError when no counters collection of that name was ensured.
   */
  getCounters(collection: string, ids: readonly string[]): Promise<CounterSet[]>;

  /** The counter sets whose id is in the range, ascending by id. */
  rangeCounters(collection: string, range: CounterRange): Promise<CounterSet[]>;

  /**
   * Each sum's total, in the order of `sums`, from one consistent read (a
   * set that holds nothing sums to 0). The store adds the counters up where
   * it can (SQLite: in the statement), so a read that needs a few totals
   * over thousands of counters does not carry the counters to the caller.
   *
   * @throws UnknownCollectionError when no counters collection of that name was ensured.
   * @throws InvalidQueryError for a sum that is not a set id and two bounds (integers or null).
   */
  sumCounters(collection: string, sums: readonly CounterPairSum[]): Promise<number[]>;

  /**
   * Applies a unit of work. For each write:
   * - a put is applied only if no stored document with its id has a
   *   `position >=` the put's; a replayed older put is a no-op;
   * - a delete is applied only if the stored document's position is lower
   *   than the delete's;
   * - an increment adds its deltas to the set's counters (creating them);
   * then the projection's checkpoint is raised to `position` (never lowered).
   *
   * The whole unit is validated before anything is written: a malformed write
   * or an unknown collection rejects it with nothing applied.
   *
   * Atomicity differs by engine, convergence does not. SQLite applies the
   * unit in one transaction. MongoDB (and FerretDB, which has no
   * multi-document transactions) applies per-document conditional writes and
   * then the checkpoint; a crash in between leaves the checkpoint behind, the
   * projection replays the unit, and the position guard makes the replay a
   * no-op for the writes already applied. Increments go first and each set
   * remembers the last unit it took from each projection (checkpoint key),
   * so the same unit replayed does not add twice; a replay that is a
   * different unit (more events) would (a log-following runner replays the
   * same unit; see docs/mongodb.md). Until that replay passes a delete,
   * a replayed older put can bring the deleted document back for a moment
   * (there are no tombstones). Convergence assumes one projection owns each
   * collection.
   *
   * @throws InvalidWriteError, InvalidNameError, UnknownCollectionError before writing anything.
   * @throws ReadStoreUnavailableError when the engine fails.
   */
  commit(unit: UnitOfWork): Promise<void>;

  /** The last position committed by the projection; 0 when it has none. */
  checkpoint(projection: string): Promise<number>;

  /**
   * Clears the given collections and deletes the projection's checkpoint, so
   * it rebuilds from the start of the log. Stop the projection first. A
   * non-transactional adapter deletes the checkpoint before clearing, so an
   * interrupted reset never leaves a checkpoint over missing documents; call
   * it again to finish.
   */
  resetProjection(projection: string, collections: readonly string[]): Promise<void>;

  /**
   * Optional: makes the bytes of documents replaced or deleted so far
   * unrecoverable from the engine's own files, so that an erasure, once
   * projected, leaves no old copy behind (SQLite: the old page versions in
   * the WAL). An engine that keeps no such copies may leave it out.
   *
   * @throws ReadStoreUnavailableError when it could not finish; retrying is safe.
   */
  purgeDeleted?(): Promise<void>;

  /** Calls made after this one reject with ReadStoreUnavailableError. */
  close(): Promise<void>;
}

/** DI token for the configured adapter. */
export const READ_STORE = Symbol('READ_STORE');
