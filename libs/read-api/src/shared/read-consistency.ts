import { ApiError, RequestValidationError } from '@crm/platform';
import type { EventStore } from '@crm/event-store';
import type { ReadPositions, ReadScope } from '@crm/projections/runtime';
import { parseMinPosition } from './query-params';

// The parsing moved to query-params.ts; list-customers still imports it from here.

/** What every read response says about its freshness. */
export type ReadMeta = {
  /**
   * The global log position the read models reflect: every event up to it
   * that this read depends on is applied (with Kafka, for a customer's read,
   * the events of that customer's partition).
   */
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

/** A read-your-writes wait that cannot end: a projection the read depends on is paused before the position. */
export class ProjectionPausedError extends ApiError {
  constructor(requested: number, reached: number, paused: readonly string[]) {
    super(
      409,
      'PROJECTION.PAUSED',
      `The read models reflect position ${reached}, not yet ${requested}: ${paused.join(', ')} ${paused.length === 1 ? 'is' : 'are'} paused; resume ${paused.length === 1 ? 'it' : 'them'} or read without minPosition`,
      paused.map((name) => ({
        field: 'minPosition',
        code: 'paused',
        message: `projection ${name} is paused (POST /admin/projections/${name}/resume)`,
      })),
    );
    this.name = 'ProjectionPausedError';
  }
}

/**
 * Read-your-writes: a caller passes the globalPosition its write returned as
 * `minPosition`, and the read waits until the projections have applied
 * every event up to it that `scope` depends on (ReadPositions).
 */
export async function awaitPosition(
  positions: ReadPositions,
  scope: ReadScope,
  rawMinPositionParam: unknown,
  waitMs: number,
  log: Pick<EventStore, 'headPosition'>,
): Promise<void> {
  const requested = parseMinPosition(rawMinPositionParam);
  if (requested === undefined) return;
  if (positions.position(scope) >= requested) return;
  // A position past the log's head names no write: waiting for it could only time out.
  const head = await log.headPosition();
  if (requested > head) {
    throw new RequestValidationError([
      {
        field: 'minPosition',
        code: 'max',
        message: `minPosition ${requested} is after the log's head (${head}): pass the globalPosition a write returned`,
      },
    ]);
  }
  const pausedNow = positions.pausedBelow(requested, scope);
  if (pausedNow.length > 0) throw new ProjectionPausedError(requested, positions.position(scope), pausedNow);
  if (await positions.waitFor(requested, scope, waitMs)) return;
  // Paused meanwhile: say so rather than "retry shortly".
  const pausedLater = positions.pausedBelow(requested, scope);
  if (pausedLater.length > 0)
    throw new ProjectionPausedError(requested, positions.position(scope), pausedLater);
  throw new ProjectionNotCaughtUpError(requested, positions.position(scope), waitMs);
}
