import { canonicalInstant } from '../../shared/instant';
import { compareFacts, compareInstants } from './fact-chronology';

describe('compareInstants', () => {
  it('orders canonical instants by time', () => {
    expect(compareInstants('2024-01-01T00:00:00.000Z', '2024-01-01T00:00:00.001Z')).toBeLessThan(0);
    expect(compareInstants('2025-01-01T00:00:00.000Z', '2024-12-31T23:59:59.999Z')).toBeGreaterThan(0);
    expect(compareInstants('0999-06-01T00:00:00.000Z', '1970-01-01T00:00:00.000Z')).toBeLessThan(0);
    expect(compareInstants('2024-03-01T10:00:00.000Z', '2024-03-01T10:00:00.000Z')).toBe(0);
  });

  it('parses the extended-year form, whose string order is not time order', () => {
    const bc = canonicalInstant(new Date(Date.UTC(-1, 0, 1)));
    const far = canonicalInstant(new Date(Date.UTC(10_000, 0, 1)));
    expect(bc).toBe('-000001-01-01T00:00:00.000Z');
    expect(compareInstants(bc, '0001-01-01T00:00:00.000Z')).toBeLessThan(0);
    expect(compareInstants(far, '9999-12-31T23:59:59.999Z')).toBeGreaterThan(0);
    expect(compareInstants(bc, far)).toBeLessThan(0);
  });
});

describe('compareFacts', () => {
  it('breaks a tie in occurredAt by log position', () => {
    const at = '2024-03-01T10:00:00.000Z';
    expect(compareFacts({ at, position: 7 }, { at, position: 3 })).toBeGreaterThan(0);
    expect(compareFacts({ at: '2024-02-01T00:00:00.000Z', position: 9 }, { at, position: 3 })).toBeLessThan(
      0,
    );
  });
});
