import { once } from 'node:events';
import { Pool } from 'undici';
import { devKeyHeader, freePort, startApi } from '../support/built-api';
import { touchpoint } from './http-ingest.bench';
import {
  histogramDelta,
  histogramQuantile,
  type HistogramScrape,
  parseHistogram,
} from './prometheus-histogram';
import { round, runConcurrently, summarise, type LatencySummary } from './stats';

export type FreshnessResult = LatencySummary & {
  readonly requests: number;
  readonly concurrency: number;
  readonly samples: number;
  readonly eventsPerSecond: number;
  readonly errors: number;
  /** The writes' own latency (sent → acknowledged) in the same run: what projection work costs ingest. */
  readonly ingest: LatencySummary;
  /**
   * The same freshness seen from inside the API, without the sampling read's
   * own round trip through the loaded server: every event of the measured
   * phase from its commit to the log until the thread serving HTTP sees it
   * in every read model (crm_projection_visible_seconds, estimated within
   * its buckets as Prometheus's histogram_quantile does).
   */
  readonly visible: { readonly events: number; readonly p50Ms: number | null; readonly p99Ms: number | null };
};

const VISIBLE_HISTOGRAM = 'crm_projection_visible_seconds';

async function scrapeVisible(pool: Pool): Promise<HistogramScrape> {
  const response = await pool.request({ method: 'GET', path: '/metrics' });
  return parseHistogram(await response.body.text(), VISIBLE_HISTOGRAM);
}

function inMs(seconds: number | null): number | null {
  return seconds === null ? null : round(seconds * 1000);
}

/**
 * Freshness under ingest load: while `concurrency` clients append touchpoints
 * over HTTP, every `sampleEvery`-th write is followed by a journey read with
 * `minPosition` = the position the write returned. The sample is the time
 * from the write's acknowledgement to the read answering, i.e. until the
 * touchpoint is visible in the journey (one HTTP round trip included).
 * `ingest` is every write's latency meanwhile, projections on. The API runs
 * with the environment's PROJECTIONS_THREAD (default: worker).
 */
export async function benchFreshness(
  dataDir: string,
  requests: number,
  concurrency: number,
  customers: number,
  log: (line: string) => void,
  sampleEvery = 20,
): Promise<FreshnessResult> {
  const port = await freePort();
  const api = await startApi(dataDir, port);
  const auth = devKeyHeader(dataDir);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency + 4, pipelining: 1 });
  const freshness: number[] = [];
  const writes: number[] = [];
  let head = 0;
  let errors = 0;
  try {
    const ids = Array.from({ length: customers }, (_, index) => `fresh-${index}`);
    await runConcurrently(customers, concurrency, async (index) => {
      const response = await pool.request({
        method: 'POST',
        path: '/customers',
        headers: { 'content-type': 'application/json', ...auth },
        body: JSON.stringify({ customerId: ids[index], kind: 'person', name: `Customer ${index}` }),
      });
      await response.body.text();
    });
    // Registrations made visible before the measured phase stay out of the server-side figure.
    await pool
      .request({
        method: 'GET',
        path: `/customers/${ids[0]}/journey?minPosition=${customers}`,
        headers: auth,
      })
      .then((r) => r.body.text());
    const visibleBefore = await scrapeVisible(pool);
    log(
      `freshness: ${requests} touchpoints with concurrency ${concurrency}, sampling every ${sampleEvery}th`,
    );
    const { elapsedMs } = await runConcurrently(
      requests,
      concurrency,
      async (index) => {
        const customerId = ids[index % customers] ?? '';
        const sent = performance.now();
        const write = await pool.request({
          method: 'POST',
          path: `/customers/${customerId}/touchpoints`,
          headers: { 'content-type': 'application/json', ...auth },
          body: JSON.stringify(touchpoint(index)),
        });
        const written = (await write.body.json()) as { globalPosition?: number };
        if (written.globalPosition !== undefined) head = Math.max(head, written.globalPosition);
        const acknowledged = performance.now();
        writes.push(acknowledged - sent);
        if (write.statusCode !== 201 || written.globalPosition === undefined) {
          errors++;
          return;
        }
        if (index % sampleEvery !== 0) return;
        const read = await pool.request({
          method: 'GET',
          path: `/customers/${customerId}/journey?limit=1&minPosition=${written.globalPosition}`,
          headers: auth,
        });
        await read.body.text();
        if (read.statusCode !== 200) errors++;
        else freshness.push(performance.now() - acknowledged);
      },
      (done) => log(`freshness: ${done}/${requests}`),
    );
    // The last writes become visible a moment after their acknowledgement: wait for them too.
    await pool
      .request({ method: 'GET', path: `/customers/${ids[0]}/journey?minPosition=${head}`, headers: auth })
      .then((r) => r.body.text());
    const visible = histogramDelta(visibleBefore, await scrapeVisible(pool));
    return {
      requests,
      concurrency,
      samples: freshness.length,
      eventsPerSecond: round((requests / elapsedMs) * 1000, 0),
      ...summarise(freshness),
      errors,
      ingest: summarise(writes),
      visible: {
        events: visible.count,
        p50Ms: inMs(histogramQuantile(0.5, visible)),
        p99Ms: inMs(histogramQuantile(0.99, visible)),
      },
    };
  } finally {
    await pool.close();
    api.kill('SIGTERM');
    await once(api, 'exit');
  }
}
