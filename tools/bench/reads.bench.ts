import { createReadStream } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { devKeyHeader } from '../support/built-api';
import { ApiUnderTest } from './reads-api';
import {
  type Answer,
  BenchClient,
  type FirstError,
  isSuccess,
  type LoopResult,
  timeLoop,
} from './reads-client';
import { prepareReadsData, type ReadsData } from './reads-data';
import { READS_LOG_SPAN, readsHistories } from './reads-history';
import {
  callLogged,
  purchaserSample,
  type ReadPeriods,
  readPeriods,
  type ReadSpec,
  readSpecs,
} from './reads-plan';
import { round } from './stats';

export type ReadsSettings = {
  readonly events: number;
  readonly customers: number;
  readonly concurrency: number;
  /** Requests per read, at most; fewer when the time budget ends first. */
  readonly requests: number;
  /**
   * Requests per read sent before its timed loop and not timed, at the same
   * concurrency, on other customers than the timed ones: the figures are a
   * warm server's (its code compiled), as the page cache's are a warm disk's.
   */
  readonly warmup: number;
  /** Time budget of each read's loop: no request starts after it. */
  readonly seconds: number;
  /** A directory to keep the log and read models in and reuse; unset: a temporary one. */
  readonly dir: string | undefined;
  /** Only the reads of these names, and no isolation figure; unset: every read. */
  readonly only?: readonly string[];
};

/** One read: its first request alone (cold), the warm-up (untimed), then the timed loop. */
export type ReadResult = LoopResult & {
  readonly concurrency: number;
  readonly first: { readonly ms: number; readonly status: number };
  /** Requests of the warm-up that were sent, and how many of them did not answer 2xx. */
  readonly warmup: { readonly requests: number; readonly non2xx: number };
  /** How the API ended during this read, if it did (it is started again for the next). */
  readonly apiEnded?: string;
};

type Probes = { readonly journey: LoopResult; readonly ingest: LoopResult };
type LoadedProbes = Probes & { readonly background: LoopResult };
type P99Figure = {
  readonly alone: number;
  readonly underKpis12Months: number;
  readonly riseUnderKpis12Months: number;
  readonly underTimeTravelScores: number;
  readonly riseUnderTimeTravelScores: number;
};

export type IsolationResult = {
  readonly probeConcurrency: number;
  readonly backgroundConcurrency: number;
  readonly journeyP99Ms: P99Figure;
  readonly ingestP99Ms: P99Figure;
  readonly runs: {
    readonly alone: Probes;
    readonly underKpis12Months: LoadedProbes;
    readonly underTimeTravelScores: LoadedProbes;
  };
};

export type ReadsResult = {
  readonly settings: ReadsSettings & { readonly requestTimeoutSeconds: number };
  readonly data: Omit<ReadsData, 'dataDir'> & {
    readonly span: { readonly from: string; readonly to: string };
    readonly purchasersSampled: number;
  };
  readonly periods: ReadPeriods;
  /** The stores' files read once before the API starts, and how long that took. */
  readonly pageCache: { readonly warmedFiles: readonly string[]; readonly seconds: number };
  /** `GET /health/live` timed like the reads: what no read can beat on this machine and concurrency. */
  readonly ceiling: ReadResult;
  readonly reads: Record<string, ReadResult>;
  /** Null when only some reads were timed (ReadsSettings.only). */
  readonly isolation: IsolationResult | null;
};

/** One slow read must not hold the bench for ever; long enough for 16 queued 30-second reads. */
const REQUEST_TIMEOUT_MS = 600_000;
const PROBE_CONCURRENCY = 4;
const BACKGROUND_CONCURRENCY = 2;
const MAX_PROBE_REQUESTS = 1000;
const PURCHASERS = 200;

/**
 * Reads at the size of a real customer base: builds (or reuses) a log and
 * its read models, starts the built API on them and times each read of the
 * issue at `concurrency`, then the isolation figure: journey and ingest
 * latency alone and beside a loop of 12-month KPI reads, and of time-travel
 * scores.
 */
