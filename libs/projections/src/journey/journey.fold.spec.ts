import { createEventFactory } from '@crm/domain/testing';
import type { ProjectedEvent } from '../shared';
import {
  deepFreeze,
  expectFoldMatchesStepwise,
  expectSame,
  fixtureStreams,
  randomBatches,
  stepwise,
  seededRandom,
} from '../shared/testing/fold-equivalence';
import { inLogOrder, present } from '../shared/testing/projection-log.fixture';
import { edgeCaseHistory, randomHistory } from '../shared/testing/random-history';
import type { JourneyDocument, JourneyFacts } from './journey.document';
import { evolveJourney, foldJourney } from './journey.projection';

const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;
const fold = (doc: JourneyDocument | null, events: readonly ProjectedEvent[]) => foldJourney(doc, events);

describe('foldJourney', () => {
  it('gives every fixture customer the document its events give one at a time', () => {
    const random = seededRandom(1);
    for (const [customerId, events] of fixtureStreams()) {
      expectFoldMatchesStepwise(fold, evolveJourney, events, random, customerId);
    }
  });

  it('gives the event-by-event document on a history of every edge case, cut anywhere', () => {
    const events = edgeCaseHistory();
    const expected = stepwise(evolveJourney, events);
    const final = expected[events.length - 1] ?? null;
    for (let cut = 0; cut <= events.length; cut++) {
      const head = deepFreeze(foldJourney(null, events.slice(0, cut)));
      expectSame(head, expected[cut - 1] ?? null, `first ${cut} events`);
      expectSame(foldJourney(head, events.slice(cut)), final, `the rest after ${cut}`);
    }
  });

  it('gives the event-by-event document on messy generated histories, in one call, in batches and from mid-way', () => {
    const random = seededRandom(2);
    for (let run = 0; run < 150; run++) {
      const events = randomHistory(random, 1 + Math.floor(random() * 60));
      expectFoldMatchesStepwise(fold, evolveJourney, events, random, `history ${run}`);
    }
  });

  it('evolves one event at a time to what one fold of the history so far gives', () => {
    const random = seededRandom(3);
    for (let run = 0; run < 60; run++) {
      const events = randomHistory(random, 40);
      let doc: JourneyDocument | null = null;
      events.forEach((e, index) => {
        doc = deepFreeze(evolveJourney(doc, e));
        expectSame(doc, foldJourney(null, events.slice(0, index + 1)), `history ${run}, event ${index}`);
      });
    }
  });

  it('reports each applied event with the facts as they stand right after it', () => {
    const random = seededRandom(4);
    const streams = [...fixtureStreams().values()];
    const histories = Array.from({ length: 100 }, () => randomHistory(random, 50));
    for (const events of [...streams, ...histories]) {
      const expected = stepwise(evolveJourney, events);
      const applied = events.flatMap((e, index) => {
        const after = expected[index] ?? null;
        const changed = after !== null && after !== (expected[index - 1] ?? null);
        return changed ? [{ position: e.position, customerId: after.customerId, facts: after.facts }] : [];
      });
      const reported: { position: number; customerId: string; facts: JourneyFacts }[] = [];
      let doc: JourneyDocument | null = null;
      for (const batch of randomBatches(events, random)) {
        doc = foldJourney(doc, batch, (e, facts, customerId) =>
          // A copy: the facts are the fold's working copy and change with the next event.
          reported.push({ position: e.position, customerId, facts: jsonCopy(facts) }),
        );
      }
      expect(reported).toStrictEqual(applied);
    }
  });

  it('returns the very same document when no event applies, a new one otherwise', () => {
    const f = createEventFactory();
    const events = inLogOrder([f.customerRegistered(), f.callLogged(), f.consentChanged()]);
    const doc = present(foldJourney(null, events));
    expect(foldJourney(doc, [])).toBe(doc);
    expect(foldJourney(doc, events)).toBe(doc);
    expect(foldJourney(null, inLogOrder([f.callLogged()]))).toBeNull();
    const next = foldJourney(doc, inLogOrder([f.consentChanged()], 4));
    expect(next).not.toBe(doc);
    expect(next).toStrictEqual({ ...doc, position: 4 });
  });

  it('leaves the input document and events as they were', () => {
    const f = createEventFactory();
    const events = inLogOrder([
      f.customerRegistered({ segment: 'smb' }),
      f.callLogged({ direction: 'inbound' }),
      f.purchaseCompleted({ orderId: 'o-1' }),
      f.surveyAnswered({ surveyType: 'nps', score: 10 }),
    ]);
    const doc = deepFreeze(present(foldJourney(null, events.slice(0, 2))));
    const before = jsonCopy(doc);
    const more = deepFreeze([
      ...events.slice(2),
      ...inLogOrder(
        [f.profileUpdated({ segment: 'enterprise' }), f.purchaseCompleted({ orderId: 'o-2' })],
        5,
      ),
    ]);
    expect(() => foldJourney(doc, more)).not.toThrow();
    expect(doc).toStrictEqual(before);
  });
});
