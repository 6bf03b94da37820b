import { DomainError } from '../errors/domain-error';
import { CommandRejectedError } from '../errors/command-rejected.error';
import type { CrmEvent, CustomerRegistered, TouchpointEvent } from '../events/catalogue';
import { DeciderSpecification } from '../testing/decider-specification';
import { createEventFactory, type EventFactory } from '../testing/event-factory';
import { commandFor, type CustomerCommand } from './customer.commands';
import { customerDecider, decide, decideAll, decideMerge, evolve, initialState } from './customer.decider';

const spec = DeciderSpecification.for(customerDecider);

let f: EventFactory;
let registered: CustomerRegistered;

beforeEach(() => {
  f = createEventFactory();
  registered = f.customerRegistered();
});

/** The command that proposes `event`, so each test reads as given/when/then over events. */
const record = (event: CrmEvent): CustomerCommand => commandFor(event);

function thrownBy(act: () => unknown): DomainError {
  try {
    act();
  } catch (error) {
    if (error instanceof DomainError) return error;
    throw error;
  }
  throw new Error('expected a DomainError');
}

describe('customer decider', () => {
  describe('registration', () => {
    it('registers a customer whose stream is empty', () => {
      spec({ given: [], when: record(registered), then: [registered] });
    });

    it('rejects registering a customer twice as a conflict', () => {
      spec({
        given: [registered],
        when: record(f.customerRegistered()),
        thenThrows: { code: 'CUSTOMER.ALREADY_REGISTERED', kind: 'conflict' },
      });
    });
  });

  describe('erasure', () => {
    it('erases a registered customer', () => {
      const erased = f.customerErased({ reason: 'gdpr-art-17' });
      spec({ given: [registered, f.callLogged()], when: record(erased), then: [erased] });
    });

    it('rejects erasing a customer never registered as not found', () => {
      spec({
        given: [],
        when: record(f.customerErased()),
        thenThrows: { code: 'CUSTOMER.NOT_FOUND', kind: 'not_found' },
      });
    });

    it.each<[string, () => CrmEvent]>([
      ['a second erasure', () => f.customerErased()],
      ['a touchpoint', () => f.callLogged({ notes: 'called back' })],
      ['a profile update', () => f.profileUpdated({ email: 'new@example.com' })],
      ['a consent change', () => f.consentChanged()],
      ['a registration of the same id', () => f.customerRegistered()],
    ])('rejects %s for an erased customer as gone', (_name, event) => {
      spec({
        given: [registered, f.customerErased()],
        when: record(event()),
        thenThrows: { code: 'CUSTOMER.ERASED', kind: 'gone' },
      });
    });

    it('accepts only CustomerErased in an EraseCustomer command', () => {
      const command = { type: 'EraseCustomer', event: f.callLogged() } as unknown as CustomerCommand;
      expect(thrownBy(() => decide(command, evolve(initialState(), registered))).code).toBe(
        'COMMAND.INVALID',
      );
    });
  });

  describe('unknown customer', () => {
    it.each<[string, () => CrmEvent]>([
      ['a profile update', () => f.profileUpdated()],
      ['a consent change', () => f.consentChanged()],
      ['a call', () => f.callLogged()],
      ['a purchase', () => f.purchaseCompleted()],
      ['a support case', () => f.supportCaseOpened()],
    ])('rejects %s before registration as not found', (_name, event) => {
      spec({
        given: [],
        when: record(event()),
        thenThrows: { code: 'CUSTOMER.NOT_FOUND', kind: 'not_found' },
      });
    });

    it('accepts a profile update once registered', () => {
      const update = f.profileUpdated({ email: 'ada@example.com' });
      spec({ given: [registered], when: record(update), then: [update] });
    });

    it('accepts a consent change once registered', () => {
      const consent = f.consentChanged({ granted: false });
      spec({ given: [registered], when: record(consent), then: [consent] });
    });
  });

  describe('command and event type', () => {
    it.each<[string, () => TouchpointEvent]>([
      ['CallLogged', () => f.callLogged()],
      ['EmailLogged', () => f.emailLogged()],
      ['MessageLogged', () => f.messageLogged()],
      ['MeetingHeld', () => f.meetingHeld()],
      ['PurchaseCompleted', () => f.purchaseCompleted()],
      ['SurveyAnswered', () => f.surveyAnswered()],
      ['SupportCaseOpened', () => f.supportCaseOpened()],
      ['CampaignInteraction', () => f.campaignInteraction()],
    ])('RecordTouchpoint accepts a %s', (_type, event) => {
      const touchpoint = event();
      spec({
        given: [registered],
        when: { type: 'RecordTouchpoint', event: touchpoint },
        then: [touchpoint],
      });
    });

    it('rejects a RecordTouchpoint carrying a non-touchpoint event', () => {
      const command = { type: 'RecordTouchpoint', event: f.consentChanged() } as unknown as CustomerCommand;
      spec({
        given: [registered],
        when: command,
        thenThrows: { code: 'COMMAND.INVALID', kind: 'rule_violation' },
      });
    });

    it('rejects a RegisterCustomer carrying another event type', () => {
      const command = { type: 'RegisterCustomer', event: f.callLogged() } as unknown as CustomerCommand;
      spec({
        given: [],
        when: command,
        thenThrows: { code: 'COMMAND.INVALID', details: [{ field: 'type' }] },
      });
    });

    it('rejects an UpdateCustomerProfile carrying a consent change', () => {
      const command = {
        type: 'UpdateCustomerProfile',
        event: f.consentChanged(),
      } as unknown as CustomerCommand;
      spec({ given: [registered], when: command, thenThrows: 'COMMAND.INVALID' });
    });

    it('rejects a ChangeConsent carrying a profile update', () => {
      const command = { type: 'ChangeConsent', event: f.profileUpdated() } as unknown as CustomerCommand;
      spec({ given: [registered], when: command, thenThrows: 'COMMAND.INVALID' });
    });

    it('rejects an unknown command type', () => {
      const command = { type: 'DeleteCustomer', event: f.callLogged() } as unknown as CustomerCommand;
      spec({ given: [registered], when: command, thenThrows: 'COMMAND.INVALID' });
    });
  });

  describe('event version', () => {
    it('accepts the current version of an event type', () => {
      const call = f.callLogged({}, { version: 1 });
      spec({ given: [registered], when: record(call), then: [call] });
    });

    it.each([0, 2])('rejects version %i of an event type whose current version is 1', (version) => {
      spec({
        given: [registered],
        when: record(f.callLogged({}, { version })),
        thenThrows: {
          code: 'EVENT.VERSION_UNSUPPORTED',
          kind: 'rule_violation',
          details: [{ field: 'version' }],
        },
      });
    });

    it('checks the version of a registration too', () => {
      spec({
        given: [],
        when: record(f.customerRegistered({}, { version: 2 })),
        thenThrows: 'EVENT.VERSION_UNSUPPORTED',
      });
    });
  });

  describe('survey scores', () => {
    it.each([
      ['nps', 0],
      ['nps', 10],
      ['csat', 1],
      ['csat', 5],
      ['ces', 1],
      ['ces', 7],
    ] as const)('accepts a %s score of %d (inside its scale)', (surveyType, score) => {
      const answer = f.surveyAnswered({ surveyType, score });
      spec({ given: [registered], when: record(answer), then: [answer] });
    });

    it.each([
      ['nps', -1],
      ['nps', 11],
      ['nps', 7.5],
      ['csat', 0],
      ['csat', 6],
      ['ces', 0],
      ['ces', 8],
      ['ces', 2.5],
    ] as const)('rejects a %s score of %d (outside its scale or not an integer)', (surveyType, score) => {
      spec({
        given: [registered],
        when: record(f.surveyAnswered({ surveyType, score })),
        thenThrows: {
          code: 'SURVEY.SCORE_OUT_OF_RANGE',
          kind: 'rule_violation',
          details: [{ field: 'score', code: 'SURVEY.SCORE_OUT_OF_RANGE' }],
        },
      });
    });

    it('says the allowed range in the message', () => {
      spec({
        given: [registered],
        when: record(f.surveyAnswered({ surveyType: 'csat', score: 9 })),
        thenThrows: { code: 'SURVEY.SCORE_OUT_OF_RANGE', message: 'from 1 to 5' },
      });
    });
  });

  describe('amounts', () => {
    it('accepts a purchase with a positive amount and a free item', () => {
      const purchase = f.purchaseCompleted({
        amount: 500,
        items: [
          { sku: 'a', category: 'books', quantity: 1, unitAmount: 500 },
          { sku: 'gift', category: 'gifts', quantity: 1, unitAmount: 0 },
        ],
      });
      spec({ given: [registered], when: record(purchase), then: [purchase] });
    });

    it('accepts a purchase without items', () => {
      const purchase = f.purchaseCompleted({ items: undefined });
      spec({ given: [registered], when: record(purchase), then: [purchase] });
    });

    it.each([0, -100, 10.5])('rejects a purchase amount of %d', (amount) => {
      spec({
        given: [registered],
        when: record(f.purchaseCompleted({ amount })),
        thenThrows: { code: 'AMOUNT.NOT_POSITIVE', kind: 'rule_violation', details: [{ field: 'amount' }] },
      });
    });

    it.each([0, -1, 1.5])('rejects an item quantity of %d', (quantity) => {
      spec({
        given: [registered],
        when: record(
          f.purchaseCompleted({ items: [{ sku: 'a', category: 'books', quantity, unitAmount: 100 }] }),
        ),
        thenThrows: { code: 'AMOUNT.NOT_POSITIVE', details: [{ field: 'items[0].quantity' }] },
      });
    });

    it.each([-1, 0.5])('rejects an item unit amount of %d', (unitAmount) => {
      spec({
        given: [registered],
        when: record(
          f.purchaseCompleted({ items: [{ sku: 'a', category: 'books', quantity: 1, unitAmount }] }),
        ),
        thenThrows: { code: 'AMOUNT.NOT_POSITIVE', details: [{ field: 'items[0].unitAmount' }] },
      });
    });

    it('reports every invalid amount of a purchase at once', () => {
      const purchase = f.purchaseCompleted({
        amount: 0,
        items: [
          { sku: 'a', category: 'books', quantity: 1, unitAmount: 100 },
          { sku: 'b', category: 'books', quantity: 0, unitAmount: -5 },
        ],
      });
      const error = thrownBy(() => decide(record(purchase), evolve(initialState(), registered)));
      expect(error.details.map((detail) => detail.field)).toEqual([
        'amount',
        'items[1].quantity',
        'items[1].unitAmount',
      ]);
    });

    it.each([0, -1, 2.5])('rejects a refund amount of %d', (amount) => {
      spec({
        given: [registered, f.purchaseCompleted()],
        when: record(f.purchaseRefunded({ amount })),
        thenThrows: { code: 'AMOUNT.NOT_POSITIVE', details: [{ field: 'amount' }] },
      });
    });
  });

  describe('durations', () => {
    it('accepts a call of zero seconds (an unanswered call)', () => {
      const call = f.callLogged({ durationSeconds: 0, outcome: 'no_answer' });
      spec({ given: [registered], when: record(call), then: [call] });
    });

    it('rejects a call with a negative duration', () => {
      spec({
        given: [registered],
        when: record(f.callLogged({ durationSeconds: -1 })),
        thenThrows: {
          code: 'DURATION.NEGATIVE',
          kind: 'rule_violation',
          details: [{ field: 'durationSeconds' }],
        },
      });
    });

    it('accepts a meeting of zero minutes', () => {
      const meeting = f.meetingHeld({ durationMinutes: 0 });
      spec({ given: [registered], when: record(meeting), then: [meeting] });
    });

    it('rejects a meeting with a negative duration', () => {
      spec({
        given: [registered],
        when: record(f.meetingHeld({ durationMinutes: -15 })),
        thenThrows: { code: 'DURATION.NEGATIVE', details: [{ field: 'durationMinutes' }] },
      });
    });
  });

  describe('currency', () => {
    it.each(['EUR', 'USD', 'JPY'])('accepts the currency code %s', (currency) => {
      const purchase = f.purchaseCompleted({ currency });
      spec({ given: [registered], when: record(purchase), then: [purchase] });
    });

    it.each(['eur', 'EURO', 'EU', 'E1R', ''])('rejects a purchase in currency "%s"', (currency) => {
      spec({
        given: [registered],
        when: record(f.purchaseCompleted({ currency })),
        thenThrows: { code: 'CURRENCY.INVALID', kind: 'rule_violation', details: [{ field: 'currency' }] },
      });
    });

    it('rejects a refund in a malformed currency', () => {
      spec({
        given: [registered, f.purchaseCompleted()],
        when: record(f.purchaseRefunded({ currency: 'usd' })),
        thenThrows: 'CURRENCY.INVALID',
      });
    });
  });

  describe('orders', () => {
    it('accepts purchases with distinct order ids', () => {
      const second = f.purchaseCompleted({ orderId: 'order-2' });
      spec({
        given: [registered, f.purchaseCompleted({ orderId: 'order-1' })],
        when: record(second),
        then: [second],
      });
    });

    it('rejects completing the same order twice as a conflict', () => {
      spec({
        given: [registered, f.purchaseCompleted({ orderId: 'order-1' })],
        when: record(f.purchaseCompleted({ orderId: 'order-1' })),
        thenThrows: { code: 'ORDER.ALREADY_COMPLETED', kind: 'conflict', details: [{ field: 'orderId' }] },
      });
    });
  });

  describe('refunds', () => {
    it('accepts a partial refund of a known order', () => {
      const refund = f.purchaseRefunded({ amount: 4_000 });
      spec({
        given: [registered, f.purchaseCompleted({ amount: 10_000 })],
        when: record(refund),
        then: [refund],
      });
    });

    it('accepts refunds that add up to exactly the amount paid', () => {
      const rest = f.purchaseRefunded({ amount: 6_000 });
      spec({
        given: [registered, f.purchaseCompleted({ amount: 10_000 }), f.purchaseRefunded({ amount: 4_000 })],
        when: record(rest),
        then: [rest],
      });
    });

    it('rejects a refund of an order that was never completed', () => {
      spec({
        given: [registered, f.purchaseCompleted({ orderId: 'order-1' })],
        when: record(f.purchaseRefunded({ orderId: 'order-9' })),
        thenThrows: { code: 'REFUND.UNKNOWN_ORDER', kind: 'rule_violation', details: [{ field: 'orderId' }] },
      });
    });

    it('rejects a refund in another currency than the order', () => {
      spec({
        given: [registered, f.purchaseCompleted({ currency: 'EUR' })],
        when: record(f.purchaseRefunded({ currency: 'USD' })),
        thenThrows: {
          code: 'REFUND.CURRENCY_MISMATCH',
          kind: 'rule_violation',
          details: [{ field: 'currency' }],
        },
      });
    });

    it('rejects a refund larger than the amount paid', () => {
      spec({
        given: [registered, f.purchaseCompleted({ amount: 10_000 })],
        when: record(f.purchaseRefunded({ amount: 10_001 })),
        thenThrows: { code: 'REFUND.EXCEEDS_PAID', kind: 'rule_violation', details: [{ field: 'amount' }] },
      });
    });

    it('rejects a refund that would take the order over what was paid, saying how much is refundable', () => {
      spec({
        given: [registered, f.purchaseCompleted({ amount: 10_000 }), f.purchaseRefunded({ amount: 7_000 })],
        when: record(f.purchaseRefunded({ amount: 3_500 })),
        thenThrows: { code: 'REFUND.EXCEEDS_PAID', message: /3000 EUR .* left to refund/ },
      });
    });

    it('rejects any further refund of a fully refunded order', () => {
      spec({
        given: [registered, f.purchaseCompleted({ amount: 10_000 }), f.purchaseRefunded({ amount: 10_000 })],
        when: record(f.purchaseRefunded({ amount: 1 })),
        thenThrows: 'REFUND.EXCEEDS_PAID',
      });
    });

    it('counts refunds per order', () => {
      const refund = f.purchaseRefunded({ orderId: 'order-2', amount: 10_000 });
      spec({
        given: [
          registered,
          f.purchaseCompleted({ orderId: 'order-1', amount: 10_000 }),
          f.purchaseCompleted({ orderId: 'order-2', amount: 10_000 }),
          f.purchaseRefunded({ orderId: 'order-1', amount: 10_000 }),
        ],
        when: record(refund),
        then: [refund],
      });
    });
  });

  describe('support cases', () => {
    it('opens a new support case', () => {
      const opened = f.supportCaseOpened();
      spec({ given: [registered], when: record(opened), then: [opened] });
    });

    it('rejects opening a case that is already open as a conflict', () => {
      spec({
        given: [registered, f.supportCaseOpened({ caseId: 'case-1' })],
        when: record(f.supportCaseOpened({ caseId: 'case-1' })),
        thenThrows: { code: 'SUPPORT_CASE.ALREADY_OPENED', kind: 'conflict' },
      });
    });

    it('accepts cases with distinct ids side by side', () => {
      const second = f.supportCaseOpened({ caseId: 'case-2' });
      spec({
        given: [registered, f.supportCaseOpened({ caseId: 'case-1' })],
        when: record(second),
        then: [second],
      });
    });

    it('records the first agent response to an open case', () => {
      const responded = f.supportCaseResponded();
      spec({ given: [registered, f.supportCaseOpened()], when: record(responded), then: [responded] });
    });

    it('rejects a response to a case that was never opened', () => {
      spec({
        given: [registered, f.supportCaseOpened({ caseId: 'case-1' })],
        when: record(f.supportCaseResponded({ caseId: 'case-2' })),
        thenThrows: {
          code: 'SUPPORT_CASE.NOT_OPENED',
          kind: 'rule_violation',
          details: [{ field: 'caseId' }],
        },
      });
    });

    it('rejects a second response, since only the first agent reply is recorded', () => {
      spec({
        given: [registered, f.supportCaseOpened(), f.supportCaseResponded()],
        when: record(f.supportCaseResponded()),
        thenThrows: { code: 'SUPPORT_CASE.ALREADY_RESPONDED', kind: 'conflict' },
      });
    });

    it('rejects a response after the case was resolved', () => {
      spec({
        given: [registered, f.supportCaseOpened(), f.supportCaseResolved()],
        when: record(f.supportCaseResponded()),
        thenThrows: { code: 'SUPPORT_CASE.ALREADY_RESOLVED', kind: 'conflict' },
      });
    });

    it('resolves a case that had a response', () => {
      const resolved = f.supportCaseResolved({ firstContact: false });
      spec({
        given: [registered, f.supportCaseOpened(), f.supportCaseResponded()],
        when: record(resolved),
        then: [resolved],
      });
    });

    it('resolves a case without a recorded response', () => {
      const resolved = f.supportCaseResolved();
      spec({ given: [registered, f.supportCaseOpened()], when: record(resolved), then: [resolved] });
    });

    it('rejects resolving a case that was never opened', () => {
      spec({
        given: [registered],
        when: record(f.supportCaseResolved()),
        thenThrows: { code: 'SUPPORT_CASE.NOT_OPENED', kind: 'rule_violation' },
      });
    });

    it('rejects resolving a case twice as a conflict', () => {
      spec({
        given: [registered, f.supportCaseOpened(), f.supportCaseResolved()],
        when: record(f.supportCaseResolved()),
        thenThrows: { code: 'SUPPORT_CASE.ALREADY_RESOLVED', kind: 'conflict' },
      });
    });
  });

  describe('decide', () => {
    it('returns the candidate event itself, not a rebuilt copy', () => {
      const call = f.callLogged();
      const [decided] = decide(record(call), evolve(initialState(), registered));
      expect(decided).toBe(call);
    });

    it('checks the command before the customer exists, so a malformed command is not reported as not found', () => {
      spec({
        given: [],
        when: record(f.callLogged({ durationSeconds: -5 })),
        thenThrows: 'DURATION.NEGATIVE',
      });
    });
  });

  describe('decideAll', () => {
    it('decides each command against the state left by the previous ones', () => {
      const batch = [
        registered,
        f.purchaseCompleted({ amount: 10_000 }),
        f.purchaseRefunded({ amount: 10_000 }),
      ];
      const { events, state } = decideAll(batch.map(record), initialState());
      expect(events).toEqual(batch);
      expect(state.orders.get('order-1')).toEqual({
        paid: 10_000,
        currency: 'EUR',
        channel: 'web',
        refunded: 10_000,
      });
    });

    it('rejects the whole batch on the first rejected command', () => {
      const batch = [
        registered,
        f.purchaseCompleted({ orderId: 'order-1' }),
        f.purchaseCompleted({ orderId: 'order-1' }),
      ];
      let rejected: unknown;
      try {
        decideAll(batch.map(record), initialState());
      } catch (error) {
        rejected = error;
      }
      expect(rejected).toBeInstanceOf(CommandRejectedError);
      expect((rejected as CommandRejectedError).index).toBe(2);
      expect((rejected as CommandRejectedError).reason.code).toBe('ORDER.ALREADY_COMPLETED');
    });

    it('returns no events and the same state for an empty batch', () => {
      const state = evolve(initialState(), registered);
      expect(decideAll([], state)).toEqual({ events: [], state });
    });

    it('does not change the state it was given', () => {
      const state = evolve(initialState(), registered);
      decideAll([record(f.purchaseCompleted())], state);
      expect(state.orders.size).toBe(0);
    });
  });
});

