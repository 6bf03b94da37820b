import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { join } from 'node:path';
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
 * by default with the projections off: the write path alone (the pipeline
 * bench takes this as its ceiling). `env` is handed to the API process.
 */
export async function benchHttpIngest(
  dataDir: string,
  requests: number,
  concurrency: number,
  customers: number,
  log: (line: string) => void,
  env: Record<string, string> = { PROJECTIONS: 'off' },
): Promise<HttpIngestResult> {
  const port = await freePort();
  const api = await startApi(dataDir, port, env);
  try {
    return await drive(port, devKeyHeader(dataDir), requests, concurrency, customers, true, log);
  } finally {
    api.kill('SIGTERM');
    await once(api, 'exit');
  }
}

/** What the HTTP ingest bench reports: the API on the default and without projections, beside its ceiling. */
export type HttpIngestComparison = {
  /** The default `npm start` (projections on, keys and encryption on). */
  readonly projectionsOn: HttpIngestResult;
  /** The same with PROJECTIONS=off: the request path alone. */
  readonly projectionsOff: HttpIngestResult;
  /** A bare Fastify route (http-ceiling.child) driven by the same client in the same way. */
  readonly ceiling: HttpIngestResult;
  /**
   * The edge alone as the architecture fixes it (http-framework-ceiling.child): Nest on Fastify and
   * the product's class-validator DTOs, nothing behind them. What is left for everything else.
   */
  readonly frameworkCeiling: HttpIngestResult;
  /** projectionsOn.eventsPerSecond / ceiling.eventsPerSecond. */
  readonly ratio: number;
  /** projectionsOff.eventsPerSecond / ceiling.eventsPerSecond. */
  readonly ratioProjectionsOff: number;
  /** frameworkCeiling.eventsPerSecond / ceiling.eventsPerSecond: the most the edge alone allows. */
  readonly ratioFrameworkCeiling: number;
  /** projectionsOn.eventsPerSecond / frameworkCeiling.eventsPerSecond. */
  readonly ratioToFrameworkCeiling: number;
};

/**
 * The ingest bench with its ceiling measured in the same run, by the same
 * load generator at the same concurrency: the bare Fastify route, then the
 * API on its default, then the API with PROJECTIONS=off (each process
 * started afresh, on a fresh DATA_DIR).
 */
export async function benchHttpIngestAgainstCeiling(
  dataDir: string,
  requests: number,
  concurrency: number,
  customers: number,
  log: (line: string) => void,
): Promise<HttpIngestComparison> {
  log('http: the ceiling, a bare Fastify route');
  const ceiling = await benchHttpCeiling('http-ceiling.child.js', requests, concurrency, customers, log);
  log('http: the edge alone, Nest on Fastify with the touchpoint DTOs and nothing behind them');
  const frameworkCeiling = await benchHttpCeiling(
    'http-framework-ceiling.child.js',
    requests,
    concurrency,
    customers,
    log,
  );
  log('http: the API, default configuration (projections on)');
  const projectionsOn = await benchHttpIngest(
    join(dataDir, 'projections-on'),
    requests,
    concurrency,
    customers,
    log,
    {},
  );
  log('http: the API with PROJECTIONS=off');
  const projectionsOff = await benchHttpIngest(
    join(dataDir, 'projections-off'),
    requests,
    concurrency,
    customers,
    log,
  );
  const ratioOf = (result: HttpIngestResult): number =>
    round(result.eventsPerSecond / Math.max(1, ceiling.eventsPerSecond));
  return {
    projectionsOn,
    projectionsOff,
    ceiling,
    frameworkCeiling,
    ratio: ratioOf(projectionsOn),
    ratioProjectionsOff: ratioOf(projectionsOff),
    ratioFrameworkCeiling: ratioOf(frameworkCeiling),
    ratioToFrameworkCeiling: round(
      projectionsOn.eventsPerSecond / Math.max(1, frameworkCeiling.eventsPerSecond),
    ),
  };
}

async function benchHttpCeiling(
  child: string,
  requests: number,
  concurrency: number,
  customers: number,
  log: (line: string) => void,
): Promise<HttpIngestResult> {
  const port = await freePort();
  const server = spawn(process.execPath, [join(__dirname, child)], {
    env: { ...process.env, PORT: String(port) },
    stdio: ['ignore', 2, 'inherit'],
  });
  try {
    await untilReady(`http://127.0.0.1:${port}/ready`, server);
    const auth = { authorization: 'Bearer ceiling' };
    return await drive(port, auth, requests, concurrency, customers, false, log);
  } finally {
    server.kill('SIGTERM');
    if (server.exitCode === null) await once(server, 'exit');
  }
}

async function untilReady(url: string, child: ChildProcess): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline && child.exitCode === null) {
    try {
      if ((await fetch(url, { signal: AbortSignal.timeout(2000) })).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the ceiling server did not start (${url})`);
}

/**
 * The load: `customers` registrations first when `register` (not measured),
 * then `requests` touchpoints spread over them, `concurrency` in flight on as
 * many keep-alive connections.
 */
async function drive(
  port: number,
  auth: Record<string, string>,
  requests: number,
  concurrency: number,
  customers: number,
  register: boolean,
  log: (line: string) => void,
): Promise<HttpIngestResult> {
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
    if (register) {
      await runConcurrently(customers, concurrency, (index) =>
        post('/customers', { customerId: ids[index], kind: 'person', name: `Customer ${index}` }),
      );
      errors = 0;
    }
    log(`http: sending ${requests} touchpoints with concurrency ${concurrency}`);
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
  }
}
