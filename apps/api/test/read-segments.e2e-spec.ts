import { recordTouchpoint } from './support/api';
import {
  call,
  purchase,
  refund,
  registerAt,
  type SegmentMemberBody,
  scoresOf,
  segmentPage,
  survey,
  wholeSegment,
} from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(30_000);

const SORTS = [
  'customerId',
  '-customerId',
  'netRevenue',
  '-netRevenue',
  'orders',
  '-orders',
  'registeredAt',
  '-registeredAt',
  'lastPurchaseAt',
  '-lastPurchaseAt',
] as const;

type Expected = Pick<
  SegmentMemberBody,
  'customerId' | 'stage' | 'valueTier' | 'netRevenue' | 'orders' | 'registeredAt' | 'lastPurchaseAt'
>;

/**
 * Seven customers, one app of their own: five purchasers (N = 5) whose net
 * revenues 0, 500, 1000, 3000, 10000 give L/N = 0, 0.2, 0.4, 0.6, 0.8 →
 * below_zero, low, core, core, mvc; two prospects.
 */
const CUSTOMERS: readonly Expected[] = [
  member('seg-pa', 'reach', 'prospect', 0, 0, '2024-01-01', null),
  member('seg-pb', 'acquisition', 'prospect', 0, 0, '2024-01-02', null),
  member('seg-c1', 'conversion', 'core', 1000, 1, '2024-01-03', '2024-03-01T00:00:00.000Z'),
  member('seg-c2', 'retention', 'core', 3000, 2, '2024-01-04', '2024-04-01T00:00:00.000Z'),
  member('seg-c3', 'loyalty', 'mvc', 10000, 2, '2024-01-05', '2024-05-01T00:00:00.000Z'),
  member('seg-c4', 'conversion', 'below_zero', 0, 1, '2024-01-06', '2024-03-15T00:00:00.000Z'),
  member('seg-c5', 'conversion', 'low', 500, 1, '2024-01-07', '2024-06-01T00:00:00.000Z'),
];

function member(
  customerId: string,
  stage: string,
  valueTier: string,
  netRevenue: number,
  orders: number,
  registeredDay: string,
  lastPurchaseAt: string | null,
): Expected {
  return {
    customerId,
    stage,
    valueTier,
    netRevenue,
    orders,
    registeredAt: `${registeredDay}T00:00:00.000Z`,
    lastPurchaseAt,
  };
}

const ids = (members: readonly { customerId: string }[]): string[] => members.map((m) => m.customerId);
const where = (test: (m: Expected) => boolean): string[] => ids(CUSTOMERS.filter(test));

/** The order a sort key promises: nulls lowest, ties by customerId in the same direction. */
function sortedBy(key: (typeof SORTS)[number]): string[] {
  const descending = key.startsWith('-');
  const field = (descending ? key.slice(1) : key) as keyof Expected;
  const compare = (a: Expected, b: Expected): number => {
    const [x, y] = [a[field], b[field]];
    if (x !== y) {
      if (x === null) return -1;
      if (y === null) return 1;
      return x < y ? -1 : 1;
    }
    return a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0;
  };
  return ids([...CUSTOMERS].sort((a, b) => (descending ? compare(b, a) : compare(a, b))));
}

