import { setImmediate as nextTurn } from 'node:timers/promises';

/** How long a slice of work may hold the event loop before it gives a turn, in milliseconds. */
export const DEFAULT_SLICE_MS = 5;

export type SlicerOptions = {
  /** Longest a slice runs before `tick()` yields; 0 yields at every tick. Default 5. */
  readonly sliceMs?: number;
  /** A monotonic clock in milliseconds; tests pass their own. Default `performance.now`. */
  readonly now?: () => number;
};

/**
 * Cuts a long loop into slices of time, so that it shares the event loop.
 *
 * The embedded stores read synchronously: a loop of `await store.read(…)`
 * only ever awaits promises that are already settled, which run as
 * microtasks, before any timer or I/O. Such a loop holds the event loop
 * until it ends and every request waits behind it. A loop that awaits
 * `tick()` after each piece of work gives the event loop a turn
 * (`setImmediate`: timers, incoming requests, then the loop again) once its
 * slice has lasted `sliceMs`. Anything else then waits at most one slice
 * plus one piece. The budget is time, not a count of iterations, so cheap and
 * costly pieces cut the same.
 */
export class Slicer {
  private readonly sliceMs: number;
  private readonly now: () => number;
  private sliceStart: number;

  constructor(options: SlicerOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.now = options.now ?? (() => performance.now());
    this.sliceStart = this.now();
  }

  /** Whether the current slice has used its time. */
  due(): boolean {
    return this.now() - this.sliceStart >= this.sliceMs;
  }

  /** Gives the event loop a turn when the slice has used its time; otherwise carries on at once. */
  async tick(): Promise<void> {
    if (this.due()) await this.yield();
  }

  /** Gives the event loop a turn now, then starts a new slice. */
  async yield(): Promise<void> {
    await nextTurn();
    this.sliceStart = this.now();
  }
}

/** `items.map(map)` a slice at a time: for a loop over a whole population in memory. */
export async function mapInSlices<T, R>(
  items: Iterable<T>,
  map: (item: T) => R,
  slicer: Slicer = new Slicer(),
): Promise<R[]> {
  const mapped: R[] = [];
  for (const item of items) {
    mapped.push(map(item));
    await slicer.tick();
  }
  return mapped;
}