describe('customer evolve', () => {
  const fold = (events: readonly CrmEvent[]) => events.reduce(evolve, initialState());

  it('starts unregistered with no orders and no cases', () => {
    expect(initialState()).toEqual({
      registered: false,
      erased: false,
      mergedInto: null,
      customerId: null,
      kind: null,
      orders: new Map(),
      supportCases: new Map(),
      followUps: new Map(),
      surveyRequests: new Map(),
    });
  });

  it('remembers who registered', () => {
    const company = createEventFactory({ customerId: 'acme' }).customerRegistered({
      kind: 'company',
      name: 'Acme',
    });
    expect(fold([company])).toMatchObject({ registered: true, customerId: 'acme', kind: 'company' });
  });

  it('tracks what each order paid, its currency and channel, and what was refunded', () => {
    const state = fold([
      registered,
      f.purchaseCompleted({ orderId: 'o-1', amount: 800, currency: 'GBP', channel: 'store' }),
      f.purchaseRefunded({ orderId: 'o-1', amount: 300, currency: 'GBP' }),
      f.purchaseRefunded({ orderId: 'o-1', amount: 200, currency: 'GBP' }),
    ]);
    expect(state.orders.get('o-1')).toEqual({ paid: 800, currency: 'GBP', channel: 'store', refunded: 500 });
  });

  it('tracks each support case through opened, responded and resolved', () => {
    const state = fold([
      registered,
      f.supportCaseOpened({ caseId: 'c-1' }),
      f.supportCaseOpened({ caseId: 'c-2' }),
      f.supportCaseResponded({ caseId: 'c-1' }),
      f.supportCaseResolved({ caseId: 'c-1' }),
    ]);
    expect(state.supportCases.get('c-1')).toEqual({
      opened: true,
      responded: true,
      resolved: true,
      slaBreached: false,
    });
    expect(state.supportCases.get('c-2')).toEqual({
      opened: true,
      responded: false,
      resolved: false,
      slaBreached: false,
    });
  });

  it('replays facts the decider would now reject without throwing (the log is the truth)', () => {
    const state = fold([
      f.callLogged(),
      registered,
      f.customerRegistered({ customerId: 'someone-else' }),
      f.purchaseRefunded({ orderId: 'unknown' }),
      f.purchaseCompleted({ orderId: 'o-1', amount: 100 }),
      f.purchaseCompleted({ orderId: 'o-1', amount: 999 }),
    ]);
    expect(state.customerId).toBe('cust-1');
    expect(state.orders.get('o-1')?.paid).toBe(100);
    expect(state.orders.has('unknown')).toBe(false);
  });

  it('leaves the state untouched for events no rule depends on', () => {
    const state = fold([registered]);
    const untouched = [
      f.profileUpdated(),
      f.consentChanged(),
      f.callLogged(),
      f.emailLogged(),
      f.messageLogged(),
      f.meetingHeld(),
      f.surveyAnswered(),
      f.campaignInteraction(),
    ];
    for (const event of untouched) expect(evolve(state, event)).toBe(state);
  });

  it('never mutates the state it is given', () => {
    const state = fold([registered, f.purchaseCompleted(), f.supportCaseOpened()]);
    evolve(state, f.purchaseRefunded({ amount: 1 }));
    evolve(state, f.supportCaseResolved());
    expect(state.orders.get('order-1')?.refunded).toBe(0);
    expect(state.supportCases.get('case-1')?.resolved).toBe(false);
  });
});

