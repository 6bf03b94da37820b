import type { CrmEvent } from '@crm/domain';
import { createEventFactory } from '@crm/domain/testing';
import { combineHistories } from '../merge/merged-history';
import type { CustomerEvent } from '../runner/projection';
import { CAMPAIGN_TOTALS_COLLECTION, campaignSetId } from './campaign-counters';
import type { CampaignCustomerDocument, CampaignMemberDocument } from './campaign-facts.document';
import {
  ALL_TIME,
  addCounts,
  campaignFigures,
  type CampaignFigures,
  type CampaignPeriod,
  memberCounts,
  NO_COUNTS,
} from './campaign-figures';
import { consentGranted } from './campaign-facts.fold';
import {
  CAMPAIGN_CUSTOMERS_COLLECTION,
  CAMPAIGN_MEMBERS_COLLECTION,
  campaignPerformanceProjectionFor,
} from './campaign-performance.projection';
import { InMemoryUnits } from './testing/in-memory-units';

const DAY = 86_400_000;
const T0 = Date.parse('2025-03-10T12:00:00.000Z');
/** An instant `days` (fractional) after T0. */
const day = (days: number): string => new Date(T0 + days * DAY).toISOString();
const at = (days: number) => ({ occurredAt: day(days) });

/** A log: each event gets the next global position, as the store would give it. */
class Log {
  private position = 0;
  readonly events: CustomerEvent[] = [];

  add(customerId: string, ...events: CrmEvent[]): CustomerEvent[] {
    const added = events.map((event) => ({ event, position: ++this.position, customerId }));
    this.events.push(...added);
    return added;
  }
}

function customer(customerId: string, seed: number) {
  const f = createEventFactory({ customerId, seed, startAt: day(-30) });
  return {
    f,
    registered: () => f.customerRegistered({}, at(-30)),
    sent: (campaignId: string, days: number) =>
      f.campaignInteraction({ campaignId, action: 'sent' }, at(days)),
    opened: (campaignId: string, days: number) =>
      f.campaignInteraction({ campaignId, action: 'opened' }, at(days)),
    clicked: (campaignId: string, days: number) =>
      f.campaignInteraction({ campaignId, action: 'clicked' }, at(days)),
    converted: (campaignId: string, days: number) =>
      f.campaignInteraction({ campaignId, action: 'converted' }, at(days)),
    purchase: (orderId: string, amount: number, days: number) =>
      f.purchaseCompleted({ orderId, amount }, at(days)),
    refund: (orderId: string, amount: number, days: number) =>
      f.purchaseRefunded({ orderId, amount }, at(days)),
  };
}

async function projected(events: readonly CustomerEvent[], windowDays = 7): Promise<InMemoryUnits> {
  const units = new InMemoryUnits(campaignPerformanceProjectionFor(windowDays));
  await units.apply(events);
  return units;
}

/** A campaign's figures for a period, summed from its member documents as the period read does. */
function figures(
  units: InMemoryUnits,
  campaignId: string,
  period: CampaignPeriod = ALL_TIME,
): CampaignFigures {
  const members = units
    .all<CampaignMemberDocument>(CAMPAIGN_MEMBERS_COLLECTION)
    .filter((member) => member.campaignId === campaignId);
  return campaignFigures(
    members.reduce((sum, member) => addCounts(sum, memberCounts(member, period)), NO_COUNTS),
  );
}

const revenueOf = (units: InMemoryUnits, campaignId: string, period?: CampaignPeriod): number =>
  figures(units, campaignId, period).attributedRevenue;

