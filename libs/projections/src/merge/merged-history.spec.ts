import type { CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { foldJourney, type JourneyDocument } from '../journey';
import { type CustomerEvent, foldWithMerges } from '../runner/projection';
import type { ProjectedEvent } from '../shared/projected-event';
import { absorbs, combineHistories, mergedAway } from './merged-history';

const keep = createEventFactory({ customerId: 'keep', seed: 1 });
const dupe = createEventFactory({ customerId: 'dupe', seed: 2 });
const at = (day: number) => ({ occurredAt: `2025-01-${String(day).padStart(2, '0')}T00:00:00.000Z` });
const merge = { survivorId: 'keep', mergedId: 'dupe' };
const as = (customerId: string, event: CrmEvent, position: number): CustomerEvent => ({
  customerId,
  event,
  position,
});
type Doc = JourneyDocument & { readonly id: string; readonly position: number };
const fold = (doc: Doc | null, events: readonly ProjectedEvent[]) => foldJourney(doc, events);

describe('a merged history', () => {
  const own: ProjectedEvent[] = [
    { event: keep.customerRegistered({ segment: 'vip' }, at(5)), position: 3 },
    { event: keep.callLogged({ direction: 'inbound' }, at(6)), position: 4 },
    { event: keep.customersMerged(merge, at(9)), position: 9 },
  ];
  const theirs: ProjectedEvent[] = [
    { event: dupe.customerRegistered({ segment: 'retail' }, at(2)), position: 1 },
    { event: dupe.consentChanged({ purpose: 'marketing_email', granted: true }, at(3)), position: 2 },
    { event: dupe.purchaseCompleted({ orderId: 'd-1' }, at(4)), position: 5 },
    { event: dupe.profileUpdated({ segment: 'x' }, at(7)), position: 6 },
    { event: dupe.customersMerged(merge, at(9)), position: 8 },
  ];

  it("is the survivor's registration at the earlier instant and place, then both customers' touchpoints in log order", () => {
    const combined = combineHistories(own, [theirs]);
    expect(combined.map((e) => [e.event.type, e.position])).toEqual([
      ['CustomerRegistered', 1],
      ['CallLogged', 4],
      ['PurchaseCompleted', 5],
      ['CustomersMerged', 9],
    ]);
    expect(combined[0]?.event).toMatchObject({
      occurredAt: at(2).occurredAt,
      data: { customerId: 'keep', segment: 'vip' },
    });
  });

  it('keeps the survivor’s own registration when it is the earlier one', () => {
    const late = theirs.map((e) =>
      e.event.type === 'CustomerRegistered'
        ? { ...e, event: { ...e.event, occurredAt: at(8).occurredAt } }
        : e,
    );
    expect(combineHistories(own, [late])[0]?.event.occurredAt).toBe(at(5).occurredAt);
  });

  it('tells the two sides of a merge apart', () => {
    const event = keep.customersMerged(merge);
    expect([absorbs(event, 'keep'), mergedAway(event, 'keep')]).toEqual([true, false]);
    expect([absorbs(event, 'dupe'), mergedAway(event, 'dupe')]).toEqual([false, true]);
  });

  describe('folded into a document', () => {
    const survivorDoc = fold(null, own.slice(0, 2));
    const dupeDoc = fold(null, theirs.slice(0, 3));
    const history = combineHistories(own, [theirs]);

    it("deletes the merged customer's document at the merge, once", () => {
      const change = foldWithMerges(dupeDoc, [as('dupe', dupe.customersMerged(merge), 8)], fold);
      expect(change).toEqual({ before: dupeDoc, after: null, position: 8 });
      expect(foldWithMerges(null, [as('dupe', dupe.customersMerged(merge), 8)], fold)).toBeNull();
    });

    it("folds the survivor's effective history from nothing, then what follows", () => {
      const merged = { ...as('keep', keep.customersMerged(merge), 9), mergedHistory: history };
      const after = as('keep', keep.emailLogged({ direction: 'inbound' }, at(10)), 10);
      const change = foldWithMerges(survivorDoc, [merged, after], fold);
      expect(change?.after).toEqual(fold(null, [...history, after]));
      expect(change?.after).toMatchObject({
        registeredAt: at(2).occurredAt,
        stage: 'conversion',
        position: 10,
      });
      // Applied already: a redelivery changes nothing.
      expect(foldWithMerges(change?.after ?? null, [merged, after], fold)).toBeNull();
    });

    it('refuses a survivor’s merge without its history rather than lose it', () => {
      expect(() => foldWithMerges(survivorDoc, [as('keep', keep.customersMerged(merge), 9)], fold)).toThrow(
        'without the merged history',
      );
    });
  });
});