describe('merge', () => {
  const survivorFactory = () => createEventFactory({ customerId: 'cust-1', seed: 1 });
  const mergedFactory = () => createEventFactory({ customerId: 'cust-2', seed: 2 });
  const stateOf = (...events: CrmEvent[]) => events.reduce(evolve, initialState());
  const sides = (survivorId = 'cust-1', mergedId = 'cust-2') => {
    const s = survivorFactory();
    const m = mergedFactory();
    return {
      survivor: s.customersMerged({ survivorId, mergedId }),
      merged: m.customersMerged({ survivorId, mergedId }),
    };
  };
  const survivorState = () => stateOf(survivorFactory().customerRegistered());
  const mergedState = () => stateOf(mergedFactory().customerRegistered());

  it('accepts two registered customers and returns both sides untouched', () => {
    const both = sides();
    expect(decideMerge(both, survivorState(), mergedState())).toBe(both);
  });

  it('closes the merged stream to every command, naming the survivor', () => {
    const m = mergedFactory();
    const merged = stateOf(
      m.customerRegistered(),
      m.customersMerged({ survivorId: 'cust-1', mergedId: 'cust-2' }),
    );
    expect(merged.mergedInto).toBe('cust-1');
    for (const event of [m.callLogged(), m.profileUpdated({ segment: 'x' }), m.consentChanged()]) {
      const error = thrownBy(() => decide(commandFor(event), merged));
      expect(error).toMatchObject({ code: 'CUSTOMER.MERGED', kind: 'conflict' });
      expect(error.details[0]).toMatchObject({ code: 'CUSTOMER.MERGED', value: 'cust-1' });
    }
  });

  it('leaves the survivor open to commands', () => {
    const s = survivorFactory();
    const survivor = stateOf(
      s.customerRegistered(),
      s.customersMerged({ survivorId: 'cust-1', mergedId: 'cust-2' }),
    );
    expect(survivor.mergedInto).toBeNull();
    const call = s.callLogged();
    expect(decide(commandFor(call), survivor)).toEqual([call]);
  });

  it.each<
    [string, () => [ReturnType<typeof survivorState>, ReturnType<typeof mergedState>], string, string, string]
  >([
    [
      'an unknown survivor',
      () => [initialState(), mergedState()],
      'CUSTOMER.NOT_FOUND',
      'not_found',
      'customerId',
    ],
    [
      'an unknown merged customer',
      () => [survivorState(), initialState()],
      'CUSTOMER.NOT_FOUND',
      'not_found',
      'mergedId',
    ],
    [
      'an erased survivor',
      () => [
        stateOf(survivorFactory().customerRegistered(), survivorFactory().customerErased()),
        mergedState(),
      ],
      'CUSTOMER.ERASED',
      'gone',
      'customerId',
    ],
    [
      'an erased merged customer',
      () => [
        survivorState(),
        stateOf(mergedFactory().customerRegistered(), mergedFactory().customerErased()),
      ],
      'CUSTOMER.ERASED',
      'gone',
      'mergedId',
    ],
    [
      'a merged customer merged already',
      () => [
        survivorState(),
        stateOf(
          mergedFactory().customerRegistered(),
          mergedFactory().customersMerged({ survivorId: 'cust-9', mergedId: 'cust-2' }),
        ),
      ],
      'CUSTOMER.MERGED',
      'conflict',
      'mergedId',
    ],
    [
      'a survivor merged already',
      () => [
        stateOf(
          survivorFactory().customerRegistered(),
          survivorFactory().customersMerged({ survivorId: 'cust-9', mergedId: 'cust-1' }),
        ),
        mergedState(),
      ],
      'CUSTOMER.MERGED',
      'conflict',
      'customerId',
    ],
  ])('refuses %s', (_name, states, code, kind, field) => {
    const [survivor, merged] = states();
    const error = thrownBy(() => decideMerge(sides(), survivor, merged));
    expect(error).toMatchObject({ code, kind });
    expect(error.details[0]?.field).toBe(field);
  });

  it('refuses merging a customer into itself', () => {
    const error = thrownBy(() => decideMerge(sides('cust-1', 'cust-1'), survivorState(), survivorState()));
    expect(error).toMatchObject({ code: 'MERGE.SAME_CUSTOMER', kind: 'rule_violation' });
  });

  it('refuses a CustomersMerged on a stream it does not name', () => {
    const event = survivorFactory().customersMerged({ survivorId: 'cust-7', mergedId: 'cust-8' });
    expect(thrownBy(() => decide(commandFor(event), survivorState())).code).toBe('MERGE.NOT_THIS_CUSTOMER');
  });
});
