import {
  type CounterPairSum,
  type CounterSet,
  counterEntries,
  type IncrementWrite,
  sumCounterPairs,
} from '@crm/read-store';
import { DAY_MS, epochMs } from '../../shared/instant';
import type { ProjectedEvent } from '../../shared/projected-event';
import { randomBatches, type Random, randomInt, seededRandom } from '../../shared/testing/fold-equivalence';
import { randomHistory } from '../../shared/testing/random-history';
import type { IdicDocument } from '../idic.document';
import { foldIdic } from '../idic.projection';
import { rankAmong, recencyDays } from '../idic.scores';
import type { IdicRanks } from '../idic.view';
import {
  countRankChange,
  IDIC_RANK_HISTORY_COLLECTION,
  IDIC_RANKS_COLLECTION,
  RankTally,
} from './rank-counters';
import { historyRankQuery, liveRankQuery } from './rank-reads';

/** Counter sets in memory, changed by increment writes as a read store would. */
class MemoryCounters {
  private readonly sets = new Map<string, Map<string, number>>();

  apply(writes: readonly IncrementWrite[]): void {
    for (const write of writes) {
      const key = `${write.collection}/${write.id}`;
      const counters = this.sets.get(key) ?? new Map<string, number>();
      this.sets.set(key, counters);
      for (const [name, delta] of counterEntries(write.counters)) {
        const total = (counters.get(name) ?? 0) + delta;
        if (total === 0) counters.delete(name);
        else counters.set(name, total);
      }
    }
  }

  sum(collection: string, sums: readonly CounterPairSum[]): number[] {
    return sums.map((sum) => sumCounterPairs(this.sets.get(`${collection}/${sum.set}`) ?? new Map(), sum));
  }

  get(collection: string, ids: readonly string[]): CounterSet[] {
    return ids.flatMap((id) => {
      const counters = this.sets.get(`${collection}/${id}`);
      return counters === undefined || counters.size === 0 ? [] : [{ id, counters }];
    });
  }

  snapshot(): string {
    const nonEmpty = [...this.sets].filter(([, counters]) => counters.size > 0);
    return JSON.stringify(nonEmpty.map(([key, counters]) => [key, [...counters].sort()]).sort());
  }
}

function increments(before: IdicDocument | null, after: IdicDocument | null): IncrementWrite[] {
  const tally = new RankTally();
  countRankChange(tally, before, after);
  return tally.writes().filter((write): write is IncrementWrite => write.kind === 'increment');
}

type Customer = { readonly events: readonly ProjectedEvent[]; readonly doc: IdicDocument | null };

function population(random: Random, size: number): Customer[] {
  return Array.from({ length: size }, (_, index) => {
    const events = randomHistory(random, 1 + randomInt(random, 40), `c-${index}`);
    return { events, doc: foldIdic(null, events) };
  });
}

function bruteForceRanks(all: readonly IdicDocument[], own: IdicDocument, asOf: string): IdicRanks {
  const purchasers = all.filter((doc) => doc.orders >= 1 && doc.lastPurchaseAt !== null);
  const negativeDays = (doc: IdicDocument) => -recencyDays(doc.lastPurchaseAt ?? asOf, asOf);
  return {
    recencyLower: rankAmong(purchasers.map(negativeDays), negativeDays(own)),
    frequencyLower: rankAmong(
      purchasers.map((doc) => doc.orders),
      own.orders,
    ),
    monetaryLower: rankAmong(
      purchasers.map((doc) => doc.netRevenue),
      own.netRevenue,
    ),
    purchasers: purchasers.length,
  };
}

function liveRanks(counters: MemoryCounters, doc: IdicDocument, asOf: string): IdicRanks {
  const days = recencyDays(doc.lastPurchaseAt ?? asOf, asOf);
  const query = liveRankQuery({
    netRevenue: doc.netRevenue,
    orders: doc.orders,
    staleFromMs: epochMs(asOf) - (days + 1) * DAY_MS,
  });
  return query.ranksFrom(counters.sum(IDIC_RANKS_COLLECTION, query.sums));
}

describe('rank counters', () => {
  const random = seededRandom(77);
  const customers = population(random, 80);
  const counters = new MemoryCounters();
  for (const { doc } of customers) counters.apply(increments(null, doc));

  it('add up to the same sets whether a customer is counted at once or batch by batch', () => {
    const batched = new MemoryCounters();
    for (const { events } of customers) {
      let doc: IdicDocument | null = null;
      for (const batch of randomBatches(events, random)) {
        const next = foldIdic(doc, batch);
        batched.apply(increments(doc, next));
        doc = next;
      }
    }
    expect(batched.snapshot()).toEqual(counters.snapshot());
  });

  it('give every purchaser the live ranks a count over all documents gives, at any instant', () => {
    const docs = customers.flatMap(({ doc }) => (doc === null ? [] : [doc]));
    // Arbitrary instants, and whole days after a purchase, where a last purchase lies exactly on a recency bound.
    const start = Date.parse('2024-01-01T00:00:00Z');
    const arbitrary = Array.from({ length: 8 }, () =>
      new Date(start + randomInt(random, 500 * 24) * 3_600_000 + randomInt(random, 3_600_000)).toISOString(),
    );
    const lastPurchases = docs.flatMap((doc) =>
      doc.lastPurchaseAt === null ? [] : [epochMs(doc.lastPurchaseAt)],
    );
    const onBounds = Array.from({ length: 8 }, () =>
      new Date(
        (lastPurchases[randomInt(random, lastPurchases.length)] ?? start) +
          (1 + randomInt(random, 20)) * DAY_MS,
      ).toISOString(),
    );
    const instants = [...arbitrary, ...onBounds];
    for (const asOf of instants) {
      for (const doc of docs.filter((candidate) => candidate.orders >= 1)) {
        expect({ asOf, customer: doc.id, ranks: liveRanks(counters, doc, asOf) }).toEqual({
          asOf,
          customer: doc.id,
          ranks: bruteForceRanks(docs, doc, asOf),
        });
      }
    }
  });

  it('give every purchaser as of a day the ranks among the purchasers as of that day', () => {
    const start = Math.floor(Date.parse('2023-12-20T00:00:00Z') / DAY_MS);
    const days = [start, ...Array.from({ length: 14 }, () => start + randomInt(random, 460))];
    for (const day of days) {
      const asOf = new Date(day * DAY_MS).toISOString();
      const docs = customers.flatMap(({ events }) => {
        const doc = foldIdic(
          null,
          events.filter((e) => epochMs(e.event.occurredAt) < day * DAY_MS),
        );
        return doc === null ? [] : [doc];
      });
      for (const own of docs.filter((doc) => doc.orders >= 1 && doc.lastPurchaseAt !== null)) {
        const values = {
          netRevenue: own.netRevenue,
          orders: own.orders,
          lastPurchaseMs: epochMs(own.lastPurchaseAt ?? asOf),
        };
        const query = historyRankQuery(day, values);
        const ranks = query.ranksFrom(counters.sum(IDIC_RANK_HISTORY_COLLECTION, query.sums));
        expect({ asOf, customer: own.id, ranks }).toEqual({
          asOf,
          customer: own.id,
          ranks: bruteForceRanks(docs, own, asOf),
        });
      }
    }
  });

  it('take a customer back out exactly: counting a document and then none leaves nothing', () => {
    const emptied = new MemoryCounters();
    for (const { doc } of customers) {
      emptied.apply(increments(null, doc));
      emptied.apply(increments(doc, null));
    }
    expect(emptied.snapshot()).toBe('[]');
  });
});
