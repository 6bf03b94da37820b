import { MAX_FIELDS, type ReadOptions } from '../read-store.port';
import { InvalidQueryError } from '../read-store.errors';
import { assertName } from './names.validation';

/**
 * The fields a read returns besides `id` and `position` (which every
 * document has), each once, in the order given; null for whole documents.
 * Checked at run time: the names reach SQL text.
 */
export function readFields(fields: ReadOptions['fields']): readonly string[] | null {
  if (fields === undefined) return null;
  const given: unknown = fields;
  if (!Array.isArray(given)) throw new InvalidQueryError('the fields are not a list');
  if (given.length > MAX_FIELDS) throw new InvalidQueryError(`at most ${MAX_FIELDS} fields can be read`);
  const names = given.map((name) => assertName('field', name));
  return [...new Set(names)].filter((name) => name !== 'id' && name !== 'position');
}

/** A document cut to `fields` (see ReadOptions): id, position, then each field or null. */
export function pickFields<T>(doc: Readonly<Record<string, unknown>>, fields: readonly string[]): T {
  const picked: Record<string, unknown> = { id: doc['id'], position: doc['position'] };
  for (const field of fields) picked[field] = doc[field] ?? null;
  return picked as T;
}
