import { setTimeout as sleep } from 'node:timers/promises';

export type BackoffOptions = {
  /** First wait after a failure (default 200 ms); doubles per failure. */
  readonly initialMs?: number;
  /** Longest wait (default 5 s). */
  readonly maxMs?: number;
};

/** Thrown by `retrying` when its signal aborts: the caller is stopping, nothing failed. */
export class StoppedError extends Error {
  constructor() {
    super('stopped');
    this.name = 'StoppedError';
  }
}

/** The wait before attempt `failures + 1`: exponential, capped, with ±20 % jitter. */
export function backoffDelay(failures: number, options: BackoffOptions = {}): number {
  const initial = options.initialMs ?? 200;
  const max = options.maxMs ?? 5000;
  const base = Math.min(max, initial * 2 ** Math.min(failures - 1, 30));
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

/** Waits `ms`, or throws StoppedError as soon as the signal aborts. */
export async function pause(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) throw new StoppedError();
  try {
    await sleep(ms, undefined, { signal });
  } catch {
    throw new StoppedError();
  }
}

/**
 * Settles as `work` does, or throws StoppedError as soon as the signal
 * aborts, leaving `work` to finish on its own; `onLate` gets what it yields
 * then (a connection to close). For steps that hold nothing worth draining,
 * such as connecting to a broker that is down, which kafkajs keeps retrying
 * for half a minute.
 */
export function untilStopped<T>(
  work: Promise<T>,
  signal: AbortSignal,
  onLate: (value: T) => void = () => undefined,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    // Whichever comes first decides: the work's outcome, or the stop.
    let decided = false;
    const abandon = (): void => {
      if (decided) return;
      decided = true;
      work.then(onLate, () => undefined);
      reject(new StoppedError());
    };
    const settle = (): void => {
      signal.removeEventListener('abort', abandon);
      if (decided) return;
      decided = true;
      // Adopts the work's outcome, its rejection included.
      resolve(work);
    };
    work.then(settle, settle);
    if (signal.aborted) abandon();
    else signal.addEventListener('abort', abandon, { once: true });
  });
}

/**
 * Calls `attempt` until it succeeds, waiting longer after each failure, for
 * as long as `retryable` says the error may pass (an outage). Never gives up
 * by itself: only the signal stops it, during a wait (an attempt under way
 * is let finish, so a stopping caller drains its work).
 */
export async function retrying<T>(
  attempt: () => Promise<T>,
  signal: AbortSignal,
  options: BackoffOptions & {
    readonly retryable?: (error: unknown) => boolean;
    readonly onError?: (error: unknown, failures: number) => void;
  } = {},
): Promise<T> {
  for (let failures = 1; ; failures++) {
    try {
      return await attempt();
    } catch (error) {
      // A stop is not a failure: nothing to report or wait for.
      if (error instanceof StoppedError) throw error;
      if (options.retryable && !options.retryable(error)) throw error;
      options.onError?.(error, failures);
      await pause(backoffDelay(failures, options), signal);
    }
  }
}
