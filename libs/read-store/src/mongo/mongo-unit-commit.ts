import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import type { CheckedUnit, CheckedWrite } from '../core/unit-of-work.validation';
import { CHECKPOINTS, type CheckpointDocument, type StoredRow } from './mongo-read-store.schema';

/** E11000: the upsert of a put found the id taken by a document at least as new. */
const DUPLICATE_KEY = 11000;

type PutWrite = Extract<CheckedWrite, { kind: 'put' }>;

/**
 * Applies a checked unit without transactions (FerretDB v1 has none): every
 * write is a conditional single-document write guarded by `position`, then
 * the checkpoint is raised. A crash in between leaves the checkpoint behind;
 * the projection replays the unit and the guards turn the replayed writes
 * into no-ops, so the store converges to what one atomic commit would give.
 */
export async function commitUnit(db: Db, unit: CheckedUnit): Promise<void> {
  for (const round of roundsOf(unit.writes)) await applyRound(db, round);
  await db
    .collection<CheckpointDocument>(CHECKPOINTS)
    .updateOne({ _id: unit.projection }, { $max: { position: unit.position } }, { upsert: true });
}

/**
 * Writes in one round touch distinct documents, so each collection's share
 * can go in one unordered bulk write (one round trip) without changing the
 * outcome. The n-th write to a document goes in round n, which keeps the
 * port's in-order semantics for the rare unit that writes a document twice.
 */
function roundsOf(writes: readonly CheckedWrite[]): CheckedWrite[][] {
  const seen = new Map<string, number>();
  const rounds: CheckedWrite[][] = [];
  for (const write of writes) {
    const key = `${write.collection}\u0000${write.id}`;
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    (rounds[round] ??= []).push(write);
  }
  return rounds;
}

async function applyRound(db: Db, writes: readonly CheckedWrite[]): Promise<void> {
  const byCollection = new Map<string, CheckedWrite[]>();
  for (const write of writes) {
    const group = byCollection.get(write.collection) ?? [];
    group.push(write);
    byCollection.set(write.collection, group);
  }
  await Promise.all([...byCollection].map(([collection, group]) => applyToCollection(db, collection, group)));
}

async function applyToCollection(db: Db, collection: string, writes: readonly CheckedWrite[]): Promise<void> {
  const target = db.collection<StoredRow>(collection);
  const stale = await bulkWrite(target, writes.map(upsertOrDelete), writes);
  if (stale.length === 0) return;
  // An upsert collides with the id when the stored document is at least as
  // new (the usual case: a replay, then this changes nothing) or when another
  // writer created it meanwhile; replacing only an older one covers both.
  const retries = await bulkWrite(target, stale.map(replaceIfOlder), stale);
  if (retries.length > 0) throw new Error(`Unexpected duplicate keys replacing ${retries.length} documents`);
}

/** Runs one unordered bulk write; returns the puts whose upsert hit a duplicate key, rethrows anything else. */
async function bulkWrite(
  target: Collection<StoredRow>,
  operations: AnyBulkWriteOperation<StoredRow>[],
  writes: readonly CheckedWrite[],
): Promise<PutWrite[]> {
  try {
    await target.bulkWrite(operations, { ordered: false });
    return [];
  } catch (error) {
    if (!(error instanceof MongoBulkWriteError)) throw error;
    const failures = [error.writeErrors].flat();
    const collided = failures.map((failure) =>
      failure.code === DUPLICATE_KEY ? writes[failure.index] : undefined,
    );
    const puts = collided.filter((write): write is PutWrite => write?.kind === 'put');
    if (failures.length === 0 || puts.length !== failures.length || error.err !== undefined) throw error;
    return puts;
  }
}

function upsertOrDelete(write: CheckedWrite): AnyBulkWriteOperation<StoredRow> {
  if (write.kind === 'delete') {
    return { deleteOne: { filter: { _id: write.id, position: { $lt: write.position } } } };
  }
  return {
    replaceOne: {
      filter: { _id: write.id, position: { $lt: write.position } },
      replacement: toStored(write),
      upsert: true,
    },
  };
}

function replaceIfOlder(write: PutWrite): AnyBulkWriteOperation<StoredRow> {
  return {
    replaceOne: {
      filter: { _id: write.id, position: { $lt: write.position } },
      replacement: toStored(write),
    },
  };
}

/** `_id` first, then the document as put: reading it back drops `_id` and gives the same object. */
function toStored(write: PutWrite): StoredRow {
  return { _id: write.id, ...write.document };
}