export async function benchReads(
  workDir: string,
  settings: ReadsSettings,
  log: (line: string) => void,
): Promise<ReadsResult> {
  const { dataDir, ...data } = await prepareReadsData(
    settings.dir ?? workDir,
    settings.events,
    settings.customers,
    log,
  );
  const periods = readPeriods(READS_LOG_SPAN.from, READS_LOG_SPAN.to);
  // Bought before the earliest period a time-travel read asks about: found and ranked there too.
  const boughtBefore = Math.min(...periods.month.map((period) => Date.parse(period.from)));
  const histories = readsHistories(settings.events, settings.customers);
  const purchasers = purchaserSample(histories, PURCHASERS, 1, boughtBefore);
  if (purchasers.length === 0) throw new Error('the reads log has no purchaser to read: give it more events');
  const specs = readSpecs(purchasers, periods);
  const timed = new Set(purchasers);
  const others = purchaserSample(histories, PURCHASERS * 2, 2, boughtBefore).filter((id) => !timed.has(id));
  const warmSpecs = new Map(
    readSpecs(others.length > 0 ? others : purchasers, periods).map((spec) => [spec.name, spec]),
  );
  const pageCache = await warmPageCache(dataDir, log);
  log(`reads: starting the API on ${dataDir}`);
  const api = await ApiUnderTest.start(dataDir, log);
  try {
    const connections = Math.max(settings.concurrency, PROBE_CONCURRENCY * 2 + BACKGROUND_CONCURRENCY) + 2;
    const client = new BenchClient(api.origin, devKeyHeader(dataDir), connections, REQUEST_TIMEOUT_MS);
    try {
      // The ceiling, in the same process and client: a route that reads nothing (Fastify, the
      // product's hooks and the client's own cost), at the same concurrency.
      const live = { name: 'ceiling', path: () => '/health/live' };
      const ceiling = await timeRead(client, api, live, live, settings, log);
      const reads: Record<string, ReadResult> = {};
      const only = settings.only;
      for (const spec of only === undefined ? specs : specs.filter((s) => only.includes(s.name))) {
        reads[spec.name] = await timeRead(client, api, spec, warmSpecs.get(spec.name) ?? spec, settings, log);
      }
      const isolation =
        only === undefined ? await measureIsolation(client, api, specs, purchasers, settings, log) : null;
      return {
        settings: { ...settings, requestTimeoutSeconds: REQUEST_TIMEOUT_MS / 1000 },
        data: {
          ...data,
          span: {
            from: new Date(READS_LOG_SPAN.from).toISOString(),
            to: new Date(READS_LOG_SPAN.to).toISOString(),
          },
          purchasersSampled: purchasers.length,
        },
        periods,
        pageCache,
        ceiling,
        reads,
        isolation,
      };
    } finally {
      await client.close();
    }
  } finally {
    await api.stop();
  }
}

/** The stores the reads touch, as a server that has been serving them holds them: in the page cache. */
const WARMED_FILES = ['read-models.sqlite', 'events.sqlite'];

/**
 * Reads the stores' files once, so the figures are those of a server whose
 * working set is in memory, not of one reading a cold disk (a fresh log of
 * 5,000,000 events is 3.7 GB, rebuilt or copied long before the reads).
 */
async function warmPageCache(
  dataDir: string,
  log: (line: string) => void,
): Promise<ReadsResult['pageCache']> {
  const began = performance.now();
  for (const file of WARMED_FILES) {
    for await (const chunk of createReadStream(join(dataDir, file), { highWaterMark: 1 << 20 })) void chunk;
  }
  const seconds = round((performance.now() - began) / 1000);
  log(`reads: ${WARMED_FILES.join(' and ')} read once into the page cache in ${seconds} s`);
  return { warmedFiles: WARMED_FILES, seconds };
}

async function timeRead(
  client: BenchClient,
  api: ApiUnderTest,
  spec: ReadSpec,
  warm: ReadSpec,
  settings: ReadsSettings,
  log: (line: string) => void,
): Promise<ReadResult> {
  await settle(client, api);
  log(`reads: ${spec.name} (${spec.path(0)})`);
  const began = performance.now();
  const first: Answer = await client.get(spec.path(0));
  const firstMs = round(performance.now() - began);
  const warmup = await timeLoop((index) => client.get(warm.path(index)), {
    requests: settings.warmup,
    concurrency: settings.concurrency,
    seconds: settings.seconds,
  });
  await settle(client, api);
  const loop = await timeLoop((index) => client.get(spec.path(index + 1)), settings);
  const apiEnded = await api.restartIfExited();
  const firstError: FirstError = isSuccess(first.status)
    ? loop.firstError
    : { status: first.status, body: first.body.slice(0, 1000) };
  const result: ReadResult = {
    ...loop,
    firstError,
    concurrency: settings.concurrency,
    first: { ms: firstMs, status: first.status },
    warmup: { requests: warmup.requests, non2xx: warmup.non2xx },
    ...(apiEnded === null ? {} : { apiEnded }),
  };
  log(
    `reads: ${spec.name}: ${loop.requests} in ${loop.seconds} s, p50 ${loop.p50Ms} ms, p99 ${loop.p99Ms} ms, ` +
      `${loop.non2xx} not 2xx${firstError ? ` (first: ${firstError.status} ${firstError.body.slice(0, 200)})` : ''}`,
  );
  return result;
}

