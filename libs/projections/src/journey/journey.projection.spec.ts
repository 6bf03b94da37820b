import { createEventFactory } from '@crm/domain/testing';
import {
  inLogOrder,
  present,
  project,
  replay,
  withoutPositions,
} from '../shared/testing/projection-log.fixture';
import type { JourneyDocument } from './journey.document';
import { evolveJourney } from './journey.projection';

const at = (occurredAt: string) => ({ occurredAt });
const journeyOf = (...events: Parameters<typeof inLogOrder>[0]) => present(project(evolveJourney, events));

describe('evolveJourney', () => {
  it('builds the whole document from a customer history', () => {
    const f = createEventFactory({ customerId: 'c-1' });
    const doc = journeyOf(
      f.customerRegistered({ kind: 'company', segment: 'smb' }, at('2024-01-01T09:00:00.000Z')),
      f.callLogged({ direction: 'inbound' }, at('2024-01-02T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-1', channel: 'store' }, at('2024-01-05T10:00:00.000Z')),
      f.purchaseRefunded({ orderId: 'o-1' }, at('2024-01-06T09:00:00.000Z')),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-01-10T09:00:00.000Z')),
      f.purchaseCompleted({ orderId: 'o-2', channel: 'web' }, at('2024-02-01T09:00:00.000Z')),
    );

    expect(doc).toEqual<JourneyDocument>({
      id: 'c-1',
      position: 6,
      customerId: 'c-1',
      kind: 'company',
      segment: 'smb',
      registeredAt: '2024-01-01T09:00:00.000Z',
      stage: 'loyalty',
      stageHistory: [
        { stage: 'reach', reachedAt: '2024-01-01T09:00:00.000Z' },
        { stage: 'acquisition', reachedAt: '2024-01-02T09:00:00.000Z' },
        { stage: 'conversion', reachedAt: '2024-01-05T10:00:00.000Z' },
        { stage: 'retention', reachedAt: '2024-02-01T09:00:00.000Z' },
        { stage: 'loyalty', reachedAt: '2024-02-01T09:00:00.000Z' },
      ],
      firstTouchAt: '2024-01-02T09:00:00.000Z',
      lastTouchAt: '2024-02-01T09:00:00.000Z',
      touchpoints: 5,
      touchpointsByChannel: { phone: 1, store: 2, survey: 1, web: 1 },
      firstPurchaseAt: '2024-01-05T10:00:00.000Z',
      lastPurchaseAt: '2024-02-01T09:00:00.000Z',
      daysToConvert: 4,
      facts: {
        registration: { occurredAt: '2024-01-01T09:00:00.000Z', position: 1 },
        segment: { occurredAt: '2024-01-01T09:00:00.000Z', position: 1, present: true, value: 'smb' },
        firstInbound: { occurredAt: '2024-01-02T09:00:00.000Z', position: 2 },
        orders: [
          { orderId: 'o-1', channel: 'store', occurredAt: '2024-01-05T10:00:00.000Z', position: 3 },
          { orderId: 'o-2', channel: 'web', occurredAt: '2024-02-01T09:00:00.000Z', position: 6 },
        ],
        npsAnswers: [{ score: 10, occurredAt: '2024-01-10T09:00:00.000Z', position: 5 }],
      },
    });
  });

  it('stays plain JSON, so a store round trip gives back the same document', () => {
    const f = createEventFactory();
    const doc = journeyOf(f.customerRegistered(), f.callLogged(), f.purchaseCompleted(), f.surveyAnswered());
    expect(JSON.parse(JSON.stringify(doc))).toStrictEqual(doc);
  });

  describe('before and at registration', () => {
    it('has no document until the customer is registered', () => {
      const f = createEventFactory();
      expect(evolveJourney(null, { event: f.callLogged(), position: 1 })).toBeNull();
    });

    it('starts at reach with no touchpoints and no purchase', () => {
      const f = createEventFactory({ customerId: 'c-9' });
      const doc = journeyOf(f.customerRegistered({ kind: 'person' }, at('2024-03-01T00:00:00.000Z')));
      expect(doc).toMatchObject({
        id: 'c-9',
        customerId: 'c-9',
        kind: 'person',
        segment: null,
        stage: 'reach',
        stageHistory: [{ stage: 'reach', reachedAt: '2024-03-01T00:00:00.000Z' }],
        firstTouchAt: null,
        lastTouchAt: null,
        touchpoints: 0,
        touchpointsByChannel: {},
        firstPurchaseAt: null,
        lastPurchaseAt: null,
        daysToConvert: null,
      });
    });

    it('ignores a second registration: the first one recorded wins', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({ kind: 'person' }),
        f.customerRegistered({ kind: 'company' }),
      );
      expect(doc.kind).toBe('person');
      expect(doc.position).toBe(2);
    });
  });

  describe('idempotency', () => {
    it('applying the same event twice equals applying it once', () => {
      const f = createEventFactory();
      const log = inLogOrder([f.customerRegistered(), f.purchaseCompleted(), f.callLogged()]);
      const once = replay(evolveJourney, log);
      const twice = replay(evolveJourney, [...log, ...log]);
      expect(twice).toEqual(once);
    });

    it('returns the very same document for an event at or below its position', () => {
      const f = createEventFactory();
      const log = inLogOrder([f.customerRegistered(), f.purchaseCompleted()]);
      const doc = present(replay(evolveJourney, log));
      expect(evolveJourney(doc, { event: f.purchaseCompleted({ orderId: 'o-9' }), position: 2 })).toBe(doc);
    });
  });

  describe('touchpoints', () => {
    it('counts every touchpoint under its channel, and nothing else', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered(),
        f.profileUpdated(),
        f.consentChanged(),
        f.callLogged(),
        f.emailLogged(),
        f.messageLogged({ channel: 'sms' }),
        f.meetingHeld(),
        f.purchaseCompleted({ channel: 'app' }),
        f.purchaseRefunded(),
        f.surveyAnswered({ surveyType: 'ces', score: 2 }),
        f.supportCaseOpened(),
        f.supportCaseResponded(),
        f.supportCaseResolved(),
        f.campaignInteraction({ action: 'sent' }),
      );
      expect(doc.touchpoints).toBe(11);
      expect(doc.touchpointsByChannel).toEqual({
        phone: 1,
        email: 1,
        sms: 1,
        meeting: 1,
        app: 2,
        survey: 1,
        support: 3,
        campaign: 1,
      });
    });

    it('counts a refund under the channel of the purchase it refunds', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'in-store', channel: 'store' }),
        f.purchaseCompleted({ orderId: 'online', channel: 'web' }),
        f.purchaseRefunded({ orderId: 'in-store' }),
      );
      expect(doc.touchpointsByChannel).toEqual({ store: 2, web: 1 });
    });

    it('takes first and last touch from occurredAt, not from arrival', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({}, at('2024-01-01T00:00:00.000Z')),
        f.callLogged({}, at('2024-02-01T00:00:00.000Z')),
        f.emailLogged({}, at('2024-01-15T00:00:00.000Z')),
        f.meetingHeld({}, at('2024-03-01T00:00:00.000Z')),
        f.messageLogged({}, at('2024-01-10T00:00:00.000Z')),
      );
      expect([doc.firstTouchAt, doc.lastTouchAt]).toEqual([
        '2024-01-10T00:00:00.000Z',
        '2024-03-01T00:00:00.000Z',
      ]);
    });

    it('stores instants in canonical UTC form', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({}, at('2024-01-01T10:00:00+01:00')),
        f.callLogged({}, at('2024-01-02T09:00:00Z')),
      );
      expect([doc.registeredAt, doc.firstTouchAt]).toEqual([
        '2024-01-01T09:00:00.000Z',
        '2024-01-02T09:00:00.000Z',
      ]);
    });
  });

  describe('segment', () => {
    it('follows profile updates', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({ segment: 'smb' }),
        f.profileUpdated({ segment: ' enterprise ' }),
      );
      expect(doc.segment).toBe('enterprise');
    });

    it('keeps the latest statement by occurredAt when an older update arrives late', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({ segment: 'smb' }, at('2024-01-01T00:00:00.000Z')),
        f.profileUpdated({ segment: 'enterprise' }, at('2024-03-01T00:00:00.000Z')),
        f.profileUpdated({ segment: 'retail' }, at('2024-02-01T00:00:00.000Z')),
      );
      expect(doc.segment).toBe('enterprise');
    });

    it('is unchanged by an update that does not mention it, and cleared by a blank one', () => {
      const f = createEventFactory();
      const kept = journeyOf(f.customerRegistered({ segment: 'smb' }), f.profileUpdated({ email: 'a@b.c' }));
      const cleared = journeyOf(
        f.customerRegistered({ segment: 'smb' }),
        f.profileUpdated({ segment: '  ' }),
      );
      expect([kept.segment, cleared.segment]).toEqual(['smb', null]);
    });
  });

  describe('purchases', () => {
    it('measures daysToConvert in whole days, rounded down, from registration to the first purchase', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({}, at('2024-01-01T09:00:00.000Z')),
        f.purchaseCompleted({ orderId: 'o-1' }, at('2024-01-03T08:59:59.999Z')),
        f.purchaseCompleted({ orderId: 'o-2' }, at('2024-01-20T09:00:00.000Z')),
      );
      expect(doc).toMatchObject({
        daysToConvert: 1,
        firstPurchaseAt: '2024-01-03T08:59:59.999Z',
        lastPurchaseAt: '2024-01-20T09:00:00.000Z',
      });
    });

    it('gives daysToConvert 0 when an imported purchase predates registration', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered({}, at('2024-01-10T00:00:00.000Z')),
        f.purchaseCompleted({}, at('2024-01-05T00:00:00.000Z')),
      );
      expect(doc).toMatchObject({ daysToConvert: 0, firstPurchaseAt: '2024-01-05T00:00:00.000Z' });
    });

    it('counts a repeated orderId once: the first recorded purchase wins', () => {
      const f = createEventFactory();
      const doc = journeyOf(
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'o-1', channel: 'store' }),
        f.purchaseCompleted({ orderId: 'o-1', channel: 'web' }),
      );
      expect(doc.stage).toBe('conversion');
      expect(doc.facts.orders).toEqual([expect.objectContaining({ orderId: 'o-1', channel: 'store' })]);
    });
  });

  describe('back-dated events', () => {
    it('gives the same document whether a purchase is logged in order or back-dated later', () => {
      const f = createEventFactory();
      const registered = f.customerRegistered({}, at('2024-01-01T09:00:00.000Z'));
      const call = f.callLogged({ direction: 'inbound' }, at('2024-01-02T09:00:00.000Z'));
      const early = f.purchaseCompleted({ orderId: 'early' }, at('2024-01-05T09:00:00.000Z'));
      const late = f.purchaseCompleted({ orderId: 'late', channel: 'store' }, at('2024-02-01T09:00:00.000Z'));

      const inOrder = journeyOf(registered, call, early, late);
      const backDated = journeyOf(registered, call, late, early);

      expect(withoutPositions(backDated)).toEqual(withoutPositions(inOrder));
      expect(backDated).toMatchObject({
        firstPurchaseAt: '2024-01-05T09:00:00.000Z',
        lastPurchaseAt: '2024-02-01T09:00:00.000Z',
        daysToConvert: 4,
      });
    });

    it('moves the conversion date back when an earlier purchase arrives late', () => {
      const f = createEventFactory();
      const before = journeyOf(
        f.customerRegistered({}, at('2024-01-01T00:00:00.000Z')),
        f.purchaseCompleted({ orderId: 'late' }, at('2024-03-01T00:00:00.000Z')),
      );
      const after = present(
        evolveJourney(before, {
          event: f.purchaseCompleted({ orderId: 'early' }, at('2024-01-11T00:00:00.000Z')),
          position: 3,
        }),
      );
      expect(before.daysToConvert).toBe(60);
      expect(after.daysToConvert).toBe(10);
      expect(after.stageHistory.slice(1)).toEqual([
        { stage: 'acquisition', reachedAt: '2024-01-11T00:00:00.000Z' },
        { stage: 'conversion', reachedAt: '2024-01-11T00:00:00.000Z' },
        { stage: 'retention', reachedAt: '2024-03-01T00:00:00.000Z' },
      ]);
    });
  });
});
