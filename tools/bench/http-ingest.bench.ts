import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { Pool } from 'undici';
import { devKeyHeader, freePort, startApi } from '../support/built-api';
import { round, runConcurrently, summarise, type LatencySummary } from './stats';

export type HttpIngestResult = LatencySummary & {
  readonly requests: number;
  readonly concurrency: number;
  readonly customers: number;
  readonly eventsPerSecond: number;
  readonly errors: number;
};

/** One touchpoint body per request index: a realistic mix of the catalogue's touchpoints. */
export function touchpoint(index: number): Record<string, unknown> {
  const eventId = randomUUID();
  switch (index % 4) {
    case 0:
      return {
        type: 'CallLogged',
        eventId,
        direction: 'inbound',
        durationSeconds: 120,
        outcome: 'connected',
      };
    case 1:
      return { type: 'EmailLogged', eventId, direction: 'outbound', subject: 'Your order' };
    case 2:
      return { type: 'SurveyAnswered', eventId, surveyType: 'nps', score: index % 11 };
    default:
      return {
        type: 'PurchaseCompleted',
        eventId,
        orderId: `o-${index}`,
        amount: 1999,
        currency: 'EUR',
        channel: 'web',
      };
  }
}

/**
 * Appends single touchpoints through the HTTP API of a separate API process,
 * with the projections off: this measures the write path alone (the
 * freshness bench measures ingest with the projections running beside it).
 */
export async function benchHttpIngest(
  dataDir: string,
  requests: number,
  concurrency: number,
  customers: number,
  log: (line: string) => void,
): Promise<HttpIngestResult> {
  const port = await freePort();
  const api = await startApi(dataDir, port, { PROJECTIONS: 'off' });
  const auth = devKeyHeader(dataDir);
  const pool = new Pool(`http://127.0.0.1:${port}`, { connections: concurrency, pipelining: 1 });
  let errors = 0;
  const post = async (path: string, body: unknown): Promise<void> => {
    const response = await pool.request({
      method: 'POST',
      path,
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify(body),
    });
    await response.body.text();
    if (response.statusCode >= 300) errors++;
  };
  try {
    const ids = Array.from({ length: customers }, (_, index) => `bench-${index}`);
    await runConcurrently(customers, concurrency, (index) =>
      post('/customers', { customerId: ids[index], kind: 'person', name: `Customer ${index}` }),
    );
    errors = 0;
    log(
      `http: ${customers} customers registered; sending ${requests} touchpoints with concurrency ${concurrency}`,
    );
    const { latenciesMs, elapsedMs } = await runConcurrently(
      requests,
      concurrency,
      (index) => post(`/customers/${ids[index % customers]}/touchpoints`, touchpoint(index)),
      (done) => log(`http: ${done}/${requests}`),
    );
    return {
      requests,
      concurrency,
      customers,
      eventsPerSecond: round((requests / elapsedMs) * 1000, 0),
      ...summarise(latenciesMs),
      errors,
    };
  } finally {
    await pool.close();
    api.kill('SIGTERM');
    await once(api, 'exit');
  }
}
