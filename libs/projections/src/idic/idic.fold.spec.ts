import { createEventFactory } from '@crm/domain/testing';
import {
  deepFreeze,
  expectFoldMatchesStepwise,
  expectSame,
  fixtureStreams,
  stepwise,
  seededRandom,
} from '../shared/testing/fold-equivalence';
import { inLogOrder, present } from '../shared/testing/projection-log.fixture';
import { edgeCaseHistory, randomHistory } from '../shared/testing/random-history';
import type { IdicDocument } from './idic.document';
import { evolveIdic, foldIdic } from './idic.projection';

const jsonCopy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

describe('foldIdic', () => {
  it('gives every fixture customer the document its events give one at a time', () => {
    const random = seededRandom(11);
    for (const [customerId, events] of fixtureStreams()) {
      expectFoldMatchesStepwise(foldIdic, evolveIdic, events, random, customerId);
    }
  });

  it('gives the event-by-event document on a history of every edge case, cut anywhere', () => {
    const events = edgeCaseHistory();
    const expected = stepwise(evolveIdic, events);
    const final = expected[events.length - 1] ?? null;
    for (let cut = 0; cut <= events.length; cut++) {
      const head = deepFreeze(foldIdic(null, events.slice(0, cut)));
      expectSame(head, expected[cut - 1] ?? null, `first ${cut} events`);
      expectSame(foldIdic(head, events.slice(cut)), final, `the rest after ${cut}`);
    }
  });

  it('gives the event-by-event document on messy generated histories, in one call, in batches and from mid-way', () => {
    const random = seededRandom(12);
    for (let run = 0; run < 150; run++) {
      const events = randomHistory(random, 1 + Math.floor(random() * 60));
      expectFoldMatchesStepwise(foldIdic, evolveIdic, events, random, `history ${run}`);
    }
  });

  it('evolves one event at a time to what one fold of the history so far gives', () => {
    const random = seededRandom(13);
    for (let run = 0; run < 60; run++) {
      const events = randomHistory(random, 40);
      let doc: IdicDocument | null = null;
      events.forEach((e, index) => {
        doc = deepFreeze(evolveIdic(doc, e));
        expectSame(doc, foldIdic(null, events.slice(0, index + 1)), `history ${run}, event ${index}`);
      });
    }
  });

  it('returns the very same document when no event applies, a new one otherwise', () => {
    const f = createEventFactory();
    const events = inLogOrder([f.customerRegistered(), f.callLogged(), f.consentChanged()]);
    const doc = present(foldIdic(null, events));
    expect(foldIdic(doc, [])).toBe(doc);
    expect(foldIdic(doc, events)).toBe(doc);
    expect(foldIdic(null, inLogOrder([f.callLogged()]))).toBeNull();
    const next = foldIdic(doc, inLogOrder([f.consentChanged()], 4));
    expect(next).not.toBe(doc);
    expect(next).toStrictEqual({ ...doc, position: 4 });
  });

  it('leaves the input document and events as they were', () => {
    const f = createEventFactory();
    const events = inLogOrder([
      f.customerRegistered({ email: 'a@b.c' }),
      f.callLogged({ direction: 'inbound' }),
      f.purchaseCompleted({ orderId: 'o-1' }),
      f.surveyAnswered({ surveyType: 'csat', score: 4 }),
      f.purchaseCompleted({ orderId: 'o-2' }),
      f.customerErased(),
    ]);
    const doc = deepFreeze(present(foldIdic(null, events.slice(0, 3))));
    const before = jsonCopy(doc);
    expect(() => foldIdic(doc, deepFreeze(events.slice(3)))).not.toThrow();
    expect(doc).toStrictEqual(before);
  });
});