describe('GET /customers (segments)', () => {
  let app: TestApp;
  let position: number;

  beforeAll(async () => {
    app = await TestApp.start();
    for (const customer of CUSTOMERS) {
      await registerAt(
        app,
        customer.customerId,
        customer.registeredAt,
        customer.customerId === 'seg-c5' ? { kind: 'company', segment: 'smb' } : {},
      );
    }
    const record = async (customerId: string, body: Record<string, unknown>): Promise<void> => {
      position = (await recordTouchpoint(app, customerId, body)).globalPosition;
    };
    await record('seg-pb', call('inbound', '2024-02-01T00:00:00Z'));
    await record('seg-c1', purchase('o-1', 1000, '2024-03-01T00:00:00Z'));
    await record('seg-c2', purchase('o-1', 1000, '2024-03-05T00:00:00Z'));
    await record('seg-c2', purchase('o-2', 2000, '2024-04-01T00:00:00Z'));
    await record('seg-c3', purchase('o-1', 4000, '2024-03-10T00:00:00Z'));
    await record('seg-c3', purchase('o-2', 6000, '2024-05-01T00:00:00Z'));
    await record('seg-c3', survey('nps', 10, '2024-05-02T00:00:00Z'));
    await record('seg-c4', purchase('o-1', 2000, '2024-03-15T00:00:00Z'));
    await record('seg-c4', refund('o-1', 2000, '2024-03-20T00:00:00Z'));
    await record('seg-c5', purchase('o-1', 500, '2024-06-01T00:00:00Z'));
  });

  afterAll(async () => {
    await app.stop();
  });

  const list = (params: Record<string, string | number> = {}) =>
    wholeSegment(app, { minPosition: position, ...params });

  it('lists every customer by customerId with stage, tier and value', async () => {
    const page = await segmentPage(app, { minPosition: position });

    expect(page.nextCursor).toBeNull();
    expect(page.meta.position).toBeGreaterThanOrEqual(position);
    const byId = [...CUSTOMERS].sort((a, b) => (a.customerId < b.customerId ? -1 : 1));
    expect(page.items).toEqual(
      byId.map((customer) => ({
        ...customer,
        name: 'Test Customer',
        kind: customer.customerId === 'seg-c5' ? 'company' : 'person',
        segment: customer.customerId === 'seg-c5' ? 'smb' : null,
        status: expect.stringMatching(/^(active|lapsed)$/) as unknown,
      })),
    );
  });

  it.each(['prospect', 'below_zero', 'low', 'core', 'mvc'])(
    'filters valueTier=%s by the tier of the current population',
    async (valueTier) => {
      const members = await list({ valueTier });

      expect(ids(members)).toEqual(where((customer) => customer.valueTier === valueTier));
      expect(members.every((m) => m.valueTier === valueTier)).toBe(true);
    },
  );

  it.each(['reach', 'acquisition', 'conversion', 'retention', 'loyalty'])(
    'filters stage=%s',
    async (stage) => {
      const members = await list({ stage });

      expect(ids(members)).toEqual(where((customer) => customer.stage === stage));
    },
  );

  it.each([
    ['conversion', 'core', ['seg-c1']],
    ['conversion', 'low', ['seg-c5']],
    ['conversion', 'below_zero', ['seg-c4']],
    ['loyalty', 'mvc', ['seg-c3']],
    ['retention', 'mvc', []],
    ['reach', 'prospect', ['seg-pa']],
  ])('combines stage=%s with valueTier=%s, one item a page', async (stage, valueTier, expected) => {
    expect(ids(await list({ stage, valueTier, limit: 1 }))).toEqual(expected);
  });

  it.each(SORTS)('sorts by %s and pages through everyone exactly once', async (sort) => {
    const onePage = await segmentPage(app, { sort, limit: 1000, minPosition: position });
    const byTwo = await list({ sort, limit: 2 });
    const byOne = await list({ sort, limit: 1 });

    expect(ids(onePage.items)).toEqual(sortedBy(sort));
    expect(ids(byTwo)).toEqual(sortedBy(sort));
    expect(ids(byOne)).toEqual(sortedBy(sort));
  });

  it('sorts within a filter', async () => {
    expect(ids(await list({ valueTier: 'core', sort: '-netRevenue', limit: 1 }))).toEqual([
      'seg-c2',
      'seg-c1',
    ]);
    expect(ids(await list({ stage: 'conversion', sort: '-lastPurchaseAt', limit: 2 }))).toEqual([
      'seg-c5',
      'seg-c4',
      'seg-c1',
    ]);
    expect(ids(await list({ valueTier: 'prospect', sort: '-registeredAt' }))).toEqual(['seg-pb', 'seg-pa']);
  });

  it('hands out a cursor only while more remain, and a short last page', async () => {
    const first = await segmentPage(app, { limit: 3, minPosition: position });
    const second = await segmentPage(app, {
      limit: 3,
      cursor: first.nextCursor ?? '',
      minPosition: position,
    });
    const third = await segmentPage(app, {
      limit: 3,
      cursor: second.nextCursor ?? '',
      minPosition: position,
    });

    expect([first.items.length, second.items.length, third.items.length]).toEqual([3, 3, 1]);
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(third.nextCursor).toBeNull();
  });

  it('evaluates status at asOf: lapsed 180 days after the last purchase, prospects never', async () => {
    const statusAt = async (asOf: string): Promise<Record<string, string>> => {
      const page = await segmentPage(app, { asOf, minPosition: position });
      expect(page.meta.asOf).toBe(asOf);
      return Object.fromEntries(page.items.map((m) => [m.customerId, m.status]));
    };

    expect(await statusAt('2024-09-01T00:00:00.000Z')).toEqual({
      'seg-pa': 'active',
      'seg-pb': 'active',
      'seg-c1': 'lapsed',
      'seg-c2': 'active',
      'seg-c3': 'active',
      'seg-c4': 'active',
      'seg-c5': 'active',
    });
    expect(await statusAt('2024-12-01T00:00:00.000Z')).toEqual({
      'seg-pa': 'active',
      'seg-pb': 'active',
      'seg-c1': 'lapsed',
      'seg-c2': 'lapsed',
      'seg-c3': 'lapsed',
      'seg-c4': 'lapsed',
      'seg-c5': 'lapsed',
    });
  });
});

