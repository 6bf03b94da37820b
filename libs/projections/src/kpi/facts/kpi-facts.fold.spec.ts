import { type CrmEvent, toCrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import type { ProjectedEvent } from '../../shared/projected-event';
import { fixtureEvents } from '../../testing/crm-fixture';
import { randomHistory, seededRandom } from '../testing/random-history';
import { at } from '../testing/kpi-facts.fixture';
import type { KpiFactsDocument } from './kpi-facts.document';
import { evolveKpiFacts, foldKpiFacts } from './kpi-facts.evolve';

/**
 * foldKpiFacts(doc, events) must build exactly what applying the events one
 * at a time builds (events.reduce(evolveKpiFacts, doc), the live path),
 * however the events are cut into batches and whatever document a batch
 * starts from. What the facts should be is checked by the specs below, by
 * kpi-facts.evolve.spec.ts and, through the KPI routes, against the
 * independent Python values of the hand-checked fixture (test/fixtures).
 * Inputs are deep-frozen, so any mutation of a document or an event throws.
 */

type Doc = KpiFactsDocument | null;

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const inner of Object.values(value)) deepFreeze(inner);
  }
  return value;
}

/** Folds the events in batches ending at the given cut indexes, each batch onto the last document. */
function foldInBatches(doc: Doc, events: readonly ProjectedEvent[], cuts: readonly number[]): Doc {
  let current = doc;
  let from = 0;
  for (const to of [...cuts, events.length]) {
    current = foldKpiFacts(current, events.slice(from, to));
    from = to;
  }
  return current;
}

function randomCuts(length: number, seed: number): number[] {
  const random = seededRandom(seed);
  const count = 1 + Math.floor(random() * 4);
  const cuts = Array.from({ length: count }, () => Math.floor(random() * (length + 1)));
  return cuts.sort((a, b) => a - b);
}

/** Each fixture customer's stream, positions as the log assigns them (one append per line, in file order). */
function fixtureStreams(): Map<string, ProjectedEvent[]> {
  const streams = new Map<string, ProjectedEvent[]>();
  fixtureEvents().forEach((line, index) => {
    const metadata = { correlationId: 'fixture', causationId: null, actor: 'fixture', source: 'fixture' };
    const event = toCrmEvent({ ...line, version: 1, metadata });
    const stream = streams.get(line.customerId) ?? [];
    stream.push({ event, position: index + 1 });
    streams.set(line.customerId, stream);
  });
  for (const stream of streams.values()) deepFreeze(stream);
  return streams;
}

/** The events applied one at a time, as the live path applies them. */
function stepwise(doc: Doc, events: readonly ProjectedEvent[]): Doc {
  return events.reduce<Doc>((current, e) => deepFreeze(evolveKpiFacts(current, e)), doc);
}

/** Deep-equal, and byte-identical as stored (same keys in the same order, so digests of read models agree too). */
function expectSameAsStepwise(doc: Doc, events: readonly ProjectedEvent[]): void {
  const expected = stepwise(doc, events);
  const actual = foldKpiFacts(doc, events);
  expect(actual).toEqual(expected);
  expect(JSON.stringify(actual)).toBe(JSON.stringify(expected));
}

/** Starting documents: what the first k events build one at a time, for a few k. */
function midwayDocuments(events: readonly ProjectedEvent[], seed: number): [number, KpiFactsDocument][] {
  const random = seededRandom(seed);
  const midway: [number, KpiFactsDocument][] = [];
  for (let i = 0; i < 4; i += 1) {
    const k = 1 + Math.floor(random() * events.length);
    const doc = stepwise(null, events.slice(0, k));
    if (doc !== null) midway.push([k, deepFreeze(doc)]);
  }
  return midway;
}

function isSorted(numbers: readonly number[]): boolean {
  return numbers.every((n, i) => i === 0 || (numbers[i - 1] ?? n) <= n);
}

