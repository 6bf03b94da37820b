import type { CrmEvent, CustomerRegistered } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import type { LoggedEvent } from '../../queries/testing/projected-read-models';

/**
 * Two logs that must read the same (merge/merged-history.ts):
 *
 * - `merged`: `keep` and `dupe` have overlapping histories (purchases, a
 *   refund, surveys, support cases, one breached, survey requests, one of
 *   dupe's answered on both streams, interleaved in time and in the log),
 *   `dupe` registered first and gave a consent `keep` did not; then `dupe`
 *   is merged into `keep`, and `keep` goes on.
 * - `combined`: `keep` had the combined history from the start: `keep`'s
 *   registration (its profile) at `dupe`'s earlier instant and log place,
 *   both customers' touchpoints in the same log order, no `dupe`, no
 *   consent of `dupe`'s.
 *
 * Other customers buy around them, so ranks and tiers have a population.
 * `beforeMerge` is the number of `merged` events before the merge, `mergedAt`
 * the merge's occurredAt.
 */
export type MergeWorlds = {
  readonly merged: readonly LoggedEvent[];
  readonly combined: readonly LoggedEvent[];
  readonly beforeMerge: number;
  readonly mergedAt: string;
};

const day = (n: number, hour = 9) => ({
  occurredAt: `2025-01-${String(n).padStart(2, '0')}T${String(hour).padStart(2, '0')}:00:00.000Z`,
});

export function mergeWorlds(): MergeWorlds {
  const keep = createEventFactory({ customerId: 'keep', seed: 11 });
  const dupe = createEventFactory({ customerId: 'dupe', seed: 12 });
  const others = ['ann', 'ben', 'cat'].map((customerId, i) =>
    createEventFactory({ customerId, seed: 20 + i }),
  );
  const [ann, ben, cat] = others as [typeof keep, typeof keep, typeof keep];
  type Step = { readonly customerId: string; readonly event: CrmEvent };
  const k = (event: CrmEvent): Step => ({ customerId: 'keep', event });
  const d = (event: CrmEvent): Step => ({ customerId: 'dupe', event });
  const o = (f: typeof keep, event: CrmEvent): Step => ({ customerId: f.customerId, event });

  const dupeRegistration = dupe.customerRegistered(
    { kind: 'person', name: 'A. Lovelace', email: 'ada@example.com', segment: 'retail' },
    day(2),
  );
  const keepRegistration = keep.customerRegistered(
    {
      kind: 'person',
      name: 'Ada Lovelace',
      email: 'Ada@Example.com',
      phone: '+44 20 7946 0958',
      segment: 'vip',
    },
    day(5),
  );
  const before: Step[] = [
    o(ann, ann.customerRegistered({ segment: 'retail' }, day(1))),
    d(dupeRegistration),
    o(ben, ben.customerRegistered({ segment: 'vip' }, day(2, 10))),
    d(dupe.consentChanged({ purpose: 'marketing_email', granted: true }, day(3))),
    d(dupe.emailLogged({ direction: 'inbound' }, day(3, 12))),
    o(ann, ann.purchaseCompleted({ orderId: 'a-1', amount: 4_000, channel: 'web' }, day(4))),
    k(keepRegistration),
    d(dupe.purchaseCompleted({ orderId: 'd-1', amount: 3_000, channel: 'store' }, day(6))),
    o(cat, cat.customerRegistered({ segment: 'retail' }, day(6, 11))),
    k(keep.callLogged({ direction: 'outbound' }, day(7))),
    k(keep.purchaseCompleted({ orderId: 'k-1', amount: 7_000, channel: 'web', items: [] }, day(8))),
    d(dupe.surveyAnswered({ surveyType: 'nps', score: 10 }, day(9))),
    o(ben, ben.purchaseCompleted({ orderId: 'b-1', amount: 12_000, channel: 'app' }, day(9, 12))),
    d(dupe.purchaseRefunded({ orderId: 'd-1', amount: 500, currency: 'EUR' }, day(10))),
    k(keep.supportCaseOpened({ caseId: 'c-1', subject: 'late parcel' }, day(10, 11))),
    // Back-dated: logged after the keep's case, happened before dupe's first purchase.
    d(dupe.messageLogged({ channel: 'chat', direction: 'inbound' }, day(5, 15))),
    k(keep.supportCaseResponded({ caseId: 'c-1' }, day(10, 13))),
    o(cat, cat.purchaseCompleted({ orderId: 'c-1', amount: 2_000, channel: 'web' }, day(11))),
    k(keep.surveyAnswered({ surveyType: 'nps', score: 6 }, day(12))),
    // dupe's click earns dupe's next purchase for summer (counted as keep's after the merge).
    d(dupe.campaignInteraction({ campaignId: 'summer', action: 'clicked' }, day(12, 18))),
    d(dupe.purchaseCompleted({ orderId: 'd-2', amount: 1_500, channel: 'app' }, day(13))),
    k(keep.surveyAnswered({ surveyType: 'csat', score: 4 }, day(14))),
    d(dupe.supportCaseOpened({ caseId: 'd-c', subject: 'wrong size' }, day(15, 10))),
    d(dupe.supportCaseSlaBreached({ caseId: 'd-c', dueAt: day(15, 14).occurredAt }, day(15, 14))),
    d(dupe.surveyRequested({ requestId: 'r-d', caseId: 'd-c' }, day(16))),
    k(keep.surveyRequested({ requestId: 'r-k', caseId: 'c-1' }, day(17))),
    d(dupe.surveyAnswered({ requestId: 'r-d', surveyType: 'csat', score: 5 }, day(18))),
  ];
  const mergedAt = day(20).occurredAt;
  const merge = { survivorId: 'keep', mergedId: 'dupe' };
  const after: Step[] = [
    k(keep.purchaseCompleted({ orderId: 'k-2', amount: 2_500, channel: 'web' }, day(22))),
    o(ann, ann.purchaseCompleted({ orderId: 'a-2', amount: 1_000, channel: 'web' }, day(23))),
    k(keep.campaignInteraction({ campaignId: 'spring', action: 'clicked' }, day(24))),
    // dupe's request answered again, now on the survivor's stream; then keep's own.
    k(keep.surveyAnswered({ requestId: 'r-d', surveyType: 'csat', score: 3 }, day(25))),
    k(keep.surveyAnswered({ requestId: 'r-k', surveyType: 'csat', score: 4 }, day(26))),
  ];
  const merged: LoggedEvent[] = [
    ...before,
    d(dupe.customersMerged(merge, { occurredAt: mergedAt })),
    k(keep.customersMerged(merge, { occurredAt: mergedAt })),
    ...after,
  ];
  const asKeep = (step: Step): Step => ({ customerId: 'keep', event: step.event });
  const combined: LoggedEvent[] = [...before, ...after].flatMap((step): Step[] => {
    if (step.event === dupeRegistration) {
      const registration: CustomerRegistered = {
        ...keepRegistration,
        occurredAt: dupeRegistration.occurredAt,
      };
      return [k(registration)];
    }
    if (step.event === keepRegistration) return [];
    if (step.customerId !== 'dupe') return [step];
    return step.event.type === 'ConsentChanged' ? [] : [asKeep(step)];
  });
  return { merged, combined, beforeMerge: before.length, mergedAt };
}
