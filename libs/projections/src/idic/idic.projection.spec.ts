import { type CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import {
  inLogOrder,
  present,
  project,
  replay,
  withoutPositions,
} from '../shared/testing/projection-log.fixture';
import type { IdicDocument } from './idic.document';
import { evolveIdic } from './idic.projection';

const at = (occurredAt: string) => ({ occurredAt });
const idicOf = (...events: CrmEvent[]): IdicDocument => present(project(evolveIdic, events));

describe('evolveIdic', () => {
  it('builds the whole document from a customer history', () => {
    const f = createEventFactory({ customerId: 'c-1' });
    const doc = idicOf(
      f.customerRegistered(
        { kind: 'person', name: 'Ada', email: ' Ada@Example.com ', phone: '+44 20 7946 0958' },
        at('2024-01-01T09:00:00.000Z'),
      ),
      f.callLogged({ direction: 'inbound' }, at('2024-01-02T09:00:00.000Z')),
      f.purchaseCompleted(
        {
          orderId: 'o-1',
          amount: 10_000,
          channel: 'store',
          items: [{ sku: 'b1', category: 'books', quantity: 2, unitAmount: 5_000 }],
        },
        at('2024-01-05T09:00:00.000Z'),
      ),
      f.purchaseCompleted(
        {
          orderId: 'o-2',
          amount: 3_000,
          channel: 'web',
          items: [
            { sku: 't1', category: 'toys', quantity: 1, unitAmount: 2_000 },
            { sku: 'b2', category: 'books', quantity: 1, unitAmount: 1_000 },
          ],
        },
        at('2024-02-01T09:00:00.000Z'),
      ),
      f.purchaseRefunded({ orderId: 'o-1', amount: 2_500 }, at('2024-02-02T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 6 }, at('2024-02-03T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-02-04T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'csat', score: 5 }, at('2024-02-04T10:00:00.000Z')),
      f.emailLogged({ direction: 'outbound' }, at('2024-02-05T09:00:00.000Z')),
    );

    const registration = { occurredAt: '2024-01-01T09:00:00.000Z', position: 1 };
    expect(doc).toEqual<IdicDocument>({
      id: 'c-1',
      position: 9,
      customerId: 'c-1',
      kind: 'person',
      segment: null,
      profileCompleteness: 0.75,
      purchaseTotal: 13_000,
      refundTotal: 2_500,
      netRevenue: 10_500,
      orders: 2,
      valueClass: 'positive',
      aov: 6_500,
      lastPurchaseAt: '2024-02-01T09:00:00.000Z',
      channels: {
        phone: { count: 1, occurredAt: '2024-01-02T09:00:00.000Z', position: 2 },
        store: { count: 2, occurredAt: '2024-02-02T09:00:00.000Z', position: 5 },
        web: { count: 1, occurredAt: '2024-02-01T09:00:00.000Z', position: 4 },
        survey: { count: 3, occurredAt: '2024-02-04T10:00:00.000Z', position: 8 },
        email: { count: 1, occurredAt: '2024-02-05T09:00:00.000Z', position: 9 },
      },
      preferredChannel: 'survey',
      categories: [
        { category: 'books', amount: 11_000 },
        { category: 'toys', amount: 2_000 },
      ],
      topCategory: 'books',
      touchpoints: 8,
      inboundTouchpoints: 4,
      inboundShare: 0.5,
      touchpointsByDay: {
        '2024-01-02': 1,
        '2024-01-05': 1,
        '2024-02-01': 1,
        '2024-02-02': 1,
        '2024-02-03': 1,
        '2024-02-04': 2,
        '2024-02-05': 1,
      },
      latestNps: { score: 6, occurredAt: '2024-02-03T09:00:00.000Z', position: 6 },
      csat: { sum: 9, count: 2 },
      avgCsat: 4.5,
      facts: {
        profile: {
          name: { ...registration, present: true, value: null },
          email: { ...registration, present: true, value: null },
          phone: { ...registration, present: true, value: null },
          segment: null,
        },
        orders: [
          {
            orderId: 'o-1',
            channel: 'store',
            amount: 10_000,
            occurredAt: '2024-01-05T09:00:00.000Z',
            position: 3,
          },
          {
            orderId: 'o-2',
            channel: 'web',
            amount: 3_000,
            occurredAt: '2024-02-01T09:00:00.000Z',
            position: 4,
          },
        ],
        registrations: [registration],
        repeatedOrders: [],
        refunds: [{ occurredAt: '2024-02-02T09:00:00.000Z', position: 5, amount: 2_500 }],
      },
    });
  });

  it('stays plain JSON, so a store round trip gives back the same document', () => {
    const f = createEventFactory();
    const doc = idicOf(f.customerRegistered(), f.callLogged(), f.purchaseCompleted(), f.surveyAnswered());
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });

  it('has no document until the customer is registered', () => {
    const f = createEventFactory();
    expect(evolveIdic(null, { event: f.purchaseCompleted(), position: 1 })).toBeNull();
  });

  it('keeps every ratio null while its denominator is empty', () => {
    const f = createEventFactory();
    const doc = idicOf(f.customerRegistered({ name: 'Ada' }), f.consentChanged(), f.profileUpdated());
    expect(doc).toMatchObject({
      orders: 0,
      aov: null,
      touchpoints: 0,
      inboundShare: null,
      avgCsat: null,
      latestNps: null,
      lastPurchaseAt: null,
      preferredChannel: null,
      topCategory: null,
    });
  });

  describe('idempotency', () => {
    it('applying the same event twice equals applying it once', () => {
      const f = createEventFactory();
      const log = inLogOrder([f.customerRegistered(), f.purchaseCompleted(), f.purchaseRefunded()]);
      const once = present(replay(evolveIdic, log));
      const twice = present(replay(evolveIdic, [...log, ...log]));
      expect(twice).toEqual(once);
      expect(twice.netRevenue).toBe(5_000);
    });

    it('returns the very same document for an event at or below its position', () => {
      const f = createEventFactory();
      const doc = idicOf(f.customerRegistered(), f.callLogged());
      expect(evolveIdic(doc, { event: f.callLogged(), position: 1 })).toBe(doc);
    });
  });

  describe('identify', () => {
    it('changes completeness with profile updates and keeps no identity value', () => {
      const f = createEventFactory();
      const registered = idicOf(f.customerRegistered({ name: 'Ada' }));
      const updated = idicOf(
        f.customerRegistered({ name: 'Ada' }),
        f.profileUpdated({ email: 'ADA@example.org', phone: '0044 7700 900123', segment: 'vip' }),
      );
      expect(registered).toMatchObject({ profileCompleteness: 0.25 });
      expect(updated).toMatchObject({ profileCompleteness: 1, segment: 'vip' });
      expect(JSON.stringify(updated)).not.toMatch(/ada@|7700/i);
    });

    it('counts a phone without a country code as present', () => {
      const f = createEventFactory();
      const doc = idicOf(f.customerRegistered({ name: 'Ada', phone: '07700 900123' }));
      expect(doc).toMatchObject({ profileCompleteness: 0.5 });
    });

    it('clears a field stated blank and lowers completeness', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered({ name: 'Ada', email: 'a@b.c' }),
        f.profileUpdated({ email: ' ' }),
      );
      expect(doc).toMatchObject({
        profileCompleteness: 0.25,
        facts: { profile: { email: { present: false } } },
      });
    });

    it('keeps the latest statement by occurredAt when an older update arrives late', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered({ email: 'first@x.io' }, at('2024-01-01T00:00:00.000Z')),
        f.profileUpdated({ email: 'newest@x.io' }, at('2024-03-01T00:00:00.000Z')),
        f.profileUpdated({ email: 'older@x.io', segment: 'smb' }, at('2024-02-01T00:00:00.000Z')),
      );
      expect(doc.facts.profile.email?.position).toBe(2);
      expect(doc.segment).toBe('smb');
    });
  });

  describe('value', () => {
    it('subtracts every refund from net revenue, down to zero', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'o-1', amount: 4_000 }),
        f.purchaseRefunded({ orderId: 'o-1', amount: 4_000 }),
        f.purchaseCompleted({ orderId: 'o-2', amount: 1_000, items: [] }),
        f.purchaseRefunded({ orderId: 'o-2', amount: 600 }),
        f.purchaseRefunded({ orderId: 'o-2', amount: 400 }),
      );
      expect(doc).toMatchObject({
        purchaseTotal: 5_000,
        refundTotal: 5_000,
        netRevenue: 0,
        orders: 2,
        aov: 2_500,
      });
    });

    it('counts a repeated orderId once and does not double its revenue or categories', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'o-1' }),
        f.purchaseCompleted({ orderId: 'o-1' }),
      );
      expect(doc).toMatchObject({ orders: 1, purchaseTotal: 10_000, touchpoints: 2 });
      expect(doc.categories).toEqual([{ category: 'books', amount: 10_000 }]);
    });

    it('takes lastPurchaseAt from occurredAt, not from arrival', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'late' }, at('2024-03-01T00:00:00.000Z')),
        f.purchaseCompleted({ orderId: 'early' }, at('2024-02-01T00:00:00.000Z')),
      );
      expect(doc.lastPurchaseAt).toBe('2024-03-01T00:00:00.000Z');
    });

    it('counts no category for a purchase without items', () => {
      const f = createEventFactory();
      const doc = idicOf(f.customerRegistered(), f.purchaseCompleted({ items: undefined }));
      expect(doc).toMatchObject({ categories: [], topCategory: null, purchaseTotal: 10_000 });
    });
  });

  describe('interact', () => {
    it('counts a refund under the channel of the purchase it refunds', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'o-1', channel: 'app' }),
        f.purchaseCompleted({ orderId: 'o-2', channel: 'web' }),
        f.purchaseRefunded({ orderId: 'o-1' }),
      );
      expect(doc.channels.app?.count).toBe(2);
      expect(doc.channels.web?.count).toBe(1);
      expect(doc.preferredChannel).toBe('app');
    });

    it('buckets touchpoints by their UTC day', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.callLogged({}, at('2024-01-01T23:30:00-02:00')),
        f.callLogged({}, at('2024-01-02T00:10:00Z')),
        f.callLogged({}, at('2024-01-01T12:00:00Z')),
      );
      expect(doc.touchpointsByDay).toEqual({ '2024-01-01': 1, '2024-01-02': 2 });
    });

    it('shares inbound touchpoints among all touchpoints', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.callLogged({ direction: 'inbound' }),
        f.callLogged({ direction: 'outbound' }),
        f.campaignInteraction({ action: 'sent' }),
        f.campaignInteraction({ action: 'opened' }),
      );
      expect(doc).toMatchObject({ touchpoints: 4, inboundTouchpoints: 2, inboundShare: 0.5 });
    });
  });

  describe('satisfaction', () => {
    it('keeps the latest NPS answer by occurredAt, even when an older one arrives later', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.surveyAnswered({ surveyType: 'nps', score: 9 }, at('2024-03-01T00:00:00.000Z')),
        f.surveyAnswered({ surveyType: 'nps', score: 2 }, at('2024-02-01T00:00:00.000Z')),
      );
      expect(doc.latestNps).toEqual({ score: 9, occurredAt: '2024-03-01T00:00:00.000Z', position: 2 });
    });

    it('breaks an occurredAt tie between NPS answers by log order', () => {
      const f = createEventFactory();
      const sameInstant = at('2024-03-01T00:00:00.000Z');
      const doc = idicOf(
        f.customerRegistered(),
        f.surveyAnswered({ surveyType: 'nps', score: 9 }, sameInstant),
        f.surveyAnswered({ surveyType: 'nps', score: 4 }, sameInstant),
      );
      expect(doc.latestNps?.score).toBe(4);
    });

    it('averages CSAT answers and leaves CES to the KPIs', () => {
      const f = createEventFactory();
      const doc = idicOf(
        f.customerRegistered(),
        f.surveyAnswered({ surveyType: 'csat', score: 2 }),
        f.surveyAnswered({ surveyType: 'csat', score: 3 }),
        f.surveyAnswered({ surveyType: 'ces', score: 7 }),
      );
      expect(doc).toMatchObject({ csat: { sum: 5, count: 2 }, avgCsat: 2.5, latestNps: null });
    });
  });

  it('gives the same document whether events are logged in order or back-dated later', () => {
    const f = createEventFactory();
    const registered = f.customerRegistered({ email: 'a@b.c' }, at('2024-01-01T00:00:00.000Z'));
    const early = [
      f.purchaseCompleted(
        { orderId: 'early', items: [{ sku: 's', category: 'games', quantity: 1, unitAmount: 10_000 }] },
        at('2024-01-05T00:00:00.000Z'),
      ),
      f.surveyAnswered({ surveyType: 'nps', score: 3 }, at('2024-01-06T00:00:00.000Z')),
      f.profileUpdated({ email: 'old@b.c' }, at('2024-01-07T00:00:00.000Z')),
    ];
    const late = [
      f.purchaseCompleted({ orderId: 'late', channel: 'store' }, at('2024-02-01T00:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-02-02T00:00:00.000Z')),
      f.profileUpdated({ email: 'new@b.c' }, at('2024-02-03T00:00:00.000Z')),
    ];

    const inOrder = idicOf(registered, ...early, ...late);
    const backDated = idicOf(registered, ...late, ...early);

    expect(withoutPositions(backDated)).toEqual(withoutPositions(inOrder));
    expect(backDated).toMatchObject({
      facts: { profile: { email: { occurredAt: '2024-02-03T00:00:00.000Z' } } },
      latestNps: { score: 10 },
      lastPurchaseAt: '2024-02-01T00:00:00.000Z',
    });
  });
});
