import type { IncrementWrite, Write } from '@crm/read-store';
import type { Projection } from '../../runner/projection';

/**
 * Writes a projection decided that the read models must not take: a number
 * in a document that is not finite or beyond the safe integers (money summed
 * past 2^53 is no longer exact, and past 1.8e308 it is Infinity, which JSON
 * turns into null), or a counter delta that is no safe integer. Raised before
 * the commit, it is a failure of the customer whose events made the writes,
 * isolated and dead-lettered like any other (see isolateFailures), so the
 * read store never refuses a unit, or silently rounds a sum, for everyone.
 */
export class UnstorableWriteError extends Error {
  constructor(readonly reason: string) {
    super(`Unstorable write: ${reason}`);
    this.name = 'UnstorableWriteError';
  }
}

/**
 * Throws UnstorableWriteError for the first number of `writes` a read model
 * could not hold exactly: document numbers must be finite and within
 * ±Number.MAX_SAFE_INTEGER (every number beyond it is an integer that lost
 * digits); counter deltas must be safe integers.
 */
export function assertStorable(writes: readonly Write[]): void {
  for (const write of writes) {
    if (write.kind === 'put') {
      const problem = numberProblem(write.document, [write.collection, write.document.id]);
      if (problem !== null) throw new UnstorableWriteError(problem);
    } else if (write.kind === 'increment') assertSafeDeltas(write);
  }
}

/**
 * Each delta a safe integer. The totals they leave, summed over the unit and
 * with what is stored, are the store's to check where it adds them (inside
 * its transaction on SQLite): a unit taking a counter beyond the safe
 * integers is refused there, and BatchApplier takes it apart customer by customer.
 */
function assertSafeDeltas(write: IncrementWrite): void {
  for (const [name, delta] of countersOf(write)) {
    if (!Number.isSafeInteger(delta)) {
      throw new UnstorableWriteError(
        `${write.collection}/${write.id}: counter ${JSON.stringify(name)} gets ${delta}, no safe integer`,
      );
    }
  }
}

/**
 * Where the first unsafe number of `value` is, or null; `path` is pushed and
 * popped as the walk goes. Every document of every unit passes through here
 * (a rebuild writes millions), so the walk allocates nothing on the way.
 */
function numberProblem(value: unknown, path: string[]): string | null {
  if (typeof value === 'number') {
    return Number.isFinite(value) && Math.abs(value) <= Number.MAX_SAFE_INTEGER
      ? null
      : `${path.join('.')} is ${value}, beyond the safe integers`;
  }
  if (typeof value !== 'object' || value === null) return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index++) {
      const problem = itemProblem(String(index), value[index], path);
      if (problem !== null) return problem;
    }
    return null;
  }
  const record = value as Record<string, unknown>;
  for (const key in record) {
    if (!Object.hasOwn(record, key)) continue;
    const problem = itemProblem(key, record[key], path);
    if (problem !== null) return problem;
  }
  return null;
}

function itemProblem(key: string, item: unknown, path: string[]): string | null {
  if (typeof item !== 'object' && typeof item !== 'number') return null;
  path.push(key);
  const problem = numberProblem(item, path);
  path.pop();
  return problem;
}

/** The projection, its writes checked by assertStorable: a write it could not store fails the events that made it. */
export function storableOnly(projection: Projection): Projection {
  return {
    ...projection,
    async project(batch, reader) {
      const writes = await projection.project(batch, reader);
      assertStorable(writes);
      return writes;
    },
  };
}

function countersOf(write: IncrementWrite): Iterable<readonly [string, number]> {
  const { counters } = write;
  return isCounterMap(counters) ? counters : Object.entries(counters);
}

function isCounterMap(counters: IncrementWrite['counters']): counters is ReadonlyMap<string, number> {
  return counters instanceof Map;
}
