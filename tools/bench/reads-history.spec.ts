import { ImportRecordValidator } from '@crm/analytics';
import {
  commandFor,
  CRM_EVENT_TYPES,
  type CrmEvent,
  decideAll,
  initialState,
  isAutomatedType,
  isFollowUpType,
} from '@crm/domain';
import { firstPurchaseAt } from './reads-plan';
import {
  historyLengths,
  pickWeighted,
  READS_LOG_SPAN,
  readsHistories,
  readsHistoryOf,
  unitHash,
} from './reads-history';

const validator = new ImportRecordValidator(
  { now: () => new Date(READS_LOG_SPAN.to) },
  { maxClockSkewMs: 0 },
  { correlationId: 'spec', causationId: null, actor: 'spec', source: 'spec' },
);

/** The customer's events as the import would take them: validated like the HTTP edge, as events. */
function imported(customer: number, length: number): CrmEvent[] {
  return readsHistoryOf(customer, length).map((event, line) => {
    const candidate = validator.validate({ customerId: `bench-${customer}`, ...event });
    if (!candidate.ok) {
      throw new Error(`customer ${customer}, event ${line}: ${JSON.stringify(candidate.details)}`);
    }
    return candidate.event;
  });
}

describe('the reads bench log', () => {
  it('gives every customer at least one event and exactly the events asked for in all', () => {
    for (const [events, customers] of [
      [200_000, 4000],
      [1003, 37],
      [50, 50],
      [5, 1],
    ] as const) {
      const lengthOf = historyLengths(events, customers);
      const lengths = Array.from({ length: customers }, (_, customer) => lengthOf(customer));
      expect(lengths.reduce((sum, length) => sum + length, 0)).toBe(events);
      expect(Math.min(...lengths)).toBeGreaterThanOrEqual(1);
    }
  });

  it('spreads history lengths around the mean, short and long', () => {
    const lengthOf = historyLengths(500_000, 10_000);
    const lengths = Array.from({ length: 10_000 }, (_, customer) => lengthOf(customer));
    expect(Math.min(...lengths)).toBeLessThan(15);
    expect(Math.max(...lengths)).toBeGreaterThan(85);
  });

  it('refuses fewer events than customers', () => {
    expect(() => historyLengths(10, 11)).toThrow(RangeError);
  });

  it('writes only events the import accepts, in an order the customer rules allow', () => {
    for (let customer = 0; customer < 300; customer++) {
      const events = imported(customer, 20 + (customer % 90));
      expect(() => decideAll(events.map(commandFor), initialState())).not.toThrow();
    }
  });

  it('mixes every event type the history import takes, and leaves some customers without a purchase', () => {
    const histories = readsHistories(40_000, 800);
    const types = new Set<string>();
    let prospects = 0;
    for (let customer = 0; customer < histories.customers; customer++) {
      for (const event of histories.historyOf(customer, histories.lengthOf(customer))) types.add(event.type);
      if (firstPurchaseAt(histories, customer) === null) prospects++;
    }
    expect([...types].sort()).toEqual(
      // Erasure, merges, follow-ups and automations' events have routes of their own, not the import.
      CRM_EVENT_TYPES.filter(
        (type) =>
          type !== 'CustomerErased' &&
          type !== 'CustomersMerged' &&
          !isFollowUpType(type) &&
          !isAutomatedType(type),
      ).sort(),
    );
    expect(prospects).toBeGreaterThan(20);
    expect(prospects).toBeLessThan(200);
  });

  it('keeps every event inside the span, registration first', () => {
    for (let customer = 0; customer < 200; customer++) {
      const events = readsHistoryOf(customer, 60);
      expect(events[0]?.type).toBe('CustomerRegistered');
      for (const event of events) {
        const at = Date.parse(event.occurredAt ?? '');
        expect(at).toBeGreaterThanOrEqual(READS_LOG_SPAN.from);
        expect(at).toBeLessThan(READS_LOG_SPAN.to);
      }
    }
  });

  it('writes the same content on every run, eventIds aside', () => {
    const withoutIds = () => readsHistoryOf(42, 80).map(({ eventId: _eventId, ...event }) => event);
    expect(withoutIds()).toEqual(withoutIds());
  });
});

describe('the log generator helpers', () => {
  it('hashes to [0, 1), the same for the same parts', () => {
    const values = Array.from({ length: 10_000 }, (_, index) => unitHash(index, 3));
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((sum, value) => sum + value, 0) / values.length).toBeCloseTo(0.5, 1);
    expect(unitHash(7, 3)).toBe(unitHash(7, 3));
    expect(unitHash(7, 3)).not.toBe(unitHash(3, 7));
  });

  it('picks an entry by its share of the weight', () => {
    const entries = [
      ['a', 1],
      ['b', 3],
    ] as const;
    expect(pickWeighted(0, entries)).toBe('a');
    expect(pickWeighted(0.24, entries)).toBe('a');
    expect(pickWeighted(0.26, entries)).toBe('b');
    expect(pickWeighted(0.999, entries)).toBe('b');
    expect(() => pickWeighted(0.5, [])).toThrow(RangeError);
  });
});
