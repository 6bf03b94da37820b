import { getEventListeners } from 'node:events';
import { sleepUntil } from './sleep-until';

describe('sleepUntil', () => {
  it('keeps one abort listener on the signal, however often it is called', async () => {
    const stop = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // A runner restarted again and again sleeps on the same stop signal each time.
      for (let restart = 0; restart < 20; restart++) await sleepUntil(1, stop.signal);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }

    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('keeps one abort listener for many sleeps pending at once, and wakes them all on abort', async () => {
    const stop = new AbortController();
    const warnings: Error[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning);
    process.on('warning', onWarning);
    try {
      // Twelve blue-green rebuilds, each waiting to retire its old version.
      const sleeping = Array.from({ length: 12 }, () => sleepUntil(60_000, stop.signal));
      expect(getEventListeners(stop.signal, 'abort')).toHaveLength(1);
      stop.abort();
      await Promise.all(sleeping);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
    }
    expect(warnings.map((warning) => warning.name)).not.toContain('MaxListenersExceededWarning');
  });

  it('ends at once when the signal aborts, before or during the sleep', async () => {
    const stop = new AbortController();
    const sleeping = sleepUntil(60_000, stop.signal);
    stop.abort();
    await sleeping;
    await sleepUntil(60_000, stop.signal);
    expect(getEventListeners(stop.signal, 'abort')).toHaveLength(0);
  });
});
