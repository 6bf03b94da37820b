import { setTimeout as sleep } from 'node:timers/promises';
import type { ProcessExit } from '../../../tools/system/app-process';
import { BacklogGate } from '../../../tools/system/backlog-gate';
import { CrmClient } from '../../../tools/system/crm-client';
import { ingestTouchpoints, type LoadResult, registerCustomers } from '../../../tools/system/ingest-load';
import { logFileProblems, type LogProblem } from '../../../tools/system/log-problems';
import { type PipelineState, PipelineProbe } from '../../../tools/system/pipeline-probe';
import type { ProductionCluster } from '../../../tools/system/production-cluster';
import { devKeyHeader } from '../../../tools/support/built-api';
import { type ReadBack, ReadYourWrites } from './read-your-writes';

/**
 * What happens to the projectors at 30 % of the load.
 * - `kill-one-of-two`: two projectors share the partitions; one is killed
 *   with SIGKILL, the other takes its partitions once the broker expires it.
 * - `hand-over`: one projector; it is stopped (SIGTERM: its batch in flight
 *   commits, it leaves the group) and a new one takes every partition. For
 *   read stores that take one projector process at a time (FerretDB v1:
 *   docs/mongodb.md, "Counter sets").
 */
export type ProjectorFailure = 'kill-one-of-two' | 'hand-over';

export type ScenarioSettings = {
  readonly projectorFailure: ProjectorFailure;
  readonly customers: number;
  readonly touchpoints: number;
  /** Writes in flight over both APIs. */
  readonly concurrency: number;
  /** Events written but not yet in the read models, at most, before the load waits (BacklogGate). */
  readonly maxBacklog: number;
  /** After the load, how long the pipeline may take to drain. */
  readonly drainTimeoutMs: number;
  /** Progress lines (the timeline of the run). */
  readonly log: (line: string) => void;
};

/** The KPI window that holds every touchpoint of the load (touchpoint-mix.ts: 2025). */
export const KPI_FROM = '2025-01-01T00:00:00.000Z';
export const KPI_TO = '2026-01-01T00:00:00.000Z';

export type ScenarioRun = {
  readonly dataDir: string;
  readonly masterKeys: string;
  readonly partitions: number;
  readonly customers: readonly string[];
  readonly load: LoadResult;
  readonly writesPerApi: readonly number[];
  readonly readBacks: readonly ReadBack[];
  readonly projectorFailure: {
    readonly mode: ProjectorFailure;
    readonly victim: string;
    readonly atAcknowledged: number;
    /** Partitions per group member just before the kill, and once drained. */
    readonly assignmentBefore: number[][];
    readonly assignmentAfter: number[][];
    readonly exit: ProcessExit | null;
  };
  readonly relayRestart: {
    readonly atAcknowledged: number;
    readonly downMs: number;
    readonly exit: ProcessExit | null;
  };
  readonly drained: PipelineState;
  /** GET /kpis for KPI_FROM–KPI_TO through api-1 once drained, without minPosition. */
  readonly kpis: { readonly status: number; readonly body: unknown };
  readonly backlogPeak: number;
  readonly exits: Readonly<Record<string, readonly ProcessExit[]>>;
  readonly logProblems: readonly LogProblem[];
  readonly durationsMs: Readonly<Record<string, number>>;
};

/** How long the relay stays down while the load goes on. */
const RELAY_DOWN_MS = 2000;

/**
 * The production shape under load (issue 14, item 5): 2 × api, 1 × relay,
 * 2 × projector as separate processes of the built app on one SQLite event
 * store, one Kafka topic and one read store. Registers the customers, then
 * sends the touchpoints over both APIs while reading writes back through the
 * other API; at 30 % of the load kills a projector (ProjectorFailure), at
 * 60 % stops the relay (SIGTERM), waits, starts it again. Then waits for the
 * pipeline to drain and stops every process. The caller checks the result.
 */
