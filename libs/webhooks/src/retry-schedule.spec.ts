import { retryDelayMs } from './retry-schedule';

describe('retryDelayMs', () => {
  it('doubles its ceiling per attempt and waits between half of it and all of it', () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 100, 60_000, () => 0))).toEqual([
      50, 100, 200, 400,
    ]);
    expect([1, 2, 3, 4].map((attempt) => retryDelayMs(attempt, 100, 60_000, () => 1))).toEqual([
      100, 200, 400, 800,
    ]);
  });

  it('never waits beyond the maximum, however many attempts', () => {
    expect(retryDelayMs(60, 100, 5000, () => 1)).toBe(5000);
    expect(retryDelayMs(60, 100, 5000, () => 0)).toBe(2500);
  });
});
