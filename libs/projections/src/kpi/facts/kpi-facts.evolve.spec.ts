import type { CrmEvent } from '@crm/domain';
import { createEventFactory, type EventFactory } from '@crm/domain/testing';
import type { ProjectedEvent } from '../../shared/projected-event';
import { computeKpis } from '../compute-kpis';
import { at, factsOf, MARCH_2024 } from '../testing/kpi-facts.fixture';
import type { KpiFactsDocument } from './kpi-facts.document';
import { evolveKpiFacts, foldKpiFacts } from './kpi-facts.evolve';

let f: EventFactory;

beforeEach(() => {
  f = createEventFactory({ customerId: 'cust-1' });
});

const projected = (events: readonly CrmEvent[]): ProjectedEvent[] =>
  events.map((event, index) => ({ event, position: index + 1 }));

/** The facts without log positions: what two logs of the same history must agree on. */
function withoutPositions(doc: KpiFactsDocument | null): unknown {
  return JSON.parse(JSON.stringify(doc), (key, value: unknown) => (key === 'position' ? undefined : value));
}

describe('evolveKpiFacts', () => {
  describe('registration', () => {
    it('has no document before CustomerRegistered', () => {
      expect(evolveKpiFacts(null, { event: f.callLogged(), position: 1 })).toBeNull();
    });

    it('starts the document with the registration facts', () => {
      const doc = factsOf([
        f.customerRegistered(
          { kind: 'company', name: 'Acme', email: 'ops@acme.test', segment: ' enterprise ' },
          at('2024-01-10T08:30:00+01:00'),
        ),
      ]);
      expect(doc).toEqual<KpiFactsDocument>({
        id: 'cust-1',
        position: 1,
        registeredAt: '2024-01-10T07:30:00.000Z',
        kind: 'company',
        segment: 'enterprise',
        profile: { name: true, email: true, phone: false, segment: true },
        profileChanges: [
          { at: '2024-01-10T07:30:00.000Z', position: 1, name: true, email: true, segment: 'enterprise' },
        ],
        marketingConsents: [],
        purchases: [],
        refunds: [],
        touchpoints: [],
        surveys: [],
        supportCases: [],
        surveyRequests: [],
      });
    });

    it('keeps the first registration when a second one is replayed', () => {
      const doc = factsOf([
        f.customerRegistered({ kind: 'person' }),
        f.customerRegistered({ kind: 'company' }),
      ]);
      expect(doc.kind).toBe('person');
      expect(doc.position).toBe(2);
    });
  });

  describe('profile', () => {
    it('merges updates field by field and clears a field stated blank', () => {
      const doc = factsOf([
        f.customerRegistered({ email: 'ada@example.test' }, at('2024-01-01')),
        f.profileUpdated({ phone: '+441234567890', segment: 'smb' }, at('2024-01-02')),
        f.profileUpdated({ email: '  ' }, at('2024-01-03')),
      ]);
      expect(doc.profile).toEqual({ name: true, email: false, phone: true, segment: true });
      expect(doc.segment).toBe('smb');
    });

    it('lets the latest statement by occurredAt win over a back-dated one that arrives later', () => {
      const doc = factsOf([
        f.customerRegistered({}, at('2024-01-01')),
        f.profileUpdated({ segment: 'enterprise' }, at('2024-03-01')),
        f.profileUpdated({ segment: 'smb' }, at('2024-02-01')),
      ]);
      expect(doc.segment).toBe('enterprise');
      expect(doc.profileChanges.map((change) => change.at)).toEqual([
        '2024-01-01T00:00:00.000Z',
        '2024-02-01T00:00:00.000Z',
        '2024-03-01T00:00:00.000Z',
      ]);
    });
  });

  it('keeps the marketing_email consent history in occurredAt order and ignores other purposes', () => {
    const doc = factsOf([
      f.customerRegistered({}, at('2024-01-01')),
      f.consentChanged({ granted: true }, at('2024-02-01')),
      f.consentChanged({ purpose: 'profiling', granted: true }, at('2024-02-02')),
      f.consentChanged({ granted: false }, at('2024-01-15')),
    ]);
    expect(doc.marketingConsents).toEqual([
      { at: '2024-01-15T00:00:00.000Z', granted: false, position: 4 },
      { at: '2024-02-01T00:00:00.000Z', granted: true, position: 2 },
    ]);
  });

  describe('purchases and refunds', () => {
    it('records each purchase and refund with its own occurredAt', () => {
      const doc = factsOf([
        f.customerRegistered({}, at('2024-01-01')),
        f.purchaseCompleted({ orderId: 'o-1', amount: 4_000, channel: 'store' }, at('2024-01-05')),
        f.purchaseRefunded({ orderId: 'o-1', amount: 1_500 }, at('2024-01-09')),
      ]);
      expect(doc.purchases).toEqual([
        {
          at: '2024-01-05T00:00:00.000Z',
          position: 2,
          orderId: 'o-1',
          amount: 4_000,
          currency: 'EUR',
          channel: 'store',
        },
      ]);
      expect(doc.refunds).toEqual([
        { at: '2024-01-09T00:00:00.000Z', position: 3, orderId: 'o-1', amount: 1_500, currency: 'EUR' },
      ]);
    });

    it('keeps the first purchase of a repeated orderId', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'o-1', amount: 100 }),
        f.purchaseCompleted({ orderId: 'o-1', amount: 999 }),
      ]);
      expect(doc.purchases.map((purchase) => purchase.amount)).toEqual([100]);
    });
  });

  describe('touchpoints', () => {
    it('records every touchpoint with its channel and whether it is inbound', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.profileUpdated(),
        f.consentChanged(),
        f.callLogged({ direction: 'outbound' }),
        f.emailLogged({ direction: 'inbound' }),
        f.messageLogged({ channel: 'whatsapp', direction: 'inbound' }),
        f.meetingHeld(),
        f.purchaseCompleted({ orderId: 'o-1', channel: 'app' }),
        f.purchaseRefunded({ orderId: 'o-1' }),
        f.surveyAnswered(),
        f.supportCaseOpened(),
        f.supportCaseResponded(),
        f.supportCaseResolved(),
        f.campaignInteraction({ action: 'sent' }),
      ]);
      expect(doc.touchpoints.map(({ channel, inbound }) => [channel, inbound])).toEqual([
        ['phone', false],
        ['email', true],
        ['whatsapp', true],
        ['meeting', true],
        ['app', false],
        ['app', false],
        ['survey', true],
        ['support', true],
        ['support', false],
        ['support', false],
        ['campaign', false],
      ]);
    });

    it('gives a refund folded before its purchase its touchpoint once the purchase arrives', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.purchaseRefunded({ orderId: 'o-9', amount: 300 }, at('2024-01-09')),
        f.purchaseCompleted({ orderId: 'o-9', channel: 'store' }, at('2024-01-05')),
      ]);
      expect(doc.refunds).toHaveLength(1);
      expect(doc.touchpoints).toEqual([
        { at: '2024-01-05T00:00:00.000Z', position: 3, channel: 'store', inbound: false },
        { at: '2024-01-09T00:00:00.000Z', position: 2, channel: 'store', inbound: false },
      ]);
    });
  });

  it('records survey answers with type and score', () => {
    const doc = factsOf([
      f.customerRegistered(),
      f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-02-01')),
    ]);
    expect(doc.surveys).toEqual([{ at: '2024-02-01T00:00:00.000Z', position: 2, type: 'csat', score: 4 }]);
  });

  describe('support cases', () => {
    it('records opening, first response and resolution with first contact', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.supportCaseOpened({ caseId: 'c-1' }, at('2024-02-01T10:00:00Z')),
        f.supportCaseResponded({ caseId: 'c-1' }, at('2024-02-01T10:20:00Z')),
        f.supportCaseResponded({ caseId: 'c-1' }, at('2024-02-01T11:00:00Z')),
        f.supportCaseResolved({ caseId: 'c-1', firstContact: false }, at('2024-02-02T09:00:00Z')),
      ]);
      expect(doc.supportCases).toEqual([
        {
          caseId: 'c-1',
          openedAt: '2024-02-01T10:00:00.000Z',
          respondedAt: '2024-02-01T10:20:00.000Z',
          resolvedAt: '2024-02-02T09:00:00.000Z',
          firstContact: false,
        },
      ]);
    });

    it('keeps a resolution of a case never opened, without an opening', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.supportCaseResolved({ caseId: 'c-7' }, at('2024-02-02')),
      ]);
      expect(doc.supportCases).toEqual([
        { caseId: 'c-7', resolvedAt: '2024-02-02T00:00:00.000Z', firstContact: true },
      ]);
    });
  });

  describe('survey requests', () => {
    it('records a request once, answered at its earliest answer, however many answers name it', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.surveyRequested({ requestId: 'r-1' }, at('2024-02-01')),
        f.surveyAnswered({ requestId: 'r-1', surveyType: 'csat', score: 5 }, at('2024-02-05')),
        f.surveyAnswered({ requestId: 'r-1', surveyType: 'csat', score: 2 }, at('2024-02-03')),
        f.surveyAnswered({ requestId: 'r-1', surveyType: 'csat', score: 3 }, at('2024-02-09')),
        f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-02-04')),
      ]);
      expect(doc.surveyRequests).toEqual([
        { requestId: 'r-1', requestedAt: '2024-02-01T00:00:00.000Z', answeredAt: '2024-02-03T00:00:00.000Z' },
      ]);
      expect(doc.surveys).toHaveLength(4);
    });

    it('keeps an answer folded before its request, and orders requests by request time', () => {
      const doc = factsOf([
        f.customerRegistered(),
        f.surveyAnswered({ requestId: 'r-2', surveyType: 'nps', score: 9 }, at('2024-02-01')),
        f.surveyRequested({ requestId: 'r-3' }, at('2024-01-20')),
        f.surveyAnswered({ requestId: 'r-4', surveyType: 'nps', score: 9 }, at('2024-02-01')),
        f.surveyRequested({ requestId: 'r-2', surveyType: 'nps' }, at('2024-02-02')),
      ]);
      expect(doc.surveyRequests).toEqual([
        { requestId: 'r-3', requestedAt: '2024-01-20T00:00:00.000Z' },
        { requestId: 'r-2', requestedAt: '2024-02-02T00:00:00.000Z', answeredAt: '2024-02-01T00:00:00.000Z' },
        { requestId: 'r-4', answeredAt: '2024-02-01T00:00:00.000Z' },
      ]);
    });

    it('gives a document folded before the requests were kept the list it lacked', () => {
      const { surveyRequests: _absent, ...older } = factsOf([f.customerRegistered()]);
      const doc = evolveKpiFacts(older, {
        event: f.surveyRequested({ requestId: 'r-1' }, at('2024-02-01')),
        position: 2,
      });
      expect(doc?.surveyRequests).toEqual([{ requestId: 'r-1', requestedAt: '2024-02-01T00:00:00.000Z' }]);
      expect(evolveKpiFacts(older, { event: f.callLogged(), position: 3 })?.surveyRequests).toEqual([]);
    });
  });

  it('records the earliest SLA breach of a case, before or after its opening is folded', () => {
    const doc = factsOf([
      f.customerRegistered(),
      f.supportCaseSlaBreached({ caseId: 'c-1' }, at('2024-02-01T14:00:00Z')),
      f.supportCaseOpened({ caseId: 'c-1' }, at('2024-02-01T10:00:00Z')),
      f.supportCaseSlaBreached({ caseId: 'c-1' }, at('2024-02-01T13:00:00Z')),
      f.supportCaseOpened({ caseId: 'c-2' }, at('2024-02-02T10:00:00Z')),
    ]);
    expect(doc.supportCases).toEqual([
      { caseId: 'c-1', openedAt: '2024-02-01T10:00:00.000Z', breachedAt: '2024-02-01T13:00:00.000Z' },
      { caseId: 'c-2', openedAt: '2024-02-02T10:00:00.000Z' },
    ]);
  });

  describe('idempotency', () => {
    it('returns the same document for an event at or below its position', () => {
      const doc = factsOf([f.customerRegistered(), f.purchaseCompleted(), f.surveyAnswered()]);
      expect(evolveKpiFacts(doc, { event: f.callLogged(), position: 3 })).toBe(doc);
      expect(evolveKpiFacts(doc, { event: f.callLogged(), position: 1 })).toBe(doc);
    });

    it('builds the same document when the whole stream is replayed over it', () => {
      const stream = projected([
        f.customerRegistered(),
        f.purchaseCompleted({ orderId: 'o-1' }),
        f.purchaseRefunded({ orderId: 'o-1' }),
        f.supportCaseOpened(),
        f.consentChanged(),
        f.supportCaseSlaBreached(),
        f.surveyRequested({ requestId: 'r-1' }),
        f.surveyAnswered({ requestId: 'r-1' }),
      ]);
      const once = foldKpiFacts(null, stream);
      const twice = stream.reduce<KpiFactsDocument | null>(evolveKpiFacts, once);
      expect(twice).toBe(once);
      expect(twice?.position).toBe(8);
    });
  });

  it('stays plain JSON', () => {
    const doc = factsOf([
      f.customerRegistered(),
      f.purchaseCompleted(),
      f.supportCaseOpened(),
      f.consentChanged(),
    ]);
    expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
  });

  describe('back-dated events', () => {
    const history = (g: EventFactory) => ({
      registered: g.customerRegistered({ segment: 'smb' }, at('2024-01-01')),
      purchase: g.purchaseCompleted({ orderId: 'o-1', amount: 5_000, channel: 'web' }, at('2024-03-05')),
      refund: g.purchaseRefunded({ orderId: 'o-1', amount: 1_000 }, at('2024-03-20')),
      consent: g.consentChanged({ granted: true }, at('2024-02-10')),
      segment: g.profileUpdated({ segment: 'enterprise' }, at('2024-02-01')),
      call: g.callLogged({}, at('2024-02-15')),
      nps: g.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-03-10')),
      opened: g.supportCaseOpened({ caseId: 'c-2' }, at('2024-03-02T09:00:00Z')),
      earlierCase: g.supportCaseOpened({ caseId: 'c-1' }, at('2024-02-20T09:00:00Z')),
    });

    it('gives the same facts and KPIs as the same history recorded in order', () => {
      const inOrder = history(createEventFactory({ customerId: 'cust-1' }));
      const late = history(createEventFactory({ customerId: 'cust-1' }));
      const chronological = factsOf([
        inOrder.registered,
        inOrder.segment,
        inOrder.consent,
        inOrder.call,
        inOrder.earlierCase,
        inOrder.opened,
        inOrder.purchase,
        inOrder.nps,
        inOrder.refund,
      ]);
      const backDated = factsOf([
        late.registered,
        late.purchase,
        late.opened,
        late.refund,
        late.nps,
        late.earlierCase,
        late.call,
        late.consent,
        late.segment,
      ]);
      expect(withoutPositions(backDated)).toEqual(withoutPositions(chronological));
      expect(computeKpis([backDated], MARCH_2024)).toEqual(computeKpis([chronological], MARCH_2024));
    });
  });
});
