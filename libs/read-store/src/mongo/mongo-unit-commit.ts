import { MongoBulkWriteError, type Collection, type Db } from 'mongodb';
import type { CheckedUnit, CheckedWrite } from '../core/unit-of-work.validation';
import { CHECKPOINTS, type CheckpointDocument, type StoredRow } from './mongo-read-store.schema';
import { byCollection, planCommands, replaceIfOlder, roundsOf, statementOf } from './mongo-write-plan';
import type { WriteProfile } from './mongo-write-profile';

/** E11000: an upsert found its id taken (another writer created the document meanwhile). */
const DUPLICATE_KEY = 11000;

/**
 * Applies a checked unit without transactions (FerretDB v1 has none): the
 * writes that are newer than what is stored, as single-document writes, then
 * the checkpoint raised. A crash in between leaves the checkpoint behind; the
 * projection replays the unit, the replayed writes are no longer newer and
 * are dropped, so the store converges to what one atomic commit would give.
 *
 * Collections and commands go one after another: FerretDB runs out of
 * connections when update commands rewriting many documents overlap (see
 * WriteProfile.statementsPerCommand).
 */
export async function commitUnit(db: Db, unit: CheckedUnit, profile: WriteProfile): Promise<void> {
  for (const round of roundsOf(unit.writes)) {
    for (const [collection, writes] of byCollection(round)) {
      await applyToCollection(db.collection<StoredRow>(collection), writes, profile);
    }
  }
  await db
    .collection<CheckpointDocument>(CHECKPOINTS)
    .updateOne({ _id: unit.projection }, { $max: { position: unit.position } }, { upsert: true });
}

async function applyToCollection(
  target: Collection<StoredRow>,
  writes: readonly CheckedWrite[],
  profile: WriteProfile,
): Promise<void> {
  const stored = await storedPositions(target, writes);
  for (const command of planCommands(writes, stored, profile)) {
    try {
      await target.bulkWrite(
        command.map((write) => statementOf(write, profile.guardInFilter)),
        { ordered: true },
      );
    } catch (error) {
      if (!isDuplicateKey(error)) throw error;
      // Another writer created a document between the read and the write: this command one by one.
      for (const write of command) await applyOne(target, write);
    }
  }
}

/** One query for the whole group: on FerretDB v1 every query reads the whole collection. */
async function storedPositions(
  target: Collection<StoredRow>,
  writes: readonly CheckedWrite[],
): Promise<Map<string, number>> {
  const ids = writes.map((write) => write.id);
  const found = await target.find({ _id: { $in: ids } }, { projection: { position: 1 } }).toArray();
  return new Map(found.map((row): [string, number] => [row._id, Number(row['position'])]));
}

/**
 * After a race, guarded on every engine (one slow statement on FerretDB, and
 * races are rare): what the failed command already applied now matches
 * nothing, and a put that collides again lost to a writer that created the
 * document, so it replaces that document only if it is older.
 */
async function applyOne(target: Collection<StoredRow>, write: CheckedWrite): Promise<void> {
  try {
    await target.bulkWrite([statementOf(write, true)]);
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
