import type { Scalar, SortDirection } from '../read-store.port';
import { InvalidCursorError } from '../read-store.errors';
import { isPlainObject, isScalar } from './filter.normalization';

/** One key of the effective sort order, the `id` tie-break included. */
export type SortKey = { readonly field: string; readonly direction: SortDirection };

type CursorPayload = {
  /** The sort the cursor was made for: a cursor only means something in its own order. */
  readonly s: string;
  /** The last item's value for each sort key, as the engine compared it. */
  readonly k: readonly Scalar[];
};

/** Far above any real cursor; keeps a hostile query string from being parsed. */
const MAX_CURSOR_LENGTH = 65_536;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

/** Base64url JSON: opaque to clients, but debuggable and engine-neutral. */
export function encodeCursor(keys: readonly SortKey[], values: readonly Scalar[]): string {
  const payload: CursorPayload = { s: signature(keys), k: values };
  return Buffer.from(JSON.stringify(payload), 'utf8').toString('base64url');
}

/** The sort values to continue after, one per key. */
export function decodeCursor(cursor: string, keys: readonly SortKey[]): Scalar[] {
  const payload = parse(cursor);
  if (payload.s !== signature(keys)) throw new InvalidCursorError('it was made for another sort');
  if (payload.k.length !== keys.length) throw new InvalidCursorError('it has the wrong number of values');
  return [...payload.k];
}

function parse(cursor: string): CursorPayload {
  if (typeof cursor !== 'string' || cursor.length > MAX_CURSOR_LENGTH || !BASE64URL.test(cursor)) {
    throw new InvalidCursorError('it is not a cursor of this store');
  }
  let payload: unknown;
  try {
    payload = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError('it is not a cursor of this store');
  }
  if (!isPayload(payload)) throw new InvalidCursorError('it is not a cursor of this store');
  return payload;
}

function isPayload(value: unknown): value is CursorPayload {
  return (
    isPlainObject(value) &&
    typeof value['s'] === 'string' &&
    Array.isArray(value['k']) &&
    value['k'].every((item: unknown) => isScalar(item))
  );
}

function signature(keys: readonly SortKey[]): string {
  return keys.map((key) => `${key.field}:${key.direction}`).join(',');
}
