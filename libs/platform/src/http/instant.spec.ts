import { isValidInstant } from './instant';

describe('isValidInstant', () => {
  it.each([
    '2025-06-01T00:00:00Z',
    '2025-06-01T00:00Z',
    '2024-02-29T23:59:59.999+02:00',
    '2025-06-01T10:00:00-0530',
  ])('accepts %s', (raw) => expect(isValidInstant(raw)).toBe(true));

  it.each([
    ['a day that does not exist', '2025-02-30T00:00:00Z'],
    ['February 29th outside a leap year', '2025-02-29T00:00:00Z'],
    ['month 13', '2025-13-01T00:00:00Z'],
    ['no offset', '2025-06-01T00:00:00'],
    ['a date alone', '2025-06-01'],
    ['prose', 'yesterday'],
    ['an hour out of range', '2025-06-01T25:00:00Z'],
  ])('rejects %s', (_why, raw) => expect(isValidInstant(raw)).toBe(false));
});
