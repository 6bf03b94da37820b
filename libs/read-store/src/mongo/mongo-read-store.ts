import { MongoClient, type Collection, type Db, type Document } from 'mongodb';
import {
  type CollectionSpec,
  type CounterPairSum,
  type CounterRange,
  type CounterSet,
  type Filter,
  type FindOptions,
  type Page,
  type ReadOptions,
  type ReadStore,
  type StoredDocument,
  sumCounterPairs,
  type UnitOfWork,
} from '../read-store.port';
import {
  InvalidQueryError,
  ReadStoreError,
  ReadStoreUnavailableError,
  UnknownCollectionError,
} from '../read-store.errors';
import { checkCounterSums } from '../core/counter-sums.validation';
import { normalizeFilter } from '../core/filter.normalization';
import { planFind } from '../core/find-options.normalization';
import { checkCollectionSpec } from '../core/collection-spec.validation';
import { assertName } from '../core/names.validation';
import { encodeCursor, type SortKey } from '../core/page-cursor.codec';
import { pickFields, readFields } from '../core/read-fields.validation';
import { checkUnit } from '../core/unit-of-work.validation';
import { compileFilter } from './mongo-filter.compiler';
import { compileFind, sortValuesOf } from './mongo-find.compiler';
import {
  CHECKPOINTS,
  type CollectionKind,
  collectionExists,
  isCounters,
  markCounters,
  createCollection,
  indexesOf,
  type CheckpointDocument,
  type StoredRow,
} from './mongo-read-store.schema';
import { commitUnit } from './mongo-unit-commit';
import { applyIncrements, assertSafeTotals, counterSetOf, type CounterRow } from './mongo-counters';
import { ensureIndexes } from './mongo-indexes';
import { detectEngine, WRITE_PROFILES, type MongoEngine, type WriteProfile } from './mongo-write-profile';

export type MongoReadStoreOptions = {
  /** A MongoDB connection string, e.g. `mongodb://127.0.0.1:27018/` (FerretDB or MongoDB). */
  readonly url: string;
  /** The database that holds the read models and their checkpoints. */
  readonly database: string;
  /**
   * How long an operation waits for a reachable server before failing with
   * ReadStoreUnavailableError. Default 10000.
   */
  readonly serverSelectionTimeoutMs?: number;
  /**
   * Which server's write profile to use (see `mongo-write-profile.ts`).
   * Default: asked of the server when the store opens.
   */
  readonly engine?: MongoEngine;
};

/**
 * The production adapter, for MongoDB and FerretDB: a collection per read
 * model, documents stored as plain fields with `_id` = `id`, each unit of
 * work applied as position-guarded single-document writes (see
 * `mongo-unit-commit.ts` and docs/mongodb.md), sent the way the server
 * handles best (`mongo-write-profile.ts`).
 */
export class MongoReadStore implements ReadStore {
  /** Collections seen to exist, by kind; a miss asks the server, since another process may have created it. */
  private readonly collections = new Map<string, CollectionKind>();
  private closed = false;
  private incrementTurn: Promise<void> = Promise.resolve();

  private constructor(
    private readonly client: MongoClient,
    private readonly db: Db,
    private readonly profile: WriteProfile,
  ) {}

  /** The server the writes are shaped for. */
  get engine(): MongoEngine {
    return this.profile.engine;
  }

  /** Connects and pings, so a wrong URL fails here rather than on the first read. */
  static async open(options: MongoReadStoreOptions): Promise<MongoReadStore> {
    const client = new MongoClient(options.url, {
      serverSelectionTimeoutMS: options.serverSelectionTimeoutMs ?? 10_000,
      appName: 'crm-read-store',
      // JSON drops undefined fields; the driver would store them as null.
      ignoreUndefined: true,
    });
    try {
      const db = client.db(options.database);
      await db.command({ ping: 1 });
      const engine = options.engine ?? (await detectEngine(db));
      return new MongoReadStore(client, db, WRITE_PROFILES[engine]);
    } catch (cause) {
      await client.close().catch(() => undefined);
      throw new ReadStoreUnavailableError(
        `Cannot open read store ${options.database} at ${redact(options.url)}`,
        {
          cause,
        },
      );
    }
  }

