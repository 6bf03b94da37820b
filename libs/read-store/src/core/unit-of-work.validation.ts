import { MAX_COUNTER_NAME, type StoredDocument, type UnitOfWork } from '../read-store.port';
import { InvalidWriteError } from '../read-store.errors';
import { isPlainObject } from './filter.normalization';
import { assertJsonDocument } from './json-document.validation';
import { assertName } from './names.validation';

/** A write checked and flattened, so adapters read id and position the same way for both kinds. */
export type CheckedWrite =
  | {
      readonly kind: 'put';
      readonly collection: string;
      readonly id: string;
      readonly position: number;
      readonly document: StoredDocument;
    }
  | { readonly kind: 'delete'; readonly collection: string; readonly id: string; readonly position: number };

/** An increment checked: zero deltas dropped, the counters as a Map (names are client data). */
export type CheckedIncrement = {
  readonly collection: string;
  readonly id: string;
  readonly counters: ReadonlyMap<string, number>;
};

export type CheckedUnit = {
  readonly projection: string;
  readonly position: number;
  /** Puts and deletes, in the unit's order. */
  readonly writes: readonly CheckedWrite[];
  /** Increments, summed per counter set (each set once). */
  readonly increments: readonly CheckedIncrement[];
};

/**
 * Validates the whole unit before an adapter writes anything: only a failing
 * engine, never a malformed write, may interrupt a unit half way (which
 * matters for adapters without transactions).
 */
export function checkUnit(unit: UnitOfWork): CheckedUnit {
  if (!isPlainObject(unit)) throw new InvalidWriteError('the unit of work is not an object');
  const projection = assertName('projection', unit.projection);
  const position = assertPosition(unit.position, 'the unit');
  const writes: unknown = unit.writes;
  if (!isList(writes)) throw new InvalidWriteError('the writes are not a list');
  const checked: CheckedWrite[] = [];
  const increments = new Map<string, { collection: string; id: string; counters: Map<string, number> }>();
  writes.forEach((write, index) => {
    if (isPlainObject(write) && write['kind'] === 'increment') addIncrement(increments, write, index);
    else checked.push(checkWrite(write, index, position));
  });
  return { projection, position, writes: checked, increments: [...increments.values()] };
}

function addIncrement(
  into: Map<string, { collection: string; id: string; counters: Map<string, number> }>,
  write: Record<string, unknown>,
  index: number,
): void {
  const where = `write ${index}`;
  const collection = assertName('collection', write['collection']);
  const id = assertCounterName(write['id'], `${where}: the counter set id`);
  const counters = write['counters'];
  const entries: Iterable<[unknown, unknown]> | null =
    counters instanceof Map ? counters : isPlainObject(counters) ? Object.entries(counters) : null;
  if (entries === null) throw new InvalidWriteError(`${where}: the counters are not an object or a Map`);
  const key = `${collection}\u0000${id}`;
  const set = into.get(key) ?? { collection, id, counters: new Map<string, number>() };
  into.set(key, set);
  for (const [key, delta] of entries) {
    const name = assertCounterName(key, `${where}: a counter name`);
    if (typeof delta !== 'number' || !Number.isSafeInteger(delta)) {
      throw new InvalidWriteError(
        `${where}: the delta of counter ${JSON.stringify(name)} is not a safe integer`,
      );
    }
    const total = (set.counters.get(name) ?? 0) + delta;
    if (!Number.isSafeInteger(total)) throw new InvalidWriteError(`${where}: counter ${name} overflows`);
    if (total === 0) set.counters.delete(name);
    else set.counters.set(name, total);
  }
}

function assertCounterName(name: unknown, what: string): string {
  if (typeof name === 'string' && name !== '' && name.length <= MAX_COUNTER_NAME && !name.includes('\u0000'))
    return name;
  throw new InvalidWriteError(`${what} is not a non-empty string of at most ${MAX_COUNTER_NAME} characters`);
}

/** Typed as unknown: JavaScript callers and deserialized units bypass the port's types. */
function checkWrite(write: unknown, index: number, unitPosition: number): CheckedWrite {
  const where = `write ${index}`;
  if (!isPlainObject(write)) throw new InvalidWriteError(`${where} is not an object`);
  const collection = assertName('collection', write['collection']);
  const header = write['kind'] === 'put' ? checkPut(write['document'], where) : checkDelete(write, where);
  if (header.position > unitPosition) {
    throw new InvalidWriteError(
      `${where} is at position ${header.position}, beyond the unit's ${unitPosition}`,
    );
  }
  return { ...header, collection };
}

function checkPut(document: unknown, where: string) {
  assertJsonDocument(document, where);
  const id = assertId(document.id, where);
  const position = assertPosition(document.position, where);
  // id and position were read from the document itself: it is stored as given, not copied
  // (documents run to kilobytes, and a rebuild writes tens of thousands of them).
  return { kind: 'put', id, position, document: document as StoredDocument } as const;
}

function checkDelete(write: Record<string, unknown>, where: string) {
  if (write['kind'] !== 'delete') throw new InvalidWriteError(`${where} is neither a put nor a delete`);
  const id = assertId(write['id'], where);
  return { kind: 'delete', id, position: assertPosition(write['position'], where) } as const;
}

function isList(value: unknown): value is readonly unknown[] {
  return Array.isArray(value);
}

function assertId(id: unknown, where: string): string {
  if (typeof id === 'string' && id !== '') return id;
  throw new InvalidWriteError(`${where}: the id is not a non-empty string`);
}

function assertPosition(position: unknown, where: string): number {
  if (typeof position === 'number' && Number.isSafeInteger(position) && position >= 0) return position;
  throw new InvalidWriteError(`${where}: the position is not a safe integer >= 0`);
}