describe('foldKpiFacts on the hand-checked fixture', () => {
  const streams = [...fixtureStreams()];

  it('covers back-dated facts (the comparison would be weaker without them)', () => {
    const backDated = streams.filter(([, events]) => {
      const doc = stepwise(null, events);
      return doc !== null && !isSorted(doc.touchpoints.map((touchpoint) => touchpoint.position));
    });
    expect(streams).toHaveLength(33);
    expect(backDated.length).toBeGreaterThan(0);
  });

  it.each(streams)('folds %s in one call as its events give one at a time', (_id, events) => {
    expectSameAsStepwise(null, events);
  });

  it.each(streams)('folds %s in random batches to the same document', (_id, events) => {
    const expected = stepwise(null, events);
    for (let seed = 1; seed <= 8; seed += 1)
      expect(foldInBatches(null, events, randomCuts(events.length, seed))).toEqual(expected);
  });

  it.each(streams)(
    'folds the rest of %s onto a mid-way document, redelivered events included',
    (id, events) => {
      for (const [k, doc] of midwayDocuments(events, id.length * 31 + events.length)) {
        expectSameAsStepwise(doc, events.slice(k));
        expectSameAsStepwise(doc, events.slice(Math.max(0, k - 3)));
      }
    },
  );
});

describe('foldKpiFacts on messy generated histories', () => {
  const histories = Array.from({ length: 200 }, (_, seed) =>
    deepFreeze(randomHistory(seed, 10 + (seed % 60))),
  );

  it('covers what the fold must get right', () => {
    const all = histories.flat();
    const types = new Set(all.map(({ event }) => event.type));
    expect([...types].sort()).toEqual([
      'CallLogged',
      'CampaignInteraction',
      'ConsentChanged',
      'CustomerErased',
      'CustomerProfileUpdated',
      'CustomerRegistered',
      'EmailLogged',
      'MeetingHeld',
      'MessageLogged',
      'PurchaseCompleted',
      'PurchaseRefunded',
      'SupportCaseOpened',
      'SupportCaseResolved',
      'SupportCaseResponded',
      'SupportCaseSlaBreached',
      'SurveyAnswered',
      'SurveyRequested',
    ]);
    const refundsBeforePurchase = histories.filter((events) => {
      const doc = stepwise(null, events);
      if (doc === null) return false;
      return doc.refunds.some((refund) =>
        doc.purchases.some(
          (purchase) => purchase.orderId === refund.orderId && purchase.position > refund.position,
        ),
      );
    });
    expect(refundsBeforePurchase.length).toBeGreaterThan(10);
    expect(
      histories.filter((events) => events[0]?.event.type !== 'CustomerRegistered').length,
    ).toBeGreaterThan(10);
  });

  it('folds each history in one call as its events give one at a time', () => {
    for (const events of histories) expectSameAsStepwise(null, events);
  });

  it('folds each history in random batches to the same document', () => {
    histories.forEach((events, seed) => {
      const expected = stepwise(null, events);
      for (let cutSeed = 1; cutSeed <= 4; cutSeed += 1)
        expect(foldInBatches(null, events, randomCuts(events.length, seed * 10 + cutSeed))).toEqual(expected);
    });
  });

  it('folds the rest of each history onto a mid-way document', () => {
    histories.forEach((events, seed) => {
      for (const [k, doc] of midwayDocuments(events, seed)) {
        expectSameAsStepwise(doc, events.slice(k));
        expectSameAsStepwise(doc, events.slice(Math.max(0, k - 3)));
      }
    });
  });
});

