import {
  canonicalInstant,
  compareInstants,
  earlierInstant,
  laterInstant,
  utcDay,
  wholeDaysBetween,
} from './instant';

describe('instants', () => {
  it('canonicalise to UTC with milliseconds', () => {
    expect(canonicalInstant('2024-01-01T10:00:00+01:00')).toBe('2024-01-01T09:00:00.000Z');
    expect(canonicalInstant(new Date(Date.UTC(2024, 0, 2)))).toBe('2024-01-02T00:00:00.000Z');
  });

  it('reject what is not an instant', () => {
    expect(() => canonicalInstant('soon')).toThrow(RangeError);
    expect(() => canonicalInstant('2024-13-01T00:00:00.000Z')).toThrow(RangeError);
  });

  it('keep a canonical instant as it is, the last days of a month included', () => {
    for (const instant of [
      '2024-02-29T23:59:59.999Z',
      '2024-01-31T00:00:00.000Z',
      '0024-01-01T10:00:00.000Z',
    ]) {
      expect(canonicalInstant(instant)).toBe(instant);
    }
  });

  it('agree with toISOString on the last days of every month, leap years included', () => {
    for (const year of ['0000', '1900', '2000', '2023', '2024']) {
      for (let month = 1; month <= 12; month++) {
        for (const day of ['28', '29', '30', '31']) {
          const instant = `${year}-${String(month).padStart(2, '0')}-${day}T12:00:00.000Z`;
          expect(canonicalInstant(instant)).toBe(new Date(Date.parse(instant)).toISOString());
        }
      }
    }
  });

  it('canonicalise the spellings Date rolls over, so that string order stays time order', () => {
    expect(canonicalInstant('2025-02-30T00:00:00.000Z')).toBe('2025-03-02T00:00:00.000Z');
    expect(canonicalInstant('2024-04-31T00:00:00.000Z')).toBe('2024-05-01T00:00:00.000Z');
    expect(canonicalInstant('2024-01-01T24:00:00.000Z')).toBe('2024-01-02T00:00:00.000Z');
  });

  it('order instants by time whatever their spelling, as parsing both would', () => {
    const instants = [
      '2024-01-01T09:00:00.000Z',
      '2024-01-01T10:00:00+01:00',
      '2024-01-01T09:00:00Z',
      '2024-01-01T09:00:00.001Z',
      '2023-12-31T23:59:59.999Z',
      '2024-01-01T09:00:00+0000',
      '0999-06-01T00:00:00.000Z',
      '-000001-01-01T00:00:00.000Z',
      '+010000-01-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ];
    for (const a of instants) {
      for (const b of instants) {
        expect([a, b, Math.sign(compareInstants(a, b))]).toEqual([
          a,
          b,
          Math.sign(Date.parse(a) - Date.parse(b)),
        ]);
      }
    }
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
