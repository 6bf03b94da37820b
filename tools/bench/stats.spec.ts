import { medianBy, runBounded, runConcurrently, summarise } from './stats';

describe('bench statistics', () => {
  it('takes percentiles by nearest rank', () => {
    const latencies = Array.from({ length: 100 }, (_, index) => index + 1);
    expect(summarise(latencies)).toEqual({ p50Ms: 50, p99Ms: 99, maxMs: 100 });
  });

  it('reports zeros for no samples rather than NaN', () => {
    expect(summarise([])).toEqual({ p50Ms: 0, p99Ms: 0, maxMs: 0 });
  });

  it('picks the median item by a key, the lower middle one of an even count', () => {
    const fast = { rate: 70 };
    const slow = { rate: 40 };
    const middle = { rate: 55 };
    expect(medianBy([fast, slow, middle], (run) => run.rate)).toBe(middle);
    expect(medianBy([fast, slow, middle, { rate: 90 }], (run) => run.rate)).toBe(middle);
    expect(medianBy([slow], (run) => run.rate)).toBe(slow);
    expect(() => medianBy([], (run: { rate: number }) => run.rate)).toThrow(RangeError);
  });

  it('never has more tasks in flight than the concurrency and runs each once', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await runConcurrently(50, 4, async (index) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      seen.push(index);
      await new Promise((resolve) => setImmediate(resolve));
      inFlight--;
    });
    expect(peak).toBe(4);
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, index) => index));
  });

  it('starts no task once told to stop, and lets the running ones finish', async () => {
    let inFlight = 0;
    let peak = 0;
    let finished = 0;
    const { latenciesMs } = await runBounded(
      1000,
      3,
      () => finished >= 10,
      async () => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        await new Promise((resolve) => setImmediate(resolve));
        inFlight--;
        finished++;
      },
    );
    expect(peak).toBe(3);
    expect(latenciesMs.length).toBe(finished);
    expect(finished).toBeGreaterThanOrEqual(10);
    expect(finished).toBeLessThan(10 + 3);
  });

  it('runs no more than the total however long it may go on', async () => {
    const { latenciesMs } = await runBounded(
      7,
      4,
      () => false,
      () => Promise.resolve(),
    );
    expect(latenciesMs).toHaveLength(7);
  });
});