describe('foldKpiFacts', () => {
  const f = createEventFactory({ customerId: 'cust-1' });
  const projected = (events: readonly CrmEvent[], first = 1): ProjectedEvent[] =>
    deepFreeze(events.map((event, index) => ({ event, position: first + index })));
  const registered = deepFreeze(
    foldKpiFacts(null, projected([f.customerRegistered({ segment: 'smb' }, at('2024-01-01'))])),
  );

  it('puts back-dated facts in the middle, in occurredAt order, ties by log position', () => {
    const events = projected(
      [
        f.callLogged({}, at('2024-01-10')),
        f.callLogged({}, at('2024-01-30')),
        f.surveyAnswered({ surveyType: 'csat', score: 4 }, at('2024-01-20')),
        f.emailLogged({}, at('2024-01-05')),
        f.meetingHeld({}, at('2024-01-20')),
      ],
      2,
    );
    const doc = foldKpiFacts(registered, events);
    expect(doc?.touchpoints.map(({ at: instant, position }) => [instant.slice(0, 10), position])).toEqual([
      ['2024-01-05', 5],
      ['2024-01-10', 2],
      ['2024-01-20', 4],
      ['2024-01-20', 6],
      ['2024-01-30', 3],
    ]);
    expect(doc).toEqual(stepwise(registered, events));
  });

  it('lets the latest profile statement by occurredAt win when a back-dated one comes in the same batch', () => {
    const events = projected(
      [
        f.profileUpdated({ segment: 'enterprise' }, at('2024-03-01')),
        f.profileUpdated({ segment: ' ' }, at('2024-02-01')),
      ],
      2,
    );
    const doc = foldKpiFacts(registered, events);
    expect(doc?.segment).toBe('enterprise');
    expect(doc?.profile.segment).toBe(true);
    expect(doc).toEqual(stepwise(registered, events));
  });

  it('gives a refund folded before its purchase its touchpoint when the purchase arrives, in a later batch too', () => {
    const [refund, purchase] = projected(
      [
        f.purchaseRefunded({ orderId: 'o-9', amount: 300 }, at('2024-01-09')),
        f.purchaseCompleted({ orderId: 'o-9', channel: 'store' }, at('2024-01-05')),
      ],
      2,
    );
    if (refund === undefined || purchase === undefined) throw new Error('two events');
    const afterRefund = deepFreeze(foldKpiFacts(registered, [refund]));
    expect(afterRefund?.touchpoints).toEqual([]);
    const expected = [
      { at: '2024-01-05T00:00:00.000Z', position: 3, channel: 'store', inbound: false },
      { at: '2024-01-09T00:00:00.000Z', position: 2, channel: 'store', inbound: false },
    ];
    expect(foldKpiFacts(afterRefund, [purchase])?.touchpoints).toEqual(expected);
    expect(foldKpiFacts(registered, [refund, purchase])?.touchpoints).toEqual(expected);
    expect(foldKpiFacts(registered, [refund, purchase])).toEqual(stepwise(registered, [refund, purchase]));
  });

  it('keeps the first purchase of a repeated orderId, still counting the repeat as a touchpoint', () => {
    const events = projected(
      [
        f.purchaseCompleted({ orderId: 'o-1', amount: 1_000, channel: 'web' }, at('2024-01-05')),
        f.purchaseCompleted({ orderId: 'o-1', amount: 9_000, channel: 'store' }, at('2024-01-06')),
        f.purchaseRefunded({ orderId: 'o-1', amount: 500 }, at('2024-01-07')),
      ],
      2,
    );
    const doc = foldKpiFacts(registered, events);
    expect(doc?.purchases.map(({ amount, channel }) => [amount, channel])).toEqual([[1_000, 'web']]);
    expect(doc?.touchpoints.map(({ channel }) => channel)).toEqual(['web', 'store', 'web']);
    expect(doc).toEqual(stepwise(registered, events));
  });

  it('returns the document itself when no event applies', () => {
    const doc = foldKpiFacts(registered, projected([f.callLogged(), f.surveyAnswered()], 2));
    expect(foldKpiFacts(doc, [])).toBe(doc);
    expect(foldKpiFacts(doc, projected([f.callLogged(), f.meetingHeld()], 2))).toBe(doc);
    expect(foldKpiFacts(null, projected([f.callLogged(), f.purchaseCompleted()]))).toBeNull();
  });

  it('returns a new document when only the position moves (an erasure changes no fact)', () => {
    const doc = foldKpiFacts(registered, projected([f.customerErased()], 7));
    expect(doc).not.toBe(registered);
    expect(doc).toEqual({ ...registered, position: 7 });
  });

  it('keeps the keys of its own a stored document carries, as a spread would', () => {
    const stored = deepFreeze({ ...registered, storedBy: 'an older version' } as KpiFactsDocument);
    const events = projected([f.callLogged()], 2);
    expect(foldKpiFacts(stored, events)).toEqual(stepwise(stored, events));
    expect(foldKpiFacts(stored, events)).toHaveProperty('storedBy', 'an older version');
  });

  it('starts at the registration, ignoring what came before it', () => {
    const events = projected([f.callLogged(), f.customerRegistered(), f.emailLogged()]);
    const doc = foldKpiFacts(null, events);
    expect(doc?.touchpoints.map(({ position }) => position)).toEqual([3]);
    expect(doc).toEqual(stepwise(null, events));
  });

  it('evolves one event at a time to what one fold of the history so far gives, for the live path', () => {
    const events = projected([
      f.customerRegistered(),
      f.purchaseRefunded({ orderId: 'o-1' }),
      f.purchaseCompleted({ orderId: 'o-1' }),
    ]);
    let doc: Doc = null;
    events.forEach((e, index) => {
      doc = deepFreeze(evolveKpiFacts(doc, e));
      expect(doc).toEqual(foldKpiFacts(null, events.slice(0, index + 1)));
    });
  });
});
