import { MongoServerError, type Collection, type Db, type Document } from 'mongodb';
import type { CounterSet } from '../read-store.port';
import type { CheckedIncrement } from '../core/unit-of-work.validation';

/**
 * A counter set as stored: `c` holds the counters under encoded names, `u`
 * the last unit position each writer (checkpoint key) applied to this set.
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
 * Each set's increments as one conditional upsert: applied only if this
 * writer has not applied a unit at this position or later to the set, so a
 * unit replayed after a crash (the same position) adds nothing twice. `$inc`
 * is atomic per document, so writers of different partitions never lose
 * each other's increments.
 */
export async function applyIncrements(
  db: Db,
  writer: string,
  position: number,
  increments: readonly CheckedIncrement[],
): Promise<void> {
  const unitField = `u.${encodeFieldName(writer)}`;
  for (const increment of increments) {
    if (increment.counters.size === 0) continue;
    const inc: Record<string, number> = {};
    for (const [name, delta] of increment.counters) inc[`c.${encodeFieldName(name)}`] = delta;
    const target: Collection<CounterRow> = db.collection<CounterRow>(increment.collection);
    try {
      await target.updateOne(
        { _id: increment.id, $or: [{ [unitField]: { $exists: false } }, { [unitField]: { $lt: position } }] },
        { $inc: inc, $set: { [unitField]: position } },
        { upsert: true },
      );
    } catch (error) {
      if (!(error instanceof MongoServerError && error.code === DUPLICATE_KEY)) throw error;
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
