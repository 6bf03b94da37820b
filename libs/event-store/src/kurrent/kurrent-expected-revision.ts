import { ANY, NO_STREAM, STREAM_EXISTS } from '@kurrent/kurrentdb-client';
import type { AppendStreamState, CurrentStreamState } from '@kurrent/kurrentdb-client';
import type { ExpectedRevision } from '../event-store.port';

/** The port's expected revision in the client's terms; revisions travel as BigInt. */
export function toStreamState(expected: ExpectedRevision): AppendStreamState {
  switch (expected) {
    case 'any':
      return ANY;
    case 'no_stream':
      return NO_STREAM;
    case 'exists':
      return STREAM_EXISTS;
    default:
      return BigInt(expected);
  }
}

/** The server's view of a stream (`no_stream` or its last revision) as the port reports it. */
export function toActualRevision(state: CurrentStreamState): number | null {
  // Deleted (-5) and tombstoned (-6) streams come back as negative revisions: for the port they hold nothing.
  if (state === NO_STREAM || state < 0n) return null;
  return toSafeNumber(state, 'stream revision');
}

/**
 * Revisions and commit positions are unsigned 64-bit on the server and plain
 * numbers in the port. A commit position is a byte offset in the transaction
 * log, so 2^53 means 8 PiB of log: unreachable in practice, refused loudly if
 * ever met rather than silently rounded.
 */
export function toSafeNumber(value: bigint, what: string): number {
  if (value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(`The ${what} ${value} does not fit a JavaScript number (2^53 - 1)`);
  }
  return Number(value);
}

/** Checked at run time too: JavaScript callers and deserialized commands bypass the type. */
export function isExpectedRevision(value: unknown): value is ExpectedRevision {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0;
  return value === 'any' || value === 'no_stream' || value === 'exists';
}
