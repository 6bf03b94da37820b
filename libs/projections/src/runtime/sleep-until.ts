/** The sleeps pending on each signal, woken together by its one abort listener. */
const sleepers = new WeakMap<AbortSignal, Set<() => void>>();

/**
 * Resolves after `ms`, or at once when `signal` aborts (never rejects).
 * However many sleeps wait on one signal at once (every blue-green rebuild
 * waits to retire its old version on the runtime's stop signal, a failed
 * runner waits to restart on it), the signal carries one abort listener: a
 * listener per sleep piled up past ten (MaxListenersExceededWarning) on a
 * long-lived signal, and one added by hand and never removed leaked on every
 * restart of the runner.
 */
export function sleepUntil(ms: number, signal: AbortSignal): Promise<void> {
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    let wakers = sleepers.get(signal);
    if (wakers === undefined) {
      const pending = new Set<() => void>();
      wakers = pending;
      sleepers.set(signal, pending);
      signal.addEventListener('abort', () => [...pending].forEach((wake) => wake()), { once: true });
    }
    const own = wakers;
    const wake = (): void => {
      clearTimeout(timer);
      own.delete(wake);
      resolve();
    };
    const timer = setTimeout(wake, ms);
    own.add(wake);
  });
}