describe('campaign-performance projection', () => {
  describe('distinct customers per action and the rates', () => {
    it('counts each customer once per action, however often they interacted', async () => {
      const log = new Log();
      const a = customer('a', 1);
      const b = customer('b', 2);
      const c = customer('c', 3);
      log.add(
        'a',
        a.registered(),
        a.sent('spring', 0),
        a.sent('spring', 1),
        a.opened('spring', 1),
        a.opened('spring', 2),
      );
      log.add('a', a.clicked('spring', 2), a.clicked('spring', 2.5), a.converted('spring', 3));
      log.add('b', b.registered(), b.sent('spring', 0), b.opened('spring', 1));
      log.add('c', c.registered(), c.sent('spring', 0), c.sent('autumn', 0));
      const units = await projected(log.events);

      expect(figures(units, 'spring')).toEqual<CampaignFigures>({
        sent: 3,
        opened: 2,
        clicked: 1,
        converted: 1,
        attributedRevenue: 0,
        openRate: 2 / 3,
        clickRate: 1 / 3,
        clickToOpen: 1 / 2,
        conversionRate: 1 / 3,
      });
      expect(units.set(CAMPAIGN_TOTALS_COLLECTION, campaignSetId('spring'))).toEqual({
        sent: 3,
        opened: 2,
        clicked: 1,
        converted: 1,
      });
      expect(units.set(CAMPAIGN_TOTALS_COLLECTION, campaignSetId('autumn'))).toEqual({ sent: 1 });
    });

    it('gives null rates on an empty denominator, never 0 or NaN', async () => {
      const log = new Log();
      const a = customer('a', 1);
      // Clicked without a recorded send or open (e.g. sends imported elsewhere).
      log.add('a', a.registered(), a.clicked('no-sends', 1));
      const units = await projected(log.events);

      expect(figures(units, 'no-sends')).toMatchObject({
        sent: 0,
        opened: 0,
        clicked: 1,
        openRate: null,
        clickRate: null,
        clickToOpen: null,
        conversionRate: null,
      });
      expect(figures(units, 'never-seen')).toMatchObject({ sent: 0, openRate: null, clickToOpen: null });
    });

    it('counts a customer in a period only for interactions with occurredAt in [from, to)', async () => {
      const log = new Log();
      const a = customer('a', 1);
      const b = customer('b', 2);
      log.add('a', a.registered(), a.sent('spring', 0), a.opened('spring', 5));
      log.add('b', b.registered(), b.sent('spring', 4), b.opened('spring', 4.5));
      const units = await projected(log.events);
      const period = { from: day(4), to: day(5) };

      expect(figures(units, 'spring', period)).toMatchObject({ sent: 1, opened: 1, openRate: 1 });
      expect(figures(units, 'spring', { from: day(0), to: day(4) })).toMatchObject({ sent: 1, opened: 0 });
    });
  });

  describe('last-click attributed revenue', () => {
    it('credits the campaign of the latest click before the purchase', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.clicked('old', 1), a.clicked('new', 2), a.purchase('o-1', 5_000, 3));
      const units = await projected(log.events);

      expect(revenueOf(units, 'new')).toBe(5_000);
      expect(revenueOf(units, 'old')).toBe(0);
      expect(units.set(CAMPAIGN_TOTALS_COLLECTION, campaignSetId('new'))).toEqual({
        clicked: 1,
        attributedRevenue: 5_000,
      });
    });

    it('on a tie between clicks at the same instant, credits the click later in log order', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.clicked('first-logged', 1), a.clicked('second-logged', 1));
      log.add('a', a.purchase('o-1', 700, 2));
      const units = await projected(log.events);

      expect(revenueOf(units, 'second-logged')).toBe(700);
      expect(revenueOf(units, 'first-logged')).toBe(0);
    });

    it('ignores a click more than the window before the purchase, and counts one exactly at the window edge', async () => {
      const log = new Log();
      const a = customer('a', 1);
      const b = customer('b', 2);
      // a: the click is 7 days and 1 ms before the purchase; b: exactly 7 days before.
      log.add('a', a.registered(), a.clicked('spring', 0), a.purchase('o-1', 100, 7 + 1 / DAY));
      log.add('b', b.registered(), b.clicked('spring', 0), b.purchase('o-1', 200, 7));
      const units = await projected(log.events);

      expect(revenueOf(units, 'spring')).toBe(200);
    });

    it('follows the configured window', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.clicked('spring', 0), a.purchase('o-1', 100, 10));

      expect(revenueOf(await projected(log.events, 7), 'spring')).toBe(0);
      expect(revenueOf(await projected(log.events, 30), 'spring')).toBe(100);
    });

    it('ignores a click after the purchase, and counts one at the purchase instant', async () => {
      const log = new Log();
      const a = customer('a', 1);
      const b = customer('b', 2);
      log.add('a', a.registered(), a.purchase('o-1', 100, 3), a.clicked('later', 3 + 1 / DAY));
      log.add('b', b.registered(), b.purchase('o-1', 250, 3), b.clicked('same-instant', 3));
      const units = await projected(log.events);

      expect(revenueOf(units, 'later')).toBe(0);
      expect(revenueOf(units, 'same-instant')).toBe(250);
    });

    it('credits each purchase to one campaign at most', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.clicked('x', 1), a.clicked('y', 1.5), a.purchase('o-1', 1_000, 2));
      log.add('a', a.clicked('x', 2.5), a.purchase('o-2', 300, 3));
      const units = await projected(log.events);

      expect(revenueOf(units, 'y')).toBe(1_000);
      expect(revenueOf(units, 'x')).toBe(300);
    });

    it('nets refunds of attributed orders and ignores refunds of unattributed ones', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.purchase('o-0', 9_000, 0.5), a.clicked('spring', 1));
      log.add('a', a.purchase('o-1', 5_000, 2), a.refund('o-1', 1_500, 4), a.refund('o-0', 9_000, 4));
      const units = await projected(log.events);

      expect(revenueOf(units, 'spring')).toBe(3_500);
      expect(units.set(CAMPAIGN_TOTALS_COLLECTION, campaignSetId('spring'))).toEqual({
        clicked: 1,
        attributedRevenue: 3_500,
      });
    });

    it('takes purchases and refunds by their own occurredAt in a period', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add(
        'a',
        a.registered(),
        a.clicked('spring', 1),
        a.purchase('o-1', 5_000, 2),
        a.refund('o-1', 2_000, 12),
      );
      const units = await projected(log.events);

      expect(revenueOf(units, 'spring', { from: day(0), to: day(10) })).toBe(5_000);
      // A refund of an earlier attributed order reduces the period it falls in (C22).
      expect(revenueOf(units, 'spring', { from: day(10), to: day(20) })).toBe(-2_000);
      expect(revenueOf(units, 'spring')).toBe(3_000);
    });

    it('attributes the same whatever order the facts arrive in (history import)', async () => {
      const a = customer('a', 1);
      const events = {
        registered: a.registered(),
        clickOld: a.clicked('old', 1),
        clickNew: a.clicked('new', 2.5),
        purchase: a.purchase('o-1', 4_000, 3),
        refund: a.refund('o-1', 1_000, 4),
      };
      const inOrder = new Log();
      inOrder.add('a', events.registered, events.clickOld, events.clickNew, events.purchase, events.refund);
      const shuffled = new Log();
      shuffled.add('a', events.registered, events.refund, events.purchase, events.clickOld);
      // The later click arrives last, in a batch of its own: the purchase moves from old to new.
      const unitsShuffled = await projected(shuffled.events);
      expect(revenueOf(unitsShuffled, 'old')).toBe(3_000);
      await unitsShuffled.apply(shuffled.add('a', events.clickNew));

      const unitsInOrder = await projected(inOrder.events);
      expect(revenueOf(unitsShuffled, 'new')).toBe(3_000);
      expect(revenueOf(unitsShuffled, 'old')).toBe(0);
      expect(unitsShuffled.sets(CAMPAIGN_TOTALS_COLLECTION)).toEqual(
        unitsInOrder.sets(CAMPAIGN_TOTALS_COLLECTION),
      );
      const withoutPosition = (docs: CampaignMemberDocument[]) =>
        docs.map(({ position: _, ...rest }) => rest);
      expect(withoutPosition(unitsShuffled.all(CAMPAIGN_MEMBERS_COLLECTION))).toEqual(
        withoutPosition(unitsInOrder.all(CAMPAIGN_MEMBERS_COLLECTION)),
      );
    });
  });

  describe('idempotency, merges, erasure, retraction', () => {
    it('changes nothing when the same batch is applied twice', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.sent('spring', 0), a.clicked('spring', 1), a.purchase('o-1', 900, 2));
      const units = await projected(log.events);
      const counters = units.sets(CAMPAIGN_TOTALS_COLLECTION);
      const members = units.all(CAMPAIGN_MEMBERS_COLLECTION);

      const replayed = await units.apply(log.events);

      expect(replayed).toEqual([]);
      expect(units.sets(CAMPAIGN_TOTALS_COLLECTION)).toEqual(counters);
      expect(units.all(CAMPAIGN_MEMBERS_COLLECTION)).toEqual(members);
      expect(counters).toEqual({
        [campaignSetId('spring')]: { sent: 1, clicked: 1, attributedRevenue: 900 },
      });
    });

    it('ends in the same documents, positions included, applied event by event or all at once', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add(
        'a',
        a.registered(),
        a.sent('x', 0),
        a.clicked('x', 1),
        a.sent('y', 1.5),
        a.purchase('o-1', 900, 2),
      );
      log.add(
        'a',
        a.f.consentChanged({}, at(2.5)),
        a.clicked('y', 1.8),
        a.refund('o-1', 100, 3),
        a.opened('x', 4),
      );
      const atOnce = await projected(log.events);
      const oneByOne = new InMemoryUnits(campaignPerformanceProjectionFor(7));
      for (const e of log.events) await oneByOne.apply([e]);

      expect(oneByOne.all(CAMPAIGN_MEMBERS_COLLECTION)).toEqual(atOnce.all(CAMPAIGN_MEMBERS_COLLECTION));
      expect(oneByOne.all(CAMPAIGN_CUSTOMERS_COLLECTION)).toEqual(atOnce.all(CAMPAIGN_CUSTOMERS_COLLECTION));
      expect(oneByOne.sets(CAMPAIGN_TOTALS_COLLECTION)).toEqual(atOnce.sets(CAMPAIGN_TOTALS_COLLECTION));
      // The late click (back-dated before the purchase) moved the order from x to y.
      expect(revenueOf(oneByOne, 'y')).toBe(800);
      expect(revenueOf(oneByOne, 'x')).toBe(0);
    });

    it('counts a merged customer as the survivor: one customer, their clicks and purchases combined', async () => {
      const log = new Log();
      const s = customer('s', 1);
      const m = customer('m', 2);
      const survivorOwn = log.add('s', s.registered(), s.sent('spring', 0), s.purchase('o-s', 400, 3));
      const mergedOwn = log.add('m', m.registered(), m.sent('spring', 0), m.clicked('spring', 2));
      const units = await projected(log.events);
      expect(figures(units, 'spring')).toMatchObject({ sent: 2, clicked: 1, attributedRevenue: 0 });

      const merge = { survivorId: 's', mergedId: 'm' };
      const [mergedSide] = log.add('m', m.f.customersMerged(merge, at(5)));
      const [survivorSide] = log.add('s', s.f.customersMerged(merge, at(5)));
      const history = combineHistories([...survivorOwn, survivorSide!], [[...mergedOwn, mergedSide!]]);
      await units.apply([mergedSide!, { ...survivorSide!, mergedHistory: history }]);

      // The survivor's purchase now follows the merged customer's click.
      expect(figures(units, 'spring')).toMatchObject({ sent: 1, clicked: 1, attributedRevenue: 400 });
      expect(units.all<CampaignMemberDocument>(CAMPAIGN_MEMBERS_COLLECTION).map((doc) => doc.id)).toEqual([
        'spring|s',
      ]);
      expect(units.all(CAMPAIGN_CUSTOMERS_COLLECTION).map((doc) => doc.id)).toEqual(['s']);
      expect(units.sets(CAMPAIGN_TOTALS_COLLECTION)).toEqual({
        [campaignSetId('spring')]: { sent: 1, clicked: 1, attributedRevenue: 400 },
      });
    });

    it('keeps the latest consent per purpose and marks an erased customer without moving a figure', async () => {
      const log = new Log();
      const a = customer('a', 1);
      log.add('a', a.registered(), a.sent('spring', 0));
      log.add('a', a.f.consentChanged({ purpose: 'marketing_email', granted: true }, at(2)));
      log.add('a', a.f.consentChanged({ purpose: 'marketing_email', granted: false }, at(1)));
      log.add('a', a.f.consentChanged({ purpose: 'sms', granted: false }, at(1)));
      const units = await projected(log.events);
      const before = units.sets(CAMPAIGN_TOTALS_COLLECTION);
      await units.apply(log.add('a', a.f.customerErased({}, at(3))));

      const [doc] = units.all<CampaignCustomerDocument & { id: string; position: number }>(
        CAMPAIGN_CUSTOMERS_COLLECTION,
      );
      expect(doc?.erased).toBe(true);
      expect(consentGranted(doc!, 'marketing_email')).toBe(true);
      expect(consentGranted(doc!, 'sms')).toBe(false);
      expect(consentGranted(doc!, 'phone')).toBe(false);
      expect(units.sets(CAMPAIGN_TOTALS_COLLECTION)).toEqual(before);
    });

    it('retracts a customer: members deleted and counters taken back out', async () => {
      const log = new Log();
      const a = customer('a', 1);
      const b = customer('b', 2);
      log.add('a', a.registered(), a.sent('spring', 0), a.clicked('spring', 1), a.purchase('o-1', 900, 2));
      log.add('b', b.registered(), b.sent('spring', 0));
      const units = await projected(log.events);

      await units.retract(['a']);

      expect(units.all<CampaignMemberDocument>(CAMPAIGN_MEMBERS_COLLECTION).map((doc) => doc.id)).toEqual([
        'spring|b',
      ]);
      expect(units.sets(CAMPAIGN_TOTALS_COLLECTION)).toEqual({ [campaignSetId('spring')]: { sent: 1 } });
    });
  });
});