/**
 * Waits until the API answers a liveness check within 50 ms (at most one
 * request timeout): the requests a loop gave up on may still be computing,
 * and the next read must not be timed behind them.
 */
async function settle(client: BenchClient, api: ApiUnderTest): Promise<void> {
  await api.restartIfExited();
  const deadline = performance.now() + REQUEST_TIMEOUT_MS;
  while (performance.now() < deadline) {
    const began = performance.now();
    const answer = await client.get('/health/live');
    if (isSuccess(answer.status) && performance.now() - began < 50) return;
    await sleep(100);
  }
}

async function measureIsolation(
  client: BenchClient,
  api: ApiUnderTest,
  specs: readonly ReadSpec[],
  purchasers: readonly string[],
  settings: ReadsSettings,
  log: (line: string) => void,
): Promise<IsolationResult> {
  const background = (name: string): ReadSpec => {
    const spec = specs.find((candidate) => candidate.name === name);
    if (spec === undefined) throw new Error(`no read named ${name}`);
    return spec;
  };
  const bounds = { ...settings, requests: Math.min(settings.requests, MAX_PROBE_REQUESTS) };
  await settle(client, api);
  log(`reads: isolation: journey and ingest alone, ${PROBE_CONCURRENCY} in flight each`);
  const alone = await probe(client, purchasers, bounds);
  const underKpis12Months = await probeBeside(
    client,
    api,
    background('kpis12Months'),
    purchasers,
    bounds,
    log,
  );
  const underTimeTravelScores = await probeBeside(
    client,
    api,
    background('timeTravelScores'),
    purchasers,
    bounds,
    log,
  );
  const figure = (pick: (probes: Probes) => LoopResult): P99Figure => {
    const base = pick(alone).p99Ms;
    const kpis = pick(underKpis12Months).p99Ms;
    const travel = pick(underTimeTravelScores).p99Ms;
    return {
      alone: base,
      underKpis12Months: kpis,
      riseUnderKpis12Months: round(kpis - base),
      underTimeTravelScores: travel,
      riseUnderTimeTravelScores: round(travel - base),
    };
  };
  return {
    probeConcurrency: PROBE_CONCURRENCY,
    backgroundConcurrency: BACKGROUND_CONCURRENCY,
    journeyP99Ms: figure((probes) => probes.journey),
    ingestP99Ms: figure((probes) => probes.ingest),
    runs: { alone, underKpis12Months, underTimeTravelScores },
  };
}

/** Journey reads and one-touchpoint ingest side by side, each with PROBE_CONCURRENCY in flight. */
async function probe(
  client: BenchClient,
  purchasers: readonly string[],
  bounds: { readonly requests: number; readonly seconds: number },
): Promise<Probes> {
  const customer = (index: number): string => purchasers[index % purchasers.length] ?? '';
  const loop = { ...bounds, concurrency: PROBE_CONCURRENCY };
  const [journey, ingest] = await Promise.all([
    timeLoop((index) => client.get(`/customers/${customer(index)}/journey`), loop),
    timeLoop((index) => client.post(`/customers/${customer(index + 7)}/touchpoints`, callLogged()), loop),
  ]);
  return { journey, ingest };
}

/** The probes while `background` runs in a loop of BACKGROUND_CONCURRENCY, which stops when they are done. */
async function probeBeside(
  client: BenchClient,
  api: ApiUnderTest,
  background: ReadSpec,
  purchasers: readonly string[],
  bounds: { readonly requests: number; readonly seconds: number },
  log: (line: string) => void,
): Promise<LoadedProbes> {
  await settle(client, api);
  log(`reads: isolation: journey and ingest beside ${background.name}, ${BACKGROUND_CONCURRENCY} in flight`);
  let probing = true;
  const loaded = timeLoop((index) => client.get(background.path(index)), {
    requests: 100_000,
    concurrency: BACKGROUND_CONCURRENCY,
    // The probes end it; this bound outlasts them (none starts after `seconds`, none waits past the timeout).
    seconds: bounds.seconds + REQUEST_TIMEOUT_MS / 1000,
    stop: () => !probing,
  });
  // The background's first reads reach the server before the probes do.
  await sleep(200);
  const probes = await probe(client, purchasers, bounds);
  probing = false;
  const result = { background: await loaded, ...probes };
  log(
    `reads: isolation beside ${background.name}: journey p99 ${probes.journey.p99Ms} ms, ` +
      `ingest p99 ${probes.ingest.p99Ms} ms (${result.background.requests} background reads)`,
  );
  return result;
}
