import { preferredChannel, topCategory, withCategoryAmounts, withChannelTouch } from './idic.needs';

const ref = (occurredAt: string, position: number) => ({ occurredAt, position });

describe('preferredChannel', () => {
  it('is null without touchpoints', () => {
    expect(preferredChannel({})).toBeNull();
  });

  it('is the channel with the most touchpoints', () => {
    const channels = {
      email: { count: 3, ...ref('2024-01-01T00:00:00.000Z', 1) },
      chat: { count: 2, ...ref('2024-05-01T00:00:00.000Z', 9) },
    };
    expect(preferredChannel(channels)).toBe('email');
  });

  it('breaks a tie by the most recent touchpoint, then by log order', () => {
    const sameInstant = '2024-03-01T00:00:00.000Z';
    expect(
      preferredChannel({
        email: { count: 2, ...ref('2024-01-01T00:00:00.000Z', 8) },
        chat: { count: 2, ...ref(sameInstant, 3) },
        sms: { count: 2, ...ref(sameInstant, 4) },
      }),
    ).toBe('sms');
  });
});

describe('withChannelTouch', () => {
  it('counts the touch and keeps the latest occurredAt even when an older touch arrives later', () => {
    const once = withChannelTouch({}, 'web', ref('2024-02-01T00:00:00.000Z', 1));
    const twice = withChannelTouch(once, 'web', ref('2024-01-01T00:00:00.000Z', 2));
    expect(twice).toEqual({ web: { count: 2, ...ref('2024-02-01T00:00:00.000Z', 1) } });
  });
});

describe('category amounts', () => {
  it('sums quantity times unit amount per category, sorted by category name', () => {
    const first = withCategoryAmounts(
      [],
      [
        { sku: 'a', category: 'toys', quantity: 2, unitAmount: 150 },
        { sku: 'b', category: 'books', quantity: 1, unitAmount: 1_000 },
      ],
    );
    const second = withCategoryAmounts(first, [{ sku: 'c', category: 'toys', quantity: 3, unitAmount: 100 }]);
    expect(second).toEqual([
      { category: 'books', amount: 1_000 },
      { category: 'toys', amount: 600 },
    ]);
  });

  it('keeps client category names that look like prototype keys as ordinary data', () => {
    const amounts = withCategoryAmounts(
      [],
      [{ sku: 'a', category: '__proto__', quantity: 1, unitAmount: 5 }],
    );
    expect(amounts).toEqual([{ category: '__proto__', amount: 5 }]);
    expect(topCategory(amounts)).toBe('__proto__');
  });

  it('picks the largest amount as top category, and the first name alphabetically on a tie', () => {
    expect(
      topCategory([
        { category: 'toys', amount: 500 },
        { category: 'books', amount: 400 },
      ]),
    ).toBe('toys');
    expect(
      topCategory([
        { category: 'toys', amount: 500 },
        { category: 'games', amount: 500 },
      ]),
    ).toBe('games');
  });

  it('has no top category when nothing was spent', () => {
    expect(topCategory([])).toBeNull();
    expect(topCategory([{ category: 'gifts', amount: 0 }])).toBeNull();
  });
});
