import type { AnyBulkWriteOperation } from 'mongodb';
import type { CheckedWrite } from '../core/unit-of-work.validation';
import type { StoredRow } from './mongo-read-store.schema';
import type { WriteProfile } from './mongo-write-profile';

type PutWrite = Extract<CheckedWrite, { kind: 'put' }>;

export type Statement = AnyBulkWriteOperation<StoredRow>;

/**
 * Writes in one round touch distinct documents, so each collection's share
 * can be sent in bulk without changing the outcome. The n-th write to a
 * document goes in round n, which keeps the port's in-order semantics for
 * the rare unit that writes a document twice.
 */
export function roundsOf(writes: readonly CheckedWrite[]): CheckedWrite[][] {
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

export function byCollection(writes: readonly CheckedWrite[]): Map<string, CheckedWrite[]> {
  const groups = new Map<string, CheckedWrite[]>();
  for (const write of writes) {
    const group = groups.get(write.collection) ?? [];
    group.push(write);
    groups.set(write.collection, group);
  }
  return groups;
}

/**
 * The writes of one round to one collection that would change something,
 * given the positions stored for their ids (absent: no document), cut into
 * commands of at most `statementsPerCommand` writes.
 *
 * Dropping the writes that are not newer matters beyond saving work: an
 * upsert that is not newer collides with its own `_id` (E11000), and
 * FerretDB ends a write command at its first error, even an unordered one,
 * silently skipping the statements after it.
 */
export function planCommands(
  writes: readonly CheckedWrite[],
  stored: ReadonlyMap<string, number>,
  profile: WriteProfile,
): CheckedWrite[][] {
  const live = writes.filter((write) => changesSomething(write, stored.get(write.id)));
  const commands: CheckedWrite[][] = [];
  for (let start = 0; start < live.length; start += profile.statementsPerCommand) {
    commands.push(live.slice(start, start + profile.statementsPerCommand));
  }
  return commands;
}

function changesSomething(write: CheckedWrite, storedPosition: number | undefined): boolean {
  if (write.kind === 'put') return storedPosition === undefined || storedPosition < write.position;
  return storedPosition !== undefined && storedPosition < write.position;
}

/**
 * The statement for a write that, when the positions were read, would change
 * something. Guarded: the filter repeats the position check, so the write is
 * atomic on its document on MongoDB.
 */
export function statementOf(write: CheckedWrite, guarded: boolean): Statement {
  const filter = guarded ? { _id: write.id, position: { $lt: write.position } } : { _id: write.id };
  if (write.kind === 'delete') return { deleteOne: { filter } };
  return { replaceOne: { filter, replacement: toStored(write), upsert: true } };
}

/**
 * For a put whose guarded upsert collided with its `_id` because another
 * writer created the document meanwhile: replaces it only if it is older.
 */
export function replaceIfOlder(write: PutWrite): Statement {
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