  ensureCollections(specs: readonly CollectionSpec[]): Promise<void> {
    return this.run(async () => {
      const checked = specs.map(checkCollectionSpec);
      for (const spec of checked) {
        await createCollection(this.db, spec.name);
        if (spec.kind === 'counters') await markCounters(this.db, spec.name);
        else await ensureIndexes(this.db.collection<StoredRow>(spec.name), indexesOf(spec));
        this.collections.set(spec.name, spec.kind === 'counters' ? 'counters' : 'documents');
      }
    });
  }

  get<T extends StoredDocument = StoredDocument>(collection: string, id: string): Promise<T | null> {
    return this.run(async () => {
      const target = await this.collection(collection);
      if (typeof id !== 'string') throw new InvalidQueryError('the id is not a string');
      const found = await target.findOne({ _id: id });
      return found ? fromStored<T>(found) : null;
    });
  }

  getMany<T extends StoredDocument = StoredDocument>(
    collection: string,
    ids: readonly string[],
    options: ReadOptions = {},
  ): Promise<T[]> {
    return this.run(async () => {
      const target = await this.collection(collection);
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new InvalidQueryError('the ids are not a list of strings');
      }
      const fields = readFields(options.fields);
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const found = await target
        .find({ _id: { $in: unique } }, { projection: projectionOf(fields, []) })
        .toArray();
      const byId = new Map(found.map((document) => picked<T>(document, fields)).map((doc) => [doc.id, doc]));
      return unique.flatMap((id) => byId.get(id) ?? []);
    });
  }

  find<T extends StoredDocument = StoredDocument>(
    collection: string,
    options?: FindOptions,
  ): Promise<Page<T>> {
    return this.run(async () => {
      const target = await this.collection(collection);
      const plan = planFind(options);
      const query = compileFind(plan);
      const projection = projectionOf(plan.fields, plan.keys);
      const found = await target
        .find(query.filter, { projection })
        .sort(query.sort)
        .limit(query.limit)
        .toArray();
      const page = found.slice(0, plan.limit).map((document) => fromStored<T>(document));
      const last = found.length > plan.limit ? page.at(-1) : undefined;
      return {
        items: plan.fields === null ? page : page.map((doc) => pickFields<T>(doc, plan.fields ?? [])),
        nextCursor: last ? encodeCursor(plan.keys, sortValuesOf(last, plan.keys)) : null,
      };
    });
  }

  count(collection: string, filter?: Filter): Promise<number> {
    return this.run(async () => {
      const target = await this.collection(collection);
      return target.countDocuments(compileFilter(normalizeFilter(filter)));
    });
  }

  getCounters(collection: string, ids: readonly string[]): Promise<CounterSet[]> {
    return this.run(async () => {
      const target = await this.collection<CounterRow>(collection, 'counters');
      if (!Array.isArray(ids) || !ids.every((id) => typeof id === 'string')) {
        throw new InvalidQueryError('the ids are not a list of strings');
      }
      const unique = [...new Set(ids)];
      if (unique.length === 0) return [];
      const found = await target.find({ _id: { $in: unique } }, { projection: { u: 0 } }).toArray();
      const byId = new Map(found.map(counterSetOf).map((set) => [set.id, set]));
      return unique.flatMap((id) => {
        const set = byId.get(id);
        return set && set.counters.size > 0 ? [set] : [];
      });
    });
  }

  /** Read whole and summed here: what MongoDB's aggregation could do with counters stored as field names costs more than it saves. */
  sumCounters(collection: string, sums: readonly CounterPairSum[]): Promise<number[]> {
    return this.run(async () => {
      const checked = checkCounterSums(sums);
      const sets = new Map(
        (await this.getCounters(collection, [...new Set(checked.map((sum) => sum.set))])).map(
          (set) => [set.id, set.counters] as const,
        ),
      );
      return checked.map((sum) => sumCounterPairs(sets.get(sum.set) ?? new Map<string, number>(), sum));
    });
  }

  rangeCounters(collection: string, range: CounterRange): Promise<CounterSet[]> {
    return this.run(async () => {
      const target = await this.collection<CounterRow>(collection, 'counters');
      if (typeof range?.from !== 'string' || typeof range.to !== 'string') {
        throw new InvalidQueryError('the range bounds are not strings');
      }
      const found = await target
        .find({ _id: { $gte: range.from, $lt: range.to } }, { projection: { u: 0 } })
        .sort({ _id: 1 })
        .toArray();
      return found.map(counterSetOf).filter((set) => set.counters.size > 0);
    });
  }

  commit(unit: UnitOfWork): Promise<void> {
    return this.run(async () => {
      const checked = checkUnit(unit);
      for (const name of new Set(checked.writes.map((write) => write.collection)))
        await this.collection(name);
      for (const name of new Set(checked.increments.map((write) => write.collection)))
        await this.collection(name, 'counters');
      // Increments first: a crash after them replays the same unit, which the sets recognise.
      await this.inTurn(async () => {
        await assertSafeTotals(this.db, checked);
        await applyIncrements(this.db, checked);
      });
      await commitUnit(this.db, checked, this.profile);
    });
  }

  checkpoint(projection: string): Promise<number> {
    return this.run(async () => {
      const _id = assertName('projection', projection);
      const found = await this.db.collection<CheckpointDocument>(CHECKPOINTS).findOne({ _id });
      return found?.position ?? 0;
    });
  }

  /** The checkpoint goes first: an interrupted reset must never leave a checkpoint over missing documents. */
  resetProjection(projection: string, collections: readonly string[]): Promise<void> {
    return this.run(async () => {
      const _id = assertName('projection', projection);
      const targets = [];
      for (const name of collections) targets.push(await this.collection(name, 'any'));
      await this.db.collection<CheckpointDocument>(CHECKPOINTS).deleteOne({ _id });
      for (const target of targets) await target.deleteMany({});
    });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.client.close();
  }

  /**
   * Increments of this process's units, one unit at a time: FerretDB applies
   * `$inc` as a read then a write, so two units adding to one set at once
   * would lose one addition (MongoDB's `$inc` is atomic; see docs/mongodb.md).
   */
  private inTurn(work: () => Promise<void>): Promise<void> {
    const turn = this.incrementTurn.then(work);
    this.incrementTurn = turn.catch(() => undefined);
    return turn;
  }

  /** A known collection. */
  private async collection<R extends Document = StoredRow>(
    name: string,
    kind: CollectionKind | 'any' = 'documents',
  ): Promise<Collection<R>> {
    const checked = assertName('collection', name);
    let known = this.collections.get(checked);
    if (known === undefined) {
      if (!(await collectionExists(this.db, checked))) throw new UnknownCollectionError(checked);
      known = (await isCounters(this.db, checked)) ? 'counters' : 'documents';
      this.collections.set(checked, known);
    }
    if (kind !== 'any' && known !== kind) throw new UnknownCollectionError(checked);
    return this.db.collection<R>(checked);
  }

  /** Engine and network failures become ReadStoreUnavailableError; the port's own errors pass through. */
  private async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.closed) throw new ReadStoreUnavailableError('The read store is closed');
    try {
      return await work();
    } catch (error) {
      if (error instanceof ReadStoreError) throw error;
      throw new ReadStoreUnavailableError('The read store failed', { cause: error });
    }
  }
}

/** What a read carries out of MongoDB: whole documents, or the fields and the sort's fields (for the cursor). */
function projectionOf(fields: readonly string[] | null, keys: readonly SortKey[]): Document | undefined {
  if (fields === null) return undefined;
  // Stored documents keep their own `id` beside `_id`.
  const names = ['id', 'position', ...fields, ...keys.map((key) => key.field)];
  return Object.fromEntries(names.map((name) => [name, 1]));
}

function picked<T>(stored: Document, fields: readonly string[] | null): T {
  const doc = fromStored<Record<string, unknown>>(stored);
  return fields === null ? (doc as T) : pickFields<T>(doc, fields);
}

/** The stored document without `_id`, which is the same as the `id` it keeps: exactly what was put. */
function fromStored<T>(stored: Document): T {
  const { _id: _ignored, ...document } = stored;
  return document as T;
}

/** Keeps credentials out of error messages. */
function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}
