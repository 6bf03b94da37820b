import { instantRangeOf, type KpiPeriod, periodsOf } from './kpi-period';

const bucket = (from: string, to: string): KpiPeriod => ({
  from: new Date(from).toISOString(),
  to: new Date(to).toISOString(),
});

describe('periodsOf', () => {
  describe('day', () => {
    it('includes 29 February in a leap year', () => {
      expect(periodsOf('2024-02-28', '2024-03-02', 'day')).toEqual([
        bucket('2024-02-28', '2024-02-29'),
        bucket('2024-02-29', '2024-03-01'),
        bucket('2024-03-01', '2024-03-02'),
      ]);
    });

    it('goes from 28 February straight to 1 March in a common year', () => {
      expect(periodsOf('2023-02-28', '2023-03-02', 'day')).toEqual([
        bucket('2023-02-28', '2023-03-01'),
        bucket('2023-03-01', '2023-03-02'),
      ]);
    });

    it('clips the first and last buckets to the period and returns canonical instants', () => {
      expect(periodsOf('2024-03-01T10:00:00Z', '2024-03-03T06:00:00Z', 'day')).toEqual([
        { from: '2024-03-01T10:00:00.000Z', to: '2024-03-02T00:00:00.000Z' },
        { from: '2024-03-02T00:00:00.000Z', to: '2024-03-03T00:00:00.000Z' },
        { from: '2024-03-03T00:00:00.000Z', to: '2024-03-03T06:00:00.000Z' },
      ]);
    });

    it('reads offsets as the UTC instant they denote', () => {
      expect(periodsOf('2024-03-01T01:00:00+02:00', '2024-03-01T12:00:00Z', 'day')).toEqual([
        { from: '2024-02-29T23:00:00.000Z', to: '2024-03-01T00:00:00.000Z' },
        { from: '2024-03-01T00:00:00.000Z', to: '2024-03-01T12:00:00.000Z' },
      ]);
    });
  });

  describe('week', () => {
    it('starts ISO weeks on Monday 00:00 UTC', () => {
      // 2024-01-03 is a Wednesday; 2024-01-08 and 2024-01-15 are Mondays.
      expect(periodsOf('2024-01-03', '2024-01-22', 'week')).toEqual([
        bucket('2024-01-03', '2024-01-08'),
        bucket('2024-01-08', '2024-01-15'),
        bucket('2024-01-15', '2024-01-22'),
      ]);
    });

    it('ends the week that starts on a Sunday the next day', () => {
      expect(periodsOf('2024-01-07T18:00:00Z', '2024-01-10', 'week')).toEqual([
        bucket('2024-01-07T18:00:00Z', '2024-01-08'),
        bucket('2024-01-08', '2024-01-10'),
      ]);
    });

    it('runs a week across the turn of the year', () => {
      // 2024-12-30 is the Monday of ISO week 2025-W01.
      expect(periodsOf('2024-12-25', '2025-01-08', 'week')).toEqual([
        bucket('2024-12-25', '2024-12-30'),
        bucket('2024-12-30', '2025-01-06'),
        bucket('2025-01-06', '2025-01-08'),
      ]);
    });

    it('spans a leap day inside one week', () => {
      // 2024-02-26 is a Monday; the week holds 29 February and ends on Monday 4 March.
      expect(periodsOf('2024-02-26', '2024-03-04', 'week')).toEqual([bucket('2024-02-26', '2024-03-04')]);
    });
  });

  describe('month', () => {
    it('cuts at month ends of every length, February 2024 having 29 days', () => {
      expect(periodsOf('2024-01-31T00:00:00Z', '2024-05-15', 'month')).toEqual([
        bucket('2024-01-31', '2024-02-01'),
        bucket('2024-02-01', '2024-03-01'),
        bucket('2024-03-01', '2024-04-01'),
        bucket('2024-04-01', '2024-05-01'),
        bucket('2024-05-01', '2024-05-15'),
      ]);
    });

    it('splits a whole year into twelve months across December', () => {
      const months = periodsOf('2023-12-01', '2024-12-01', 'month');
      expect(months).toHaveLength(12);
      expect(months[0]).toEqual(bucket('2023-12-01', '2024-01-01'));
      expect(months[2]).toEqual(bucket('2024-02-01', '2024-03-01'));
      expect(months[11]).toEqual(bucket('2024-11-01', '2024-12-01'));
    });

    it('gives February 28 days in a common year', () => {
      expect(periodsOf('2023-02-01', '2023-03-01', 'month')).toEqual([bucket('2023-02-01', '2023-03-01')]);
      expect(periodsOf('2023-02-15', '2023-03-15', 'month')).toEqual([
        bucket('2023-02-15', '2023-03-01'),
        bucket('2023-03-01', '2023-03-15'),
      ]);
    });
  });

  it('returns no bucket for an empty or inverted period', () => {
    expect(periodsOf('2024-03-01', '2024-03-01', 'day')).toEqual([]);
    expect(periodsOf('2024-03-02', '2024-03-01', 'month')).toEqual([]);
  });

  it('rejects an unparseable bound', () => {
    expect(() => periodsOf('yesterday', '2024-03-01', 'day')).toThrow(RangeError);
  });
});

describe('instantRangeOf', () => {
  it('reads the period as epoch milliseconds', () => {
    expect(instantRangeOf({ from: '1970-01-01T00:00:00Z', to: '1970-01-02T00:00:00Z' })).toEqual({
      from: 0,
      to: 86_400_000,
    });
  });

  it('rejects a period that starts after it ends', () => {
    expect(() => instantRangeOf({ from: '2024-03-02', to: '2024-03-01' })).toThrow(RangeError);
  });
});
