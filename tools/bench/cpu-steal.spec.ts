import { parseCpuTimes, stealPercent } from './cpu-steal';

describe('CPU steal of a bench run', () => {
  it('reads the total and the steal ticks from the first line of /proc/stat', () => {
    const stat = 'cpu  100 5 20 800 10 0 5 60 7 0\ncpu0 50 2 10 400 5 0 2 30 3 0\n';
    expect(parseCpuTimes(stat)).toEqual({ total: 1000, steal: 60 });
  });

  it('refuses what is not a cpu line', () => {
    expect(parseCpuTimes('intr 1 2 3')).toBeNull();
    expect(parseCpuTimes('cpu 1 2 3')).toBeNull();
    expect(parseCpuTimes('cpu  1 2 3 4 5 6 7 x')).toBeNull();
  });

  it('gives the share of CPU time stolen between two readings', () => {
    expect(stealPercent({ total: 1000, steal: 60 }, { total: 3000, steal: 460 })).toBe(20);
    expect(stealPercent({ total: 1000, steal: 60 }, { total: 1000, steal: 60 })).toBeNull();
    expect(stealPercent(null, { total: 1000, steal: 60 })).toBeNull();
  });
});
