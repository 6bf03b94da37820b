import { type BatchBody, customerPath, expectError, newCustomerId, recordTouchpoint } from './support/api';
import {
  call,
  daysAfter,
  email,
  type JourneyBody,
  journeyOf,
  purchase,
  refund,
  registerAt,
  registerRecorded,
  survey,
  wholeTimeline,
} from './support/read-models';
import { TestApp } from './support/test-app';
import { meeting } from './support/touchpoints';

jest.setTimeout(30_000);

const REGISTERED = '2025-01-01T09:00:00.000Z';

describe('GET /customers/:customerId/journey', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });

  afterAll(async () => {
    await app.stop();
  });

  describe('read-your-writes', () => {
    it('shows each write at the position it returned, the stage climbing reach → loyalty and never back', async () => {
      const customerId = newCustomerId('journey');
      const at = (position: number): Promise<JourneyBody> =>
        journeyOf(app, customerId, { minPosition: position });

      const registered = await registerRecorded(app, { customerId, occurredAt: REGISTERED });
      const reach = await at(registered.globalPosition);
      expect(reach).toMatchObject({
        customerId,
        stage: 'reach',
        stageHistory: [{ stage: 'reach', reachedAt: REGISTERED }],
        status: 'active',
        registeredAt: REGISTERED,
        touchpoints: 0,
        touchpointsByChannel: {},
        firstTouchAt: null,
        lastTouchAt: null,
        firstPurchaseAt: null,
        daysToConvert: null,
        timeline: { items: [], nextCursor: null },
      });
      expect(reach.meta.position).toBeGreaterThanOrEqual(registered.globalPosition);

      const outbound = await recordTouchpoint(app, customerId, email('outbound', '2025-01-02T10:00:00Z'));
      expect(await at(outbound.globalPosition)).toMatchObject({ stage: 'reach', touchpoints: 1 });

      const inbound = await recordTouchpoint(app, customerId, call('inbound', '2025-01-03T10:00:00Z'));
      expect((await at(inbound.globalPosition)).stage).toBe('acquisition');

      const first = await recordTouchpoint(app, customerId, purchase('o-1', 4000, '2025-01-10T12:00:00Z'));
      expect(await at(first.globalPosition)).toMatchObject({
        stage: 'conversion',
        firstPurchaseAt: '2025-01-10T12:00:00.000Z',
        daysToConvert: 9,
      });

      const repeated = await app.post(
        customerPath(customerId, '/touchpoints'),
        purchase('o-1', 4000, '2025-01-20T12:00:00Z'),
      );
      expectError(repeated, 409, 'ORDER.ALREADY_COMPLETED');
      expect((await at(first.globalPosition)).stage).toBe('conversion');

      const second = await recordTouchpoint(app, customerId, purchase('o-2', 1500, '2025-02-01T12:00:00Z'));
      expect((await at(second.globalPosition)).stage).toBe('retention');

      const promoter = await recordTouchpoint(app, customerId, survey('nps', 9, '2025-02-05T08:00:00Z'));
      const loyal = await at(promoter.globalPosition);
      expect(loyal.stage).toBe('loyalty');
      expect(loyal.stageHistory).toEqual([
        { stage: 'reach', reachedAt: REGISTERED },
        { stage: 'acquisition', reachedAt: '2025-01-03T10:00:00.000Z' },
        { stage: 'conversion', reachedAt: '2025-01-10T12:00:00.000Z' },
        { stage: 'retention', reachedAt: '2025-02-01T12:00:00.000Z' },
        { stage: 'loyalty', reachedAt: '2025-02-05T08:00:00.000Z' },
      ]);

      const detractor = await recordTouchpoint(app, customerId, survey('nps', 3, '2025-02-10T08:00:00Z'));
      const after = await at(detractor.globalPosition);
      expect(after.stage).toBe('loyalty');
      expect(after.stageHistory).toEqual(loyal.stageHistory);
      expect(after).toMatchObject({
        touchpoints: 6,
        firstTouchAt: '2025-01-02T10:00:00.000Z',
        lastTouchAt: '2025-02-10T08:00:00.000Z',
        lastPurchaseAt: '2025-02-01T12:00:00.000Z',
      });
    });

    it('waits for a large batch to be projected before answering', async () => {
      const customerId = await registerAt(app, newCustomerId('batch'), REGISTERED);
      const items = Array.from({ length: 300 }, (_, index) =>
        meeting({ customerId, occurredAt: daysAfter('2025-02-01T00:00:00Z', 0, index * 60_000) }),
      );
      const batch = await app.post<BatchBody>('/touchpoints/batch', { items });
      expect(batch.body.created).toBe(300);
      const last = Math.max(...batch.body.items.map((item) => item.globalPosition ?? 0));

      const journey = await journeyOf(app, customerId, { minPosition: last, limit: 1 });

      expect(journey.meta.position).toBeGreaterThanOrEqual(last);
      expect(journey).toMatchObject({
        touchpoints: 300,
        stage: 'acquisition',
        touchpointsByChannel: { meeting: 300 },
      });
    });
  });

  describe('stages', () => {
    it('records stages jumped over at the instant of the event that jumped them', async () => {
      const customerId = await registerAt(app, newCustomerId('jump'), REGISTERED);
      const bought = await recordTouchpoint(app, customerId, purchase('o-1', 900, '2025-01-04T00:00:00Z'));

      const journey = await journeyOf(app, customerId, { minPosition: bought.globalPosition });

      expect(journey.stage).toBe('conversion');
      expect(journey.stageHistory).toEqual([
        { stage: 'reach', reachedAt: REGISTERED },
        { stage: 'acquisition', reachedAt: '2025-01-04T00:00:00.000Z' },
        { stage: 'conversion', reachedAt: '2025-01-04T00:00:00.000Z' },
      ]);
    });

    it('reaches loyalty with the second purchase when a promoter answer came before it', async () => {
      const customerId = await registerAt(app, newCustomerId('promoter-first'), REGISTERED);
      await recordTouchpoint(app, customerId, survey('nps', 10, '2025-01-05T00:00:00Z'));
      await recordTouchpoint(app, customerId, purchase('o-1', 900, '2025-01-10T00:00:00Z'));
      const second = await recordTouchpoint(app, customerId, purchase('o-2', 900, '2025-01-20T00:00:00Z'));

      const journey = await journeyOf(app, customerId, { minPosition: second.globalPosition });

      expect(journey.stageHistory).toEqual([
        { stage: 'reach', reachedAt: REGISTERED },
        { stage: 'acquisition', reachedAt: '2025-01-05T00:00:00.000Z' },
        { stage: 'conversion', reachedAt: '2025-01-10T00:00:00.000Z' },
        { stage: 'retention', reachedAt: '2025-01-20T00:00:00.000Z' },
        { stage: 'loyalty', reachedAt: '2025-01-20T00:00:00.000Z' },
      ]);
    });

    it('evaluates stages in occurredAt order: a back-dated detractor before the promoter does not block loyalty', async () => {
      const customerId = await registerAt(app, newCustomerId('backdated-nps'), REGISTERED);
      await recordTouchpoint(app, customerId, purchase('o-1', 900, '2025-01-10T00:00:00Z'));
      await recordTouchpoint(app, customerId, purchase('o-2', 900, '2025-01-20T00:00:00Z'));
      await recordTouchpoint(app, customerId, survey('nps', 9, '2025-02-01T00:00:00Z'));
      const late = await recordTouchpoint(app, customerId, survey('nps', 2, '2025-01-25T00:00:00Z'));

      const journey = await journeyOf(app, customerId, { minPosition: late.globalPosition });

      expect(journey.stage).toBe('loyalty');
      expect(journey.stageHistory.at(-1)).toEqual({
        stage: 'loyalty',
        reachedAt: '2025-02-01T00:00:00.000Z',
      });
    });
  });

  describe('status at asOf', () => {
    const LAST_PURCHASE = '2025-01-10T12:00:00.000Z';
    let customerId: string;
    let position: number;

    beforeAll(async () => {
      customerId = await registerAt(app, newCustomerId('status'), REGISTERED);
      await recordTouchpoint(app, customerId, purchase('o-1', 900, '2024-12-01T00:00:00Z'));
      await recordTouchpoint(app, customerId, purchase('o-2', 900, LAST_PURCHASE));
      // A refund and a back-dated purchase are no later purchase: neither moves the window.
      await recordTouchpoint(app, customerId, refund('o-2', 100, daysAfter(LAST_PURCHASE, 100)));
      position = (await recordTouchpoint(app, customerId, purchase('o-0', 500, '2024-11-01T00:00:00Z')))
        .globalPosition;
    });

    it.each([
      ['before the last purchase', 'active', daysAfter(LAST_PURCHASE, -30)],
      ['179 days after it', 'active', daysAfter(LAST_PURCHASE, 179)],
      ['exactly 180 days after it', 'active', daysAfter(LAST_PURCHASE, 180)],
      ['180 days and a second after it', 'lapsed', daysAfter(LAST_PURCHASE, 180, 1000)],
      ['a year after it', 'lapsed', daysAfter(LAST_PURCHASE, 365)],
    ])('%s: %s', async (_label, status, asOf) => {
      const journey = await journeyOf(app, customerId, { asOf, minPosition: position });

      expect(journey.status).toBe(status);
      expect(journey.lastPurchaseAt).toBe(LAST_PURCHASE);
      expect(journey.meta.asOf).toBe(asOf);
    });

    it('accepts asOf with an offset and echoes it in UTC', async () => {
      const journey = await journeyOf(app, customerId, {
        asOf: '2025-07-09T14:00:00+02:00',
        minPosition: position,
      });

      expect(journey.meta.asOf).toBe('2025-07-09T12:00:00.000Z');
      expect(journey.status).toBe('active');
    });

    it('never calls a customer without a purchase lapsed', async () => {
      const prospect = await registerAt(app, newCustomerId('prospect'), '2020-01-01T00:00:00Z');
      const touched = await recordTouchpoint(app, prospect, call('inbound', '2020-01-02T00:00:00Z'));

      const journey = await journeyOf(app, prospect, {
        asOf: '2026-01-01T00:00:00Z',
        minPosition: touched.globalPosition,
      });

      expect(journey).toMatchObject({ stage: 'acquisition', status: 'active', daysToConvert: null });
    });
  });

  describe('channel mix', () => {
    it('counts every touchpoint under its channel, a refund under its purchase channel', async () => {
      const customerId = await registerAt(app, newCustomerId('channels'), REGISTERED);
      const touches = [
        call('outbound', '2025-01-02T00:00:00Z'),
        email('inbound', '2025-01-03T00:00:00Z'),
        {
          type: 'MessageLogged',
          channel: 'whatsapp',
          direction: 'inbound',
          occurredAt: '2025-01-04T00:00:00Z',
        },
        meeting({ occurredAt: '2025-01-05T00:00:00Z' }),
        purchase('o-1', 2000, '2025-01-06T00:00:00Z', { channel: 'store' }),
        refund('o-1', 500, '2025-01-07T00:00:00Z'),
        survey('csat', 4, '2025-01-08T00:00:00Z'),
        { type: 'SupportCaseOpened', caseId: 'k-1', subject: 'Broken', occurredAt: '2025-01-09T00:00:00Z' },
        { type: 'SupportCaseResponded', caseId: 'k-1', occurredAt: '2025-01-09T01:00:00Z' },
        {
          type: 'CampaignInteraction',
          campaignId: 'c-1',
          action: 'sent',
          occurredAt: '2025-01-10T00:00:00Z',
        },
      ];
      let position = 0;
      for (const touch of touches) position = (await recordTouchpoint(app, customerId, touch)).globalPosition;

      const journey = await journeyOf(app, customerId, { minPosition: position });

      expect(journey.touchpointsByChannel).toEqual({
        phone: 1,
        email: 1,
        whatsapp: 1,
        meeting: 1,
        store: 2,
        survey: 1,
        support: 2,
        campaign: 1,
      });
      expect(journey.touchpoints).toBe(touches.length);
      const refundEntry = journey.timeline.items.find((item) => item.type === 'PurchaseRefunded');
      expect(refundEntry).toMatchObject({
        channel: 'store',
        inbound: false,
        summary: { orderId: 'o-1', amount: 500 },
      });
    });
  });

  describe('timeline paging', () => {
    let customerId: string;
    let expectedIds: string[];
    let position: number;

    beforeAll(async () => {
      customerId = await registerAt(app, newCustomerId('timeline'), REGISTERED);
      const recorded: { id: string; occurredAt: string; position: number }[] = [];
      const record = async (body: Record<string, unknown>): Promise<void> => {
        const result = await recordTouchpoint(app, customerId, body);
        recorded.push({
          id: result.eventId,
          occurredAt: String(body.occurredAt),
          position: result.globalPosition,
        });
        position = result.globalPosition;
      };
      for (let day = 2; day <= 8; day++) await record(meeting({ occurredAt: daysAfter(REGISTERED, day) }));
      // Two at the same instant: log order decides.
      await record(call('inbound', daysAfter(REGISTERED, 4, 1000)));
      await record(email('outbound', daysAfter(REGISTERED, 4, 1000)));
      // Back-dated: recorded last, happened first (even before the registration).
      await record(purchase('o-1', 700, daysAfter(REGISTERED, -1)));
      await record(survey('nps', 8, daysAfter(REGISTERED, 6, 1)));
      expectedIds = [...recorded]
        .sort((a, b) => Date.parse(a.occurredAt) - Date.parse(b.occurredAt) || a.position - b.position)
        .map((entry) => entry.id);
    });

    it.each([1, 2, 3, 5, 11, 100])(
      'returns every touchpoint exactly once in occurredAt order with pages of %i',
      async (limit) => {
        const { items, pages } = await wholeTimeline(app, customerId, limit, { minPosition: position });

        expect(items.map((item) => item.id)).toEqual(expectedIds);
        expect(pages).toBe(Math.max(1, Math.ceil(expectedIds.length / limit)));
        const instants = items.map((item) => Date.parse(item.occurredAt));
        expect([...instants].sort((a, b) => a - b)).toEqual(instants);
      },
    );

    it('puts the back-dated purchase first and describes each entry', async () => {
      const journey = await journeyOf(app, customerId, { minPosition: position, limit: 2 });

      expect(journey.timeline.items[0]).toMatchObject({
        customerId,
        type: 'PurchaseCompleted',
        occurredAt: daysAfter(REGISTERED, -1),
        position: position - 1,
        channel: 'web',
        inbound: false,
        direction: null,
        summary: { orderId: 'o-1', amount: 700, currency: 'EUR', itemCount: 0 },
      });
      expect(journey.timeline.nextCursor).toEqual(expect.any(String));
      expect(journey.firstTouchAt).toBe(daysAfter(REGISTERED, -1));
      expect(journey.daysToConvert).toBe(0);
    });

    it('keeps a cursor valid across writes: a later touchpoint shows up on the next pages, an earlier one not twice', async () => {
      const other = await registerAt(app, newCustomerId('timeline-live'), REGISTERED);
      for (let day = 1; day <= 4; day++)
        await recordTouchpoint(app, other, meeting({ occurredAt: daysAfter(REGISTERED, day) }));
      const first = await journeyOf(app, other, { limit: 2, minPosition: position });
      const cursor = first.timeline.nextCursor ?? '';

      const earlier = await recordTouchpoint(app, other, meeting({ occurredAt: daysAfter(REGISTERED, 0) }));
      const later = await recordTouchpoint(app, other, meeting({ occurredAt: daysAfter(REGISTERED, 10) }));
      const rest = await journeyOf(app, other, { limit: 100, cursor, minPosition: later.globalPosition });
      const all = await wholeTimeline(app, other, 2, { minPosition: later.globalPosition });

      const restIds = rest.timeline.items.map((item) => item.id);
      expect(restIds).toHaveLength(3);
      expect(restIds.at(-1)).toBe(later.eventId);
      expect(restIds).not.toContain(earlier.eventId);
      expect(all.items).toHaveLength(6);
      expect(all.items[0]?.id).toBe(earlier.eventId);
      expect(new Set(all.items.map((item) => item.id)).size).toBe(6);
    });

    it('defaults to pages of 100', async () => {
      const journey = await journeyOf(app, customerId, { minPosition: position });

      expect(journey.timeline.items).toHaveLength(expectedIds.length);
      expect(journey.timeline.nextCursor).toBeNull();
    });
  });
});

describe('GET /customers/:customerId/journey with CHURN_WINDOW_DAYS=30', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ CHURN_WINDOW_DAYS: '30' });
  });

  afterAll(async () => {
    await app.stop();
  });

  it('lapses a customer 30 days after the last purchase', async () => {
    const customerId = await registerAt(app, newCustomerId('window'), REGISTERED);
    const bought = await recordTouchpoint(app, customerId, purchase('o-1', 100, '2025-03-01T00:00:00Z'));
    const statusAt = async (asOf: string): Promise<string> =>
      (await journeyOf(app, customerId, { asOf, minPosition: bought.globalPosition })).status;

    expect(await statusAt('2025-03-31T00:00:00Z')).toBe('active');
    expect(await statusAt('2025-03-31T00:00:01Z')).toBe('lapsed');
  });
});
