import type { ErrorDetail } from '@crm/domain';

/** How deep a body may nest (the deepest route needs 4); deeper input is refused before any transformation. */
export const MAX_JSON_DEPTH = 16;

/**
 * Raised by our JSON body parser. Deliberately carries no `statusCode`: the
 * framework would otherwise wrap it in a generic HTTP error and lose the code.
 */
export class MalformedJsonError extends Error {
  readonly code = 'PAYLOAD.MALFORMED_JSON';

  constructor(reason: string) {
    super(`The body is not valid JSON: ${reason}`);
    this.name = 'MalformedJsonError';
  }
}

/**
 * Valid JSON whose values the server would not keep as sent (a number beyond
 * what a double holds exactly, a key that names an object's internals, more
 * nesting than any route takes). Like MalformedJsonError, no `statusCode`.
 */
export class UnacceptableJsonError extends Error {
  readonly code = 'VALIDATION.FAILED';

  constructor(readonly details: readonly ErrorDetail[]) {
    super('The request is invalid');
    this.name = 'UnacceptableJsonError';
  }
}

/** Keys that reach an object's prototype or constructor when a body is turned into a class. */
const RESERVED_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

function joinPath(prefix: string, key: string | number): string {
  if (typeof key === 'number') return `${prefix}[${key}]`;
  return prefix === '' ? key : `${prefix}.${key}`;
}

function numberProblem(value: number): ErrorDetail['code'] | null {
  // JSON.parse turns 1e309 into Infinity, and 9007199254740993 into ...992: neither is what was sent.
  if (!Number.isFinite(value)) return 'notFinite';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) return 'unsafeInteger';
  return null;
}

const MESSAGES: Readonly<Record<string, string>> = {
  notFinite: 'is a number too large to represent',
  unsafeInteger: `is an integer beyond ±${Number.MAX_SAFE_INTEGER}, which cannot be kept exactly`,
  reservedKey: 'is a reserved key (__proto__, constructor, prototype)',
  maxDepth: `nests deeper than ${MAX_JSON_DEPTH} levels`,
};

/** Every value a body holds, checked once, iteratively (no recursion for a hostile depth to overflow). */
function inspect(root: unknown): ErrorDetail[] {
  const details: ErrorDetail[] = [];
  const report = (field: string, code: string): void => {
    details.push({ field: field || '(body)', code, message: `${field || 'the body'} ${MESSAGES[code]}` });
  };
  const stack: { value: unknown; path: string; depth: number }[] = [{ value: root, path: '', depth: 0 }];
  while (stack.length > 0 && details.length < 20) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'number') {
      const problem = numberProblem(value);
      if (problem) report(path, problem);
      continue;
    }
    if (typeof value !== 'object' || value === null) continue;
    if (depth >= MAX_JSON_DEPTH) {
      report(path, 'maxDepth');
      continue;
    }
    const entries: [string | number, unknown][] = Array.isArray(value)
      ? value.map((item, index) => [index, item])
      : Object.entries(value);
    for (let i = entries.length - 1; i >= 0; i -= 1) {
      const [key, item] = entries[i] as [string | number, unknown];
      const itemPath = joinPath(path, key);
      if (typeof key === 'string' && RESERVED_KEYS.has(key)) report(itemPath, 'reservedKey');
      else stack.push({ value: item, path: itemPath, depth: depth + 1 });
    }
  }
  return details;
}

function decode(body: string | Buffer): string {
  if (typeof body === 'string') return body;
  try {
    return UTF8.decode(body);
  } catch {
    throw new MalformedJsonError('the body is not valid UTF-8');
  }
}

/**
 * Parses a request body (UTF-8, strictly) and refuses what would not be kept
 * as sent: see UnacceptableJsonError. `__proto__` never reaches an object.
 */
export function parseJsonBody(body: string | Buffer): unknown {
  const source = decode(body);
  if (source.trim() === '') throw new MalformedJsonError('the body is empty');
  let parsed: unknown;
  try {
    // JSON.parse defines `__proto__` as an own key (it never sets a prototype); inspect() refuses it.
    parsed = JSON.parse(source) as unknown;
  } catch (error) {
    throw new MalformedJsonError(error instanceof Error ? error.message : String(error));
  }
  const details = inspect(parsed);
  if (details.length > 0) throw new UnacceptableJsonError(details);
  return parsed;
}
