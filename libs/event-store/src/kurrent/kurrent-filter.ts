import { eventTypeFilter, streamNameFilter } from '@kurrent/kurrentdb-client';
import type { Filter } from '@kurrent/kurrentdb-client';
import type { ReadAllOptions, RecordedEvent } from '../event-store.port';
import { CLAIM_EVENT_TYPE, isClaimStream } from './kurrent-event-id-claims';

export type LogFilter = Pick<ReadAllOptions, 'types' | 'streamPrefix'>;

/**
 * The server-side filter of a log read. The server filters on event type or on
 * stream name, never both: with types given it filters on type (projections
 * ask for types), and `matchesFilter` applies the prefix on this side. Every
 * variant keeps out system events (`$` types, `$` streams) and claim markers.
 */
export function serverFilter({ types, streamPrefix }: LogFilter): Filter {
  if (types !== undefined) return eventTypeFilter({ regex: `^(?:${types.map(escapeRegex).join('|')})$` });
  if (streamPrefix) return streamNameFilter({ regex: `^${escapeRegex(streamPrefix)}` });
  return eventTypeFilter({ regex: `^(?!\\$|${escapeRegex(CLAIM_EVENT_TYPE)}$)` });
}

/** The whole filter, exactly: what the server may not have applied, and a guard on what it did. */
export function matchesFilter(event: RecordedEvent, { types, streamPrefix }: LogFilter): boolean {
  if (event.streamId.startsWith('$') || event.type.startsWith('$') || isClaimStream(event.streamId))
    return false;
  if (types !== undefined && !types.includes(event.type)) return false;
  return !streamPrefix || event.streamId.startsWith(streamPrefix);
}

/** Escapes for .NET regular expressions (the server's), which share JavaScript's metacharacters plus `#` and space. */
export function escapeRegex(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\#\s-]/g, (char) => `\\${char}`);
}
