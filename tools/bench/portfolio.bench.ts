import { join } from 'node:path';
import { PredictedValueFits } from '@crm/analytics';
import {
  COHORT_COUNTERS_COLLECTION,
  type MoneyFact,
  PortfolioQueries,
  PURCHASE_HISTORY_COLLECTION,
  type PurchaseHistoryDocument,
} from '@crm/projections';
import { SqliteReadStore, type Write } from '@crm/read-store';
import { simulateCustomers } from '../../libs/analytics/src/predicted-value/model/testing/simulate';

export type PortfolioBenchResult = {
  readonly customers: number;
  readonly customersWithRepeat: number;
  readonly purchases: number;
  /** The whole POST /analytics/predicted-value/fit path: read every history, fit both models, store every prediction. */
  readonly fitSeconds: number;
  /** The longest the event loop waited for a turn during the fit (it runs on the serving thread, sliced). */
  readonly eventLoopMaxGapMs: number;
  readonly bgnbdIterations: number;
  readonly gammaGammaIterations: number;
  readonly truth: Record<string, number>;
  readonly estimate: Record<string, number>;
};

const DAY = 86_400_000;
const START = Date.parse('2024-01-01T00:00:00.000Z');
const TRUE_BG_NBD = { r: 0.5, alpha: 12, a: 0.9, b: 3 };
const TRUE_SPEND = { p: 5, q: 4, gamma: 2500 };

/**
 * Fit time for `customers` customers (a simulated BG/NBD population, two
 * years of first purchases, a fixed seed) written as customer-portfolio
 * documents into an embedded read store, then fitted as the route does
 * (PredictedValueFits: read the histories, summarise, fit BG/NBD and
 * Gamma-Gamma, commit the fit and one prediction per customer).
 */
export async function benchPortfolio(
  dataDir: string,
  customers: number,
  log: (line: string) => void,
): Promise<PortfolioBenchResult> {
  const store = await SqliteReadStore.open({
    file: join(dataDir, 'portfolio.sqlite'),
    synchronous: 'normal',
  });
  try {
    await store.ensureCollections([
      { name: PURCHASE_HISTORY_COLLECTION, indexes: [] },
      { name: COHORT_COUNTERS_COLLECTION, indexes: [], kind: 'counters' },
    ]);
    const end = START + 730 * DAY;
    const simulated = simulateCustomers(customers, TRUE_BG_NBD, TRUE_SPEND, { minT: 1, maxT: 730 }, 2005);
    let purchases = 0;
    let writes: Write[] = [];
    let position = 0;
    for (const [index, c] of simulated.entries()) {
      const first = end - Math.ceil(c.T) * DAY;
      const customerId = `bench-${String(index).padStart(6, '0')}`;
      const facts: MoneyFact[] = [{ orderId: `${customerId}-0`, at: first + 12 * 3600_000, amount: 2000 }];
      // Whole days apart (a fractional day would fall on the first day's date).
      let day = 0;
      c.values.forEach((value, k) => {
        day = Math.max(day + 1, Math.round(((k + 1) / c.x) * c.tx));
        facts.push({
          orderId: `${customerId}-${k + 1}`,
          at: first + day * DAY + 12 * 3600_000,
          amount: Math.max(1, Math.round(value)),
        });
      });
      purchases += facts.length;
      const document: PurchaseHistoryDocument = {
        id: customerId,
        position: ++position,
        customerId,
        purchases: facts.filter((f) => f.at < end),
        refunds: [],
        erased: false,
      };
      writes.push({ kind: 'put', collection: PURCHASE_HISTORY_COLLECTION, document });
      if (writes.length === 5000) {
        await store.commit({ projection: 'bench-portfolio', position, writes });
        writes = [];
      }
    }
    if (writes.length > 0) await store.commit({ projection: 'bench-portfolio', position, writes });
    log(`portfolio: ${customers} customers, ${purchases} purchases written; fitting`);
    const fits = new PredictedValueFits(store, new PortfolioQueries(store), {
      position: () => position,
      now: () => new Date(end),
    });
    const probe = loopProbe();
    const started = process.hrtime.bigint();
    const fit = await fits.fit({ calibrationEnd: new Date(end).toISOString(), unit: 'day' });
    const fitSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const eventLoopMaxGapMs = probe.stop();
    log(`portfolio: fitted in ${fitSeconds.toFixed(1)} s`);
    return {
      customers: fit.customers,
      customersWithRepeat: fit.customersWithRepeat,
      purchases,
      fitSeconds: Math.round(fitSeconds * 100) / 100,
      eventLoopMaxGapMs: Math.round(eventLoopMaxGapMs),
      bgnbdIterations: fit.bgnbd.iterations,
      gammaGammaIterations: fit.gammaGamma?.iterations ?? 0,
      truth: { ...TRUE_BG_NBD, ...TRUE_SPEND },
      estimate: {
        r: fit.bgnbd.r,
        alpha: fit.bgnbd.alpha,
        a: fit.bgnbd.a,
        b: fit.bgnbd.b,
        p: fit.gammaGamma?.p ?? Number.NaN,
        q: fit.gammaGamma?.q ?? Number.NaN,
        gamma: fit.gammaGamma?.gamma ?? Number.NaN,
      },
    };
  } finally {
    await store.close();
  }
}

/** Re-queues itself with setImmediate and keeps the longest gap between two of its turns. */
function loopProbe(): { stop(): number } {
  let last = performance.now();
  let longest = 0;
  let running = true;
  const turn = (): void => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
    if (running) setImmediate(turn);
  };
  setImmediate(turn);
  return {
    stop: () => {
      running = false;
      return longest;
    },
  };
}
