import { type IdicDocument, type IdicRanks, recencyDays } from '@crm/projections';

type Ranked = Pick<IdicDocument, 'orders' | 'netRevenue' | 'lastPurchaseAt'>;

/**
 * RFM ranks (domain.md) among the purchasers of an in-memory population, by
 * binary search over sorted values: O(N log N) to build, O(log N) a rank.
 * L counts purchasers with a strictly lower value; for recency the value is
 * −daysSinceLastPurchase at asOf.
 */
export class PopulationRanker {
  private readonly negativeDays: number[];
  private readonly orders: number[];
  private readonly netRevenue: number[];

  constructor(
    documents: Iterable<Ranked>,
    private readonly asOf: string,
  ) {
    const purchasers = [...documents].filter((doc) => doc.orders >= 1 && doc.lastPurchaseAt !== null);
    const ascending = (a: number, b: number): number => a - b;
    this.negativeDays = purchasers.map((doc) => this.negativeDaysOf(doc)).sort(ascending);
    this.orders = purchasers.map((doc) => doc.orders).sort(ascending);
    this.netRevenue = purchasers.map((doc) => doc.netRevenue).sort(ascending);
  }

  get purchasers(): number {
    return this.orders.length;
  }

  /** Null for a prospect: RFM ranks purchasers only. */
  ranksOf(doc: Ranked): IdicRanks | null {
    if (doc.orders < 1 || doc.lastPurchaseAt === null) return null;
    return {
      recencyLower: lowerCount(this.negativeDays, this.negativeDaysOf(doc)),
      frequencyLower: lowerCount(this.orders, doc.orders),
      monetaryLower: lowerCount(this.netRevenue, doc.netRevenue),
      purchasers: this.purchasers,
    };
  }

  private negativeDaysOf(doc: Ranked): number {
    return -recencyDays(doc.lastPurchaseAt ?? this.asOf, this.asOf);
  }
}

/** How many sorted values are strictly lower than `value`. */
function lowerCount(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((sorted[mid] ?? Infinity) < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
