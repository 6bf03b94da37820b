import { MongoBulkWriteError, type AnyBulkWriteOperation, type Collection, type Db } from 'mongodb';
import type { CheckedUnit, CheckedWrite } from '../core/unit-of-work.validation';
import { CHECKPOINTS, type CheckpointDocument, type StoredRow } from './mongo-read-store.schema';

/** E11000: an upsert found its id taken (another writer created the document meanwhile). */
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
 * can go in one bulk write (two round trips: the stored positions, then the
 * writes) without changing the outcome. The n-th write to a document goes in
 * round n, which keeps the port's in-order semantics for the rare unit that
 * writes a document twice.
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

/**
 * Puts the stored document is already as new as are dropped first (reading
 * the positions is one query), so that in the usual case no upsert can
 * collide: FerretDB ends a write command at its first error, even an
 * unordered one, which would silently drop the writes after it.
 */
async function applyToCollection(db: Db, collection: string, writes: readonly CheckedWrite[]): Promise<void> {
  const target = db.collection<StoredRow>(collection);
  const stored = await storedPositions(target, writes);
  const live = writes.filter(
    (write) => write.kind === 'delete' || (stored.get(write.id) ?? -1) < write.position,
  );
  if (live.length === 0) return;
  try {
    await target.bulkWrite(live.map(upsertOrDelete), { ordered: true });
  } catch (error) {
    if (!isDuplicateKey(error)) throw error;
    // Another writer created a document between the read and the write: go one by one.
    for (const write of live) await applyOne(target, write);
  }
}

async function storedPositions(
  target: Collection<StoredRow>,
  writes: readonly CheckedWrite[],
): Promise<Map<string, number>> {
  const ids = writes.filter((write) => write.kind === 'put').map((write) => write.id);
  if (ids.length === 0) return new Map();
  const found = await target.find({ _id: { $in: ids } }, { projection: { position: 1 } }).toArray();
  return new Map(found.map((row): [string, number] => [row._id, Number(row['position'])]));
}

/**
 * An upsert collides with the id when the stored document is at least as new
 * (then this changes nothing) or when another writer created it meanwhile;
 * replacing only an older one covers both.
 */
async function applyOne(target: Collection<StoredRow>, write: CheckedWrite): Promise<void> {
  try {
    await target.bulkWrite([upsertOrDelete(write)]);
  } catch (error) {
    if (!isDuplicateKey(error) || write.kind !== 'put') throw error;
    await target.bulkWrite([replaceIfOlder(write)]);
  }
}

function isDuplicateKey(error: unknown): boolean {
  if (!(error instanceof MongoBulkWriteError)) return false;
  const failures = [error.writeErrors].flat();
  return failures.length > 0 && failures.every((failure) => failure.code === DUPLICATE_KEY);
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
