import type { CrmEvent } from '../events/catalogue';
import { createEventFactory } from '../testing';
import { evolve, evolveAll } from './customer.evolve';
import { type CustomerState, initialState } from './customer.state';

/** A seeded sequence of the events the decision state depends on, repeats and unknown ids included. */
function history(seed: number, length: number): CrmEvent[] {
  let x = seed;
  const next = (bound: number): number => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x % bound;
  };
  const f = createEventFactory({ customerId: 'c-1', seed });
  const events: CrmEvent[] = [f.customerRegistered()];
  for (let index = 0; index < length; index++) {
    const orderId = `o-${next(12)}`;
    const caseId = `k-${next(5)}`;
    const pick = [
      () => f.purchaseCompleted({ orderId, amount: 100 + next(900) }),
      () => f.purchaseRefunded({ orderId, amount: 1 + next(50) }),
      () => f.supportCaseOpened({ caseId }),
      () => f.supportCaseResponded({ caseId }),
      () => f.supportCaseResolved({ caseId }),
      () => f.callLogged(),
      () => f.customerRegistered({ name: 'again' }),
      () => f.customersMerged({ survivorId: `s-${next(3)}`, mergedId: next(2) === 0 ? 'c-1' : 'other' }),
    ][next(8)];
    if (pick) events.push(pick());
  }
  if (next(4) === 0) events.push(f.customerErased());
  return events;
}

/** The state as plain data, to compare and to prove a state was left as it was. */
function plain(state: CustomerState): unknown {
  return { ...state, orders: [...state.orders], supportCases: [...state.supportCases] };
}

describe('evolveAll', () => {
  it.each(Array.from({ length: 40 }, (_, seed) => seed + 1))(
    'folds history %i to the state evolve gives event by event, from any point, leaving its input as it was',
    (seed) => {
      const events = history(seed, 60);
      const cut = seed % events.length;
      const start = events.slice(0, cut).reduce(evolve, initialState());
      const before = plain(start);
      const stepwise = events.slice(cut).reduce(evolve, start);
      expect(plain(evolveAll(start, events.slice(cut)))).toEqual(plain(stepwise));
      expect(plain(start)).toEqual(before);
    },
  );

  it('returns the very state it was given when no event changes it', () => {
    const f = createEventFactory({ customerId: 'c-1' });
    const state = evolve(initialState(), f.customerRegistered());
    expect(evolveAll(state, [f.callLogged(), f.customerRegistered(), f.surveyAnswered()])).toBe(state);
    expect(evolveAll(state, [])).toBe(state);
  });

  it('copies the order map once per fold, not once per purchase: insertions linear in the events', () => {
    const f = createEventFactory({ customerId: 'c-1' });
    const registered = evolve(initialState(), f.customerRegistered());
    const known = evolveAll(
      registered,
      Array.from({ length: 100 }, (_, index) => f.purchaseCompleted({ orderId: `old-${index}` })),
    );
    const purchases = Array.from({ length: 200 }, (_, index) =>
      f.purchaseCompleted({ orderId: `o-${index}` }),
    );
    // The Map constructor adds a copied map's entries through set, so set counts copies too.
    const sets = jest.spyOn(Map.prototype, 'set');
    try {
      const state = evolveAll(known, purchases);
      expect(state.orders.size).toBe(300);
      // One copy of the 100 known orders, then the 200 new ones; event by event it would be ~50,000.
      expect(sets).toHaveBeenCalledTimes(300);
    } finally {
      sets.mockRestore();
    }
  });
});