describe('GET /customers (segments) read-your-writes', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  it('shows a new customer and the tiers its purchases move, at the positions the writes returned', async () => {
    await registerAt(app, 'ryw-a', '2024-01-01T00:00:00Z');
    const aBuys = await recordTouchpoint(app, 'ryw-a', purchase('o-1', 5000, '2024-02-01T00:00:00Z'));
    const tiersAt = async (minPosition: number): Promise<Record<string, string>> => {
      const page = await segmentPage(app, { minPosition });
      return Object.fromEntries(page.items.map((m) => [m.customerId, m.valueTier]));
    };
    const tierMembers = async (minPosition: number): Promise<Record<string, string[]>> => {
      const members: Record<string, string[]> = {};
      for (const valueTier of ['low', 'core', 'mvc']) {
        members[valueTier] = ids(await wholeSegment(app, { valueTier, minPosition }));
      }
      return members;
    };

    expect(await tiersAt(aBuys.globalPosition)).toEqual({ 'ryw-a': 'low' });
    expect(await tierMembers(aBuys.globalPosition)).toEqual({ low: ['ryw-a'], core: [], mvc: [] });

    await registerAt(app, 'ryw-b', '2024-01-02T00:00:00Z');
    const bBuys = await recordTouchpoint(app, 'ryw-b', purchase('o-1', 100, '2024-02-02T00:00:00Z'));
    expect(await tiersAt(bBuys.globalPosition)).toEqual({ 'ryw-a': 'core', 'ryw-b': 'low' });
    // Two purchasers: nobody can reach L/N ≥ 0.8, so mvc is empty while core and low are not.
    expect(await tierMembers(bBuys.globalPosition)).toEqual({ low: ['ryw-b'], core: ['ryw-a'], mvc: [] });

    const registered = await app.post<{ globalPosition: number }>('/customers', {
      kind: 'person',
      name: 'C',
      customerId: 'ryw-c',
      occurredAt: '2024-01-03T00:00:00Z',
    });
    expect(await tiersAt(registered.body.globalPosition)).toEqual({
      'ryw-a': 'core',
      'ryw-b': 'low',
      'ryw-c': 'prospect',
    });

    const bRefunded = await recordTouchpoint(app, 'ryw-b', refund('o-1', 100, '2024-02-03T00:00:00Z'));
    expect(await tiersAt(bRefunded.globalPosition)).toEqual({
      'ryw-a': 'core',
      'ryw-b': 'below_zero',
      'ryw-c': 'prospect',
    });
    expect(
      ids(await wholeSegment(app, { valueTier: 'below_zero', minPosition: bRefunded.globalPosition })),
    ).toEqual(['ryw-b']);
  });
});

describe('GET /customers (segments) at the tier boundaries', () => {
  let app: TestApp;
  let position: number;
  // N = 10 purchasers; L/N lands exactly on 0.3 (core) and 0.8 (mvc), with ties on both.
  const NET_REVENUES = [0, 100, 100, 200, 200, 200, 300, 300, 1000, 1000];
  const EXPECTED_TIERS = ['below_zero', 'low', 'low', 'core', 'core', 'core', 'core', 'core', 'mvc', 'mvc'];
  const idOf = (index: number): string => `edge-${String(index).padStart(2, '0')}`;

  beforeAll(async () => {
    app = await TestApp.start();
    for (const [index, netRevenue] of NET_REVENUES.entries()) {
      const customerId = await registerAt(app, idOf(index), '2024-01-01T00:00:00Z');
      // netRevenue 0 is a purchase refunded in full: a purchaser, below zero.
      const amount = netRevenue === 0 ? 50 : netRevenue;
      position = (await recordTouchpoint(app, customerId, purchase('o-1', amount, '2024-02-01T00:00:00Z')))
        .globalPosition;
      if (netRevenue === 0) {
        position = (await recordTouchpoint(app, customerId, refund('o-1', 50, '2024-02-02T00:00:00Z')))
          .globalPosition;
      }
    }
  });

  afterAll(async () => {
    await app.stop();
  });

  it('puts each purchaser in the tier its own scores report, and every purchaser in exactly one tier', async () => {
    const byFilter = new Map<string, string>();
    for (const valueTier of ['prospect', 'below_zero', 'low', 'core', 'mvc']) {
      for (const m of await wholeSegment(app, { valueTier, limit: 3, minPosition: position })) {
        expect(byFilter.has(m.customerId)).toBe(false);
        byFilter.set(m.customerId, valueTier);
      }
    }
    const fromScores = new Map<string, string>();
    for (const index of NET_REVENUES.keys()) {
      const body = await scoresOf(app, idOf(index), { minPosition: position });
      fromScores.set(idOf(index), body.differentiate.value.valueTier);
    }

    const expected = new Map(EXPECTED_TIERS.map((tier, index) => [idOf(index), tier]));
    expect(fromScores).toEqual(expected);
    expect(byFilter).toEqual(expected);
  });
});