export async function runScenario(
  cluster: ProductionCluster,
  settings: ScenarioSettings,
): Promise<ScenarioRun> {
  const began = performance.now();
  const since = (mark: number): number => Math.round(performance.now() - mark);
  const log = (line: string): void => settings.log(`+${(since(began) / 1000).toFixed(1)} s ${line}`);
  const durationsMs: Record<string, number> = {};
  const dataDir = cluster.dataDir;
  const probe = new PipelineProbe(cluster.kafkaBrokers, cluster.topic, cluster.groupId);
  const clients: CrmClient[] = [];
  let gate: BacklogGate | null = null;
  try {
    const handOver = settings.projectorFailure === 'hand-over';
    const shape = await cluster.startShape({ apis: 2, projectors: handOver ? 1 : 2 });
    durationsMs['start'] = since(began);
    log(
      `started ${cluster.processes.map((app) => `${app.name} (pid ${app.pid}, port ${app.port})`).join(', ')}`,
    );
    const [api1] = shape.apis;
    const victim = shape.projectors[handOver ? 0 : 1];
    if (api1 === undefined || victim === undefined) throw new Error('the shape lacks an api or a projector');
    const auth = devKeyHeader(dataDir);
    clients.push(...shape.apis.map((api) => new CrmClient(api.url(''), auth, settings.concurrency)));

    let mark = performance.now();
    const customers = await registerCustomers(clients, 'sys', settings.customers, settings.concurrency);
    durationsMs['register'] = since(mark);
    log(`registered ${customers.length} customers`);

    const liveGate = new BacklogGate(
      probe,
      () => api1,
      () => shape.relay,
      settings.maxBacklog,
    );
    gate = liveGate;
    const readYourWrites = new ReadYourWrites(clients, { concurrency: 4, everyMs: 250 });
    const killAt = Math.floor(settings.touchpoints * 0.3);
    const restartAt = Math.floor(settings.touchpoints * 0.6);
    const disruptions: Promise<void>[] = [];
    const disruptionFailures: unknown[] = [];
    const disrupt = (what: string, action: () => Promise<void>): void => {
      log(what);
      disruptions.push(action().catch((error: unknown) => void disruptionFailures.push(error)));
    };
    let assignmentBefore: number[][] = [];
    let killExit: ProcessExit | null = null;
    let relayExit: ProcessExit | null = null;
    const failProjector = async (): Promise<void> => {
      assignmentBefore = await probe.assignment();
      if (handOver) {
        killExit = await victim.stop();
        log(`${victim.name} stopped (${JSON.stringify(killExit)}); starting projector-2`);
        await cluster.start('projector', 'projector-2');
        log('projector-2 joined the group');
      } else {
        killExit = await victim.kill();
        log(`${victim.name} killed; the group held partitions ${JSON.stringify(assignmentBefore)}`);
      }
    };
    const restartRelay = async (): Promise<void> => {
      relayExit = await shape.relay.stop();
      log(`relay stopped (${JSON.stringify(relayExit)}); writes go on`);
      await sleep(RELAY_DOWN_MS);
      shape.relay.start();
      await shape.relay.waitReady(60_000);
      log('relay restarted and ready');
    };
    let acknowledgedSoFar = 0;
    const progress = setInterval(
      () => log(`${acknowledgedSoFar} touchpoints acknowledged, backlog ${liveGate.current} events`),
      5000,
    );

    mark = performance.now();
    const load = await ingestTouchpoints({
      clients,
      customers,
      count: settings.touchpoints,
      concurrency: settings.concurrency,
      pace: () => liveGate.admit(120_000),
      onAcknowledged: (write, acknowledged) => {
        acknowledgedSoFar = acknowledged;
        readYourWrites.onAcknowledged(write);
        if (acknowledged === killAt) {
          disrupt(
            `${handOver ? 'stopping' : 'killing'} ${victim.name} (${handOver ? 'SIGTERM' : 'SIGKILL'})`,
            failProjector,
          );
        }
        if (acknowledged === restartAt) disrupt('stopping the relay (SIGTERM)', restartRelay);
      },
    }).finally(() => clearInterval(progress));
    durationsMs['ingest'] = since(mark);
    log(`load done: ${load.acknowledged.length} acknowledged, ${load.refused.length} refused`);
    await Promise.all(disruptions);
    if (disruptionFailures.length > 0) throw new AggregateError(disruptionFailures, 'a disruption failed');
    await liveGate.close();

    mark = performance.now();
    const drained = await probe.drained(api1, shape.relay, settings.drainTimeoutMs);
    durationsMs['drainAfterIngest'] = since(mark);
    log(`drained: ${JSON.stringify(drained)}`);
    await readYourWrites.stop();
    const assignmentAfter = await probe.assignment();
    mark = performance.now();
    await readYourWrites.kpisAt(drained.head, KPI_FROM, KPI_TO);
    durationsMs['kpiReadYourWrites'] = since(mark);
    const kpis = await clients[0]?.get(`/kpis?from=${KPI_FROM}&to=${KPI_TO}`);
    if (kpis === undefined) throw new Error('no client');

    mark = performance.now();
    await cluster.stopAll();
    durationsMs['stop'] = since(mark);
    durationsMs['total'] = since(began);
    const writesPerApi = clients.map(
      (_, api) => load.acknowledged.filter((write) => write.api === api).length,
    );
    return {
      dataDir,
      masterKeys: cluster.sharedSettings['MASTER_KEYS'] ?? '',
      partitions: cluster.partitions,
      customers,
      load,
      writesPerApi,
      readBacks: readYourWrites.samples,
      projectorFailure: {
        mode: settings.projectorFailure,
        victim: victim.name,
        atAcknowledged: killAt,
        assignmentBefore,
        assignmentAfter,
        exit: killExit,
      },
      relayRestart: { atAcknowledged: restartAt, downMs: RELAY_DOWN_MS, exit: relayExit },
      drained,
      kpis,
      backlogPeak: liveGate.peak,
      exits: Object.fromEntries(cluster.processes.map((app) => [app.name, app.exits])),
      logProblems: cluster.processes.flatMap((app) => logFileProblems(app.name, app.logFile)),
      durationsMs,
    };
  } finally {
    await gate?.close();
    await Promise.all(clients.map((client) => client.close()));
    await cluster.stopAll();
  }
}
