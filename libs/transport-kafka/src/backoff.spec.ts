import { retrying, StoppedError, untilStopped } from './backoff';

/** A promise settled by hand. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (error: Error) => void } {
  let resolve: (value: T) => void = () => undefined;
  let reject: (error: Error) => void = () => undefined;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('untilStopped', () => {
  it('settles as the work does while nothing stops it', async () => {
    const stop = new AbortController();

    await expect(untilStopped(Promise.resolve('connected'), stop.signal)).resolves.toBe('connected');
    await expect(untilStopped(Promise.reject(new Error('refused')), stop.signal)).rejects.toThrow('refused');
  });

  it('throws StoppedError at the stop, and hands what the work yields later to onLate', async () => {
    const stop = new AbortController();
    const work = deferred<string>();
    const late: string[] = [];

    const waiting = untilStopped(work.promise, stop.signal, (value) => late.push(value));
    stop.abort();

    await expect(waiting).rejects.toBeInstanceOf(StoppedError);
    expect(late).toEqual([]);
    work.resolve('a connection');
    await work.promise;
    await Promise.resolve();
    expect(late).toEqual(['a connection']);
  });

  it('throws StoppedError at once when already stopped', async () => {
    const stop = new AbortController();
    stop.abort();

    await expect(untilStopped(deferred<string>().promise, stop.signal)).rejects.toBeInstanceOf(StoppedError);
  });

  it('does not hand work that finished first to onLate', async () => {
    const stop = new AbortController();
    const late: string[] = [];

    await expect(
      untilStopped(Promise.resolve('mine'), stop.signal, (value) => late.push(value)),
    ).resolves.toBe('mine');
    stop.abort();
    await Promise.resolve();

    expect(late).toEqual([]);
  });
});

describe('retrying', () => {
  it('passes a StoppedError through without reporting it as a failure', async () => {
    const stop = new AbortController();
    const reported: unknown[] = [];

    const attempt = (): Promise<never> => Promise.reject(new StoppedError());

    await expect(
      retrying(attempt, stop.signal, { onError: (error) => reported.push(error) }),
    ).rejects.toBeInstanceOf(StoppedError);
    expect(reported).toEqual([]);
  });

  it('retries a failure until the attempt succeeds', async () => {
    const stop = new AbortController();
    let calls = 0;

    const attempt = (): Promise<number> => {
      calls += 1;
      return calls < 3 ? Promise.reject(new Error('down')) : Promise.resolve(calls);
    };

    await expect(retrying(attempt, stop.signal, { initialMs: 1, maxMs: 1 })).resolves.toBe(3);
  });
});
