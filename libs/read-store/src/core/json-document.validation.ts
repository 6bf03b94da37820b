import { InvalidWriteError } from '../read-store.errors';
import { isPlainObject } from './filter.normalization';

/**
 * Rejects what engines would store differently (a Date is a string in SQLite
 * but a date in MongoDB), what JSON cannot hold (NaN, BigInt, cycles) and
 * keys MongoDB reserves, so a document reads back the same from every adapter.
 */
export function assertJsonDocument(
  document: unknown,
  where: string,
): asserts document is Record<string, unknown> {
  if (!isPlainObject(document)) throw new InvalidWriteError(`${where}: the document is not a plain object`);
  if ('_id' in document) throw new InvalidWriteError(`${where}: _id is reserved`);
  const problem = objectProblem(document, '', new Set());
  if (problem !== null) throw new InvalidWriteError(`${where}: ${problem}`);
}

type Ancestors = Set<object>;

function valueProblem(value: unknown, path: string, ancestors: Ancestors): string | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : `${path} is not a finite number`;
  if (typeof value !== 'object') return `${path} is a ${typeof value}, not JSON`;
  if (ancestors.has(value)) return `${path} refers to itself`;
  if (Array.isArray(value)) return nested(value, ancestors, () => arrayProblem(value, path, ancestors));
  if (isPlainObject(value)) return nested(value, ancestors, () => objectProblem(value, path, ancestors));
  return `${path} is an instance of a class, not plain JSON (store dates as ISO-8601 strings)`;
}

function nested(value: object, ancestors: Ancestors, check: () => string | null): string | null {
  ancestors.add(value);
  const problem = check();
  ancestors.delete(value);
  return problem;
}

/** Undefined in an array would silently become null, so it is refused rather than dropped. */
function arrayProblem(items: readonly unknown[], path: string, ancestors: Ancestors): string | null {
  for (const [index, item] of items.entries()) {
    const itemPath = `${path}[${index}]`;
    const problem = item === undefined ? `${itemPath} is undefined` : valueProblem(item, itemPath, ancestors);
    if (problem !== null) return problem;
  }
  return null;
}

/** Undefined properties are dropped, as JSON.stringify does: they are how optional fields look. */
function objectProblem(object: Record<string, unknown>, path: string, ancestors: Ancestors): string | null {
  for (const [key, value] of Object.entries(object)) {
    const keyPath = path === '' ? key : `${path}.${key}`;
    if (key.startsWith('$')) return `${keyPath}: keys must not start with $`;
    if (value === undefined) continue;
    const problem = valueProblem(value, keyPath, ancestors);
    if (problem !== null) return problem;
  }
  return null;
}
