import { createHash } from 'node:crypto';
import { MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import type { CounterSet } from '../read-store.port';
import { InvalidWriteError } from '../read-store.errors';
import type { CheckedUnit } from '../core/unit-of-work.validation';

/**
 * A counter set as stored: `c` holds the counters under encoded names, `u`
 * the token of the last unit each writer (checkpoint key) applied to it.
 */
export type CounterRow = Document & {
  _id: string;
  c?: Record<string, number>;
  u?: Record<string, number>;
};

/** E11000: the upsert's filter missed because the set already took this unit. */
const DUPLICATE_KEY = 11000;

/**
 * Counter and writer names are client data (segments, checkpoint keys) and
 * become field names: `.` and a leading `$` would be read as paths and
 * operators, so `%`, `.` and `$` are percent-encoded (reversibly).
 */
export function encodeFieldName(name: string): string {
  return name.replace(/[%.$]/g, (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`);
}

export function decodeFieldName(field: string): string {
  return field.replace(/%(25|2E|24)/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * What identifies a unit: its position and a digest of its writes. Units of
 * one writer can share a position (a rebuild by customer commits every step
 * at the head it started from), never their writes.
 */
export function unitToken(unit: CheckedUnit): string {
  const hash = createHash('sha256');
  hash.update(
    JSON.stringify(unit.writes.map((write) => [write.kind, write.collection, write.id, write.position])),
  );
  for (const increment of unit.increments)
    hash.update(JSON.stringify([increment.collection, increment.id, [...increment.counters]]));
  return `${unit.position}:${hash.digest('base64url').slice(0, 22)}`;
}

/**
 * Refuses (InvalidWriteError, before anything is written) a unit whose
 * increments would take a counter beyond the safe integers: `$inc` adds
 * doubles on past 2^53 without a word, and with no transaction to roll back
 * the check has to come first, from the sets as stored (one find per
 * collection). Another writer adding to the same counter meanwhile is not
 * seen: the SQLite adapter checks inside its transaction instead.
 */
export async function assertSafeTotals(db: Db, unit: CheckedUnit): Promise<void> {
  const byCollection = new Map<string, CheckedUnit['increments'][number][]>();
  for (const increment of unit.increments) {
    if (increment.counters.size === 0) continue;
    byCollection.set(increment.collection, [...(byCollection.get(increment.collection) ?? []), increment]);
  }
  for (const [collection, increments] of byCollection) {
    const ids = [...new Set(increments.map((increment) => increment.id))];
    const rows = await db
      .collection<CounterRow>(collection)
      .find({ _id: { $in: ids } }, { projection: { u: 0 } })
      .toArray();
    const stored = new Map(rows.map((row) => [row._id, counterSetOf(row).counters]));
    for (const increment of increments) {
      const counters = stored.get(increment.id);
      for (const [name, delta] of increment.counters) {
        const total = (counters?.get(name) ?? 0) + delta;
        if (!Number.isSafeInteger(total)) {
          throw new InvalidWriteError(
            `a counter of ${collection}/${increment.id} would reach ${total}, beyond the safe integers`,
          );
        }
      }
    }
  }
}

/**
 * Each set's increments as one conditional upsert, applied only if the last
 * unit this writer applied to the set is not this one: a unit replayed after
 * a crash between its increments and its documents (it finds the documents
 * unchanged, so it is the same unit) adds nothing twice. `$inc` is atomic per
 * document, so writers of different partitions never lose each other's
 * increments.
 */
export async function applyIncrements(db: Db, unit: CheckedUnit): Promise<void> {
  if (unit.increments.length === 0) return;
  const token = unitToken(unit);
  const unitField = `u.${encodeFieldName(unit.projection)}`;
  for (const increment of unit.increments) {
    if (increment.counters.size === 0) continue;
    const inc: Record<string, number> = {};
    for (const [name, delta] of increment.counters) inc[`c.${encodeFieldName(name)}`] = delta;
    const target: Collection<CounterRow> = db.collection<CounterRow>(increment.collection);
    await applyOnce(target, increment.id, unitField, token, inc);
  }
}

/**
 * A duplicate key means the upsert found no set to update and could not
 * create one: either this writer's token is already on it (a replay: done)
 * or another writer created the set in between (a race: the update now finds
 * it). One more try tells the two apart.
 */
async function applyOnce(
  target: Collection<CounterRow>,
  id: string,
  unitField: string,
  token: string,
  inc: Record<string, number>,
): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      await target.updateOne(
        { _id: id, [unitField]: { $ne: token } },
        { $inc: inc, $set: { [unitField]: token } },
        { upsert: true },
      );
      return;
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
      // The set exists now: a second miss means it holds this unit already.
      if (attempt >= 2) return;
    }
  }
}

/** The set as the port returns it: decoded names, zeros left out. */
export function counterSetOf(row: CounterRow): CounterSet {
  const counters = new Map<string, number>();
  for (const [field, value] of Object.entries(row.c ?? {})) {
    if (typeof value === 'number' && value !== 0) counters.set(decodeFieldName(field), value);
  }
  return { id: row._id, counters };
}
