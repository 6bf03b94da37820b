import { InvalidWriteError } from '../read-store.errors';
import { isPlainObject } from './filter.normalization';

/**
 * Rejects what engines would store differently (a Date is a string in SQLite
 * but a date in MongoDB), what JSON cannot hold (NaN, BigInt, cycles) and
 * keys MongoDB reserves, so a document reads back the same from every adapter.
 *
 * Every document of every unit passes through here (a rebuild writes
 * millions), so the walk allocates nothing until it finds a problem: the
 * path is assembled on the way back out.
 */
export function assertJsonDocument(
  document: unknown,
  where: string,
): asserts document is Record<string, unknown> {
  if (!isPlainObject(document)) throw new InvalidWriteError(`${where}: the document is not a plain object`);
  if ('_id' in document) throw new InvalidWriteError(`${where}: _id is reserved`);
  const problem = objectProblem(document, []);
  if (problem !== null) throw new InvalidWriteError(`${where}: ${describe(problem)}`);
}

/** Where the problem is (outermost first once complete) and what it is. */
type Problem = { readonly path: (string | number)[]; readonly what: string };

/** The objects and arrays enclosing the value being checked: a value among them is a cycle. */
type Ancestors = object[];

function valueProblem(value: unknown, ancestors: Ancestors): Problem | null {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return null;
  if (typeof value === 'number') return Number.isFinite(value) ? null : at('is not a finite number');
  if (typeof value !== 'object') return at(`is a ${typeof value}, not JSON`);
  if (ancestors.includes(value)) return at('refers to itself');
  if (Array.isArray(value)) return nested(value, ancestors, arrayProblem);
  if (isPlainObject(value)) return nested(value, ancestors, objectProblem);
  return at('is an instance of a class, not plain JSON (store dates as ISO-8601 strings)');
}

function nested<T extends object>(
  value: T,
  ancestors: Ancestors,
  check: (value: T, ancestors: Ancestors) => Problem | null,
): Problem | null {
  ancestors.push(value);
  const problem = check(value, ancestors);
  ancestors.pop();
  return problem;
}

/** Undefined in an array would silently become null, so it is refused rather than dropped. */
function arrayProblem(items: readonly unknown[], ancestors: Ancestors): Problem | null {
  for (let index = 0; index < items.length; index++) {
    const item = items[index];
    const problem = item === undefined ? at('is undefined') : valueProblem(item, ancestors);
    if (problem !== null) return within(index, problem);
  }
  return null;
}

/** Undefined properties are dropped, as JSON.stringify does: they are how optional fields look. */
function objectProblem(object: Record<string, unknown>, ancestors: Ancestors): Problem | null {
  for (const key in object) {
    if (!Object.hasOwn(object, key)) continue;
    if (key.startsWith('$')) return { path: [key], what: ': keys must not start with $' };
    const value = object[key];
    if (value === undefined) continue;
    const problem = valueProblem(value, ancestors);
    if (problem !== null) return within(key, problem);
  }
  return null;
}

function at(what: string): Problem {
  return { path: [], what: ` ${what}` };
}

/** Called on the way out, innermost first: each level puts its own step in front. */
function within(step: string | number, problem: Problem): Problem {
  problem.path.unshift(step);
  return problem;
}

/** `a.b[2].c`, as the message has always named it. */
function describe(problem: Problem): string {
  const path = problem.path
    .map((step, index) => (typeof step === 'number' ? `[${step}]` : index === 0 ? step : `.${step}`))
    .join('');
  return `${path}${problem.what}`;
}
