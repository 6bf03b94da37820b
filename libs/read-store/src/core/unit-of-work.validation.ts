import type { StoredDocument, UnitOfWork } from '../read-store.port';
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

export type CheckedUnit = {
  readonly projection: string;
  readonly position: number;
  readonly writes: readonly CheckedWrite[];
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
  return { projection, position, writes: writes.map((write, index) => checkWrite(write, index, position)) };
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
