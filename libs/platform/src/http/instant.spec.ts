import { instantProblem, isValidInstant } from './instant';

describe('isValidInstant', () => {
  it.each([
    '2025-06-01T00:00:00Z',
    '2024-02-29T23:59:59.999+02:00',
    '2025-06-01T10:00:00.1-05:30',
    '2025-06-01T10:00:00.12+00:00',
  ])('accepts %s', (raw) => expect(isValidInstant(raw)).toBe(true));

  it.each([
    ['a day that does not exist', '2025-02-30T00:00:00Z', 'isRfc3339'],
    ['February 29th outside a leap year', '2025-02-29T00:00:00Z', 'isRfc3339'],
    ['month 13', '2025-13-01T00:00:00Z', 'isRfc3339'],
    ['no offset', '2025-06-01T00:00:00', 'missingOffset'],
    ['a date alone', '2025-06-01', 'missingOffset'],
    ['prose', 'yesterday', 'isRfc3339'],
    ['an hour out of range', '2025-06-01T25:00:00Z', 'isRfc3339'],
    ['no seconds', '2025-06-01T00:00Z', 'isRfc3339'],
    ['an offset without colon', '2025-06-01T10:00:00-0530', 'isRfc3339'],
    ['microseconds', '2025-06-01T10:00:00.123456Z', 'maxPrecision'],
    ['nanoseconds', '2025-06-01T00:00:00.123456789+01:00', 'maxPrecision'],
    ['a space for T', '2025-06-01 10:00:00Z', 'isRfc3339'],
    ['the basic format', '20250601T100000Z', 'isRfc3339'],
  ])('rejects %s', (_why, raw, problem) => {
    expect(isValidInstant(raw)).toBe(false);
    expect(instantProblem(raw)).toBe(problem);
  });
});
