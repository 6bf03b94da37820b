import { ApiError, RequestValidationError } from '@crm/platform';
import type { ProjectionRuntime } from '../projection-runtime/projection-runtime';

/** What every read response says about its freshness. */
export type ReadMeta = {
  /** The global log position the read models reflect (every event up to it is applied). */
  readonly position: number;
  /** The instant time-dependent figures (status, recency, 90-day counts) were evaluated at. */
  readonly asOf: string;
};

export class ProjectionNotCaughtUpError extends ApiError {
  constructor(requested: number, reached: number, waitedMs: number) {
    super(
      503,
      'PROJECTION.NOT_CAUGHT_UP',
      `The read models reflect position ${reached}, not yet ${requested}; retry shortly`,
      [{ field: 'minPosition', code: 'notReached', message: `waited ${waitedMs} ms; reached ${reached}` }],
    );
    this.name = 'ProjectionNotCaughtUpError';
  }
}

/**
 * Read-your-writes: a caller passes the globalPosition its write returned as
 * `minPosition`, and the read waits until the projections have applied it.
 */
export async function awaitPosition(
  runtime: ProjectionRuntime,
  rawMinPosition: string | undefined,
  waitMs: number,
): Promise<void> {
  if (rawMinPosition === undefined || rawMinPosition === '') return;
  if (!/^\d{1,15}$/.test(rawMinPosition)) {
    throw new RequestValidationError([
      { field: 'minPosition', code: 'isInt', message: 'minPosition is a non-negative integer' },
    ]);
  }
  const requested = Number(rawMinPosition);
  if (await runtime.waitFor(requested, waitMs)) return;
  throw new ProjectionNotCaughtUpError(requested, runtime.position(), waitMs);
}

/** `asOf` from the query string, validated; defaults to `now`. */
export function parseAsOf(raw: string | undefined, now: Date): string {
  if (raw === undefined || raw === '') return now.toISOString();
  const instant = new Date(raw);
  if (!/T.*(Z|[+-]\d{2}(:?\d{2})?)$/i.test(raw) || Number.isNaN(instant.getTime())) {
    throw new RequestValidationError([
      {
        field: 'asOf',
        code: 'isISO8601',
        message: 'asOf is an ISO-8601 instant with an offset, e.g. 2025-06-01T00:00:00Z',
      },
    ]);
  }
  return instant.toISOString();
}

export function parseLimit(raw: string | undefined, fallback: number, max: number): number {
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < 1 || value > max) {
    throw new RequestValidationError([
      { field: 'limit', code: 'isInt', message: `limit is an integer from 1 to ${max}` },
    ]);
  }
  return value;
}
