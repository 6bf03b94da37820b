import { normaliseEmail, normalisePhone, profileCompleteness } from './idic.identity';

describe('normaliseEmail', () => {
  it('lower-cases an address (trimming is done before it)', () => {
    expect(normaliseEmail('Ada.Lovelace@Example.COM')).toBe('ada.lovelace@example.com');
  });
});

describe('normalisePhone', () => {
  it.each([
    ['+44 20 7946 0958', '+442079460958'],
    ['+1 (415) 555-2671', '+14155552671'],
    ['+49 (0)30 123456', '+4930123456'],
    ['0033 1 23 45 67 89', '+33123456789'],
    ['+31.20.555.1234', '+31205551234'],
  ])('reads %s as %s', (raw, e164) => {
    expect(normalisePhone(raw)).toBe(e164);
  });

  it.each([
    ['a national number without a country code', '020 7946 0958'],
    ['a number with an extension', '+44 20 7946 0958 ext 12'],
    ['a country code starting with 0', '+0 123 4567'],
    ['too few digits', '+12 345'],
    ['more than 15 digits', '+1234567890123456'],
  ])('yields null for %s', (_case, raw) => {
    expect(normalisePhone(raw)).toBeNull();
  });
});

describe('profileCompleteness', () => {
  const stated = (present: boolean) => ({
    occurredAt: '2024-01-01T00:00:00.000Z',
    position: 1,
    present,
    value: null,
  });

  it('is the share of name, email, phone and segment present', () => {
    expect(
      profileCompleteness({ name: stated(true), email: stated(true), phone: null, segment: stated(false) }),
    ).toBe(0.5);
  });

  it('is 0 for an empty profile and 1 for a full one', () => {
    expect(profileCompleteness({ name: null, email: null, phone: null, segment: null })).toBe(0);
    expect(
      profileCompleteness({
        name: stated(true),
        email: stated(true),
        phone: stated(true),
        segment: stated(true),
      }),
    ).toBe(1);
  });
});
