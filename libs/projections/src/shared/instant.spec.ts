import { canonicalInstant, earlierInstant, laterInstant, utcDay, wholeDaysBetween } from './instant';

describe('instants', () => {
  it('canonicalise to UTC with milliseconds', () => {
    expect(canonicalInstant('2024-01-01T10:00:00+01:00')).toBe('2024-01-01T09:00:00.000Z');
    expect(canonicalInstant(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
  });

  it('reject what is not an instant', () => {
    expect(() => canonicalInstant('soon')).toThrow(RangeError);
  });

  it('count whole days rounded down, negative backwards', () => {
    expect(wholeDaysBetween('2024-01-01T12:00:00Z', '2024-01-03T11:59:59Z')).toBe(1);
    expect(wholeDaysBetween('2024-01-03T00:00:00Z', '2024-01-01T12:00:00Z')).toBe(-2);
  });

  it('name the UTC day of an instant', () => {
    expect(utcDay('2024-01-01T23:30:00-02:00')).toBe('2024-01-02');
  });

  it('keep the earlier and the later of two instants', () => {
    expect(earlierInstant(null, '2024-01-02T00:00:00.000Z')).toBe('2024-01-02T00:00:00.000Z');
    expect(earlierInstant('2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z')).toBe(
      '2024-01-01T00:00:00.000Z',
    );
    expect(laterInstant('2024-01-01T00:00:00.000Z', '2024-01-02T00:00:00.000Z')).toBe(
      '2024-01-02T00:00:00.000Z',
    );
  });
});
