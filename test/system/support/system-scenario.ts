import { setTimeout as sleep } from 'node:timers/promises';
import type { ReceivedRequest } from '@crm/webhooks/testing';
import type { AppProcess, ProcessExit } from '../../../tools/system/app-process';
import { BacklogGate } from '../../../tools/system/backlog-gate';
import { CrmClient } from '../../../tools/system/crm-client';
import { ingestTouchpoints, type LoadResult, registerCustomers } from '../../../tools/system/ingest-load';
import { logFileProblems, type LogProblem } from '../../../tools/system/log-problems';
import { type PipelineState, PipelineProbe } from '../../../tools/system/pipeline-probe';
import type { ProductionCluster, Shape } from '../../../tools/system/production-cluster';
import type { LogLine } from '../../../tools/system/webhook-deliveries';
import { devKeyHeader } from '../../../tools/support/built-api';
import { type AutomationState, automationsCaughtUp, automationsOverview } from './automations-admin';
import { type ReadBack, ReadYourWrites } from './read-your-writes';
import { type WebhookState, WebhookSubscription } from './webhook-subscription';

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

/** A KPI window that holds every touchpoint of the load (touchpoint-mix.ts: from 2025 on, visits 6 days apart). */
export const KPI_FROM = '2025-01-01T00:00:00.000Z';
export const KPI_TO = '2026-07-01T00:00:00.000Z';

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
  readonly webhooksKill: {
    readonly atAcknowledged: number;
    /** Distinct events the receiver had accepted when the process was killed. */
    readonly deliveredBefore: number;
    /** The id of the request the receiver accepted as the process was killed (it never saw the answer). */
    readonly inFlight: string | null;
    readonly downMs: number;
    readonly exit: ProcessExit | null;
  };
  readonly automationsKill: {
    readonly atAcknowledged: number;
    /** GET /admin/automations just before the SIGKILL: how far the reactors had got. */
    readonly before: readonly AutomationState[];
    readonly downMs: number;
    readonly exit: ProcessExit | null;
  };
  readonly automations: {
    /** GET /admin/automations through api-1 once the reactors had caught up after the load. */
    readonly caughtUp: readonly AutomationState[];
    /** GET /admin/automations through api-2 at the end, before the processes stop. */
    readonly final: readonly AutomationState[];
  };
  readonly webhooks: {
    /** The subscription as created (before the first write) and once it had caught up. */
    readonly created: WebhookState;
    readonly caughtUp: WebhookState;
    /** The events it covers (GET /events after its startAfter), once the load was done. */
    readonly log: readonly LogLine[];
    /** Every request the receiver took, in order, accepted or refused. */
    readonly requests: readonly ReceivedRequest[];
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

/** How long the webhooks process stays down after its SIGKILL (a supervisor's restart delay). */
const WEBHOOKS_DOWN_MS = 1000;

/** The same for the automations process. */
const AUTOMATIONS_DOWN_MS = 1000;

/**
 * The webhook target: refuses one request in five with 500, at random but
 * seeded, so that every run goes through many rounds of retries (fast with
 * the test's WEBHOOK_RETRY_* settings) without any delivery being parked.
 */
const RECEIVER = { failRate: 0.2, seed: 14 } as const;

type Log = (line: string) => void;

/**
 * The failures injected while the load runs, each started by the
 * acknowledgement that reaches its mark (the projector at 30 % of the load,
 * the webhooks process at 45 %, the automations process at 50 %, the relay
 * at 60 %) and running beside the load; `settled` waits for all and fails if
 * any did.
 */
class Disruptions {
  private readonly running: Promise<void>[] = [];
  private readonly failures: unknown[] = [];
  private assignmentBefore: number[][] = [];
  private projectorExit: ProcessExit | null = null;
  private relayExit: ProcessExit | null = null;
  private webhooksExit: ProcessExit | null = null;
  private deliveredBeforeKill = 0;
  private inFlightAtKill: string | null = null;
  private automationsExit: ProcessExit | null = null;
  private automationsBefore: AutomationState[] = [];
  readonly projectorAt: number;
  readonly webhooksAt: number;
  readonly automationsAt: number;
  readonly relayAt: number;

  constructor(
    private readonly cluster: ProductionCluster,
    private readonly shape: Shape,
    private readonly probe: PipelineProbe,
    private readonly mode: ProjectorFailure,
    private readonly subscription: WebhookSubscription,
    private readonly admin: CrmClient,
    touchpoints: number,
    private readonly log: Log,
  ) {
    this.projectorAt = Math.floor(touchpoints * 0.3);
    this.webhooksAt = Math.floor(touchpoints * 0.45);
    this.automationsAt = Math.floor(touchpoints * 0.5);
    this.relayAt = Math.floor(touchpoints * 0.6);
  }

  /** The projector that fails: the second of two, or the only one. */
  get victim(): AppProcess {
    const victim = this.shape.projectors[this.mode === 'hand-over' ? 0 : 1];
    if (victim === undefined) throw new Error('the shape lacks the projector to fail');
    return victim;
  }

  onAcknowledged(acknowledged: number): void {
    if (acknowledged === this.projectorAt) this.start(() => this.failProjector());
    if (acknowledged === this.webhooksAt) this.start(() => this.killWebhooks());
    if (acknowledged === this.automationsAt) this.start(() => this.killAutomations());
    if (acknowledged === this.relayAt) this.start(() => this.restartRelay());
  }

  private start(action: () => Promise<void>): void {
    this.running.push(action().catch((error: unknown) => void this.failures.push(error)));
  }

  private async failProjector(): Promise<void> {
    const victim = this.victim;
    this.assignmentBefore = await this.probe.assignment();
    if (this.mode === 'kill-one-of-two') {
      this.log(`killing ${victim.name} (SIGKILL); the group holds ${JSON.stringify(this.assignmentBefore)}`);
      this.projectorExit = await victim.kill();
      return;
    }
    this.log(`stopping ${victim.name} (SIGTERM); the group holds ${JSON.stringify(this.assignmentBefore)}`);
    this.projectorExit = await victim.stop();
    await this.cluster.start('projector', 'projector-2');
    this.log('projector-2 joined the group');
  }

  private async restartRelay(): Promise<void> {
    this.log('stopping the relay (SIGTERM); writes go on');
    this.relayExit = await this.shape.relay.stop();
    await sleep(RELAY_DOWN_MS);
    this.shape.relay.start();
    await this.shape.relay.waitReady(60_000);
    this.log('relay restarted and ready');
  }

  /**
   * kill -9 of the webhooks process while it delivers: the page in flight
   * is not checkpointed, so the new process sends it again (duplicates with
   * the same webhook-id, at least the request in flight) and must lose
   * nothing and keep each customer's order.
   */
  private async killWebhooks(): Promise<void> {
    const webhooks = this.shape.webhooks;
    if (webhooks === null) throw new Error('the shape lacks the webhooks process');
    this.log('killing the webhooks process (SIGKILL) with its next request in flight');
    // Killed from within the receiver, not at a moment of ours: a worker that has caught up
    // sits between two polls, and a kill there would test no more than a clean stop.
    const killed = await this.subscription.interruptNextRequest(() => webhooks.kill(), 60_000);
    this.webhooksExit = killed.result;
    this.inFlightAtKill = killed.inFlight;
    this.deliveredBeforeKill = killed.deliveredBefore;
    this.log(`killed the webhooks process after ${killed.deliveredBefore} events delivered`);
    await sleep(WEBHOOKS_DOWN_MS);
    webhooks.start();
    await webhooks.waitReady(60_000);
    this.log('webhooks process restarted and ready');
  }

  /**
   * kill -9 of the automations process while the load goes on: what it
   * recorded after its last checkpoint is recorded again after the restart
   * (same derived ids: nothing twice), and deadlines due meanwhile fire then.
   */
  private async killAutomations(): Promise<void> {
    const automations = this.shape.automations;
    if (automations === null) throw new Error('the shape lacks the automations process');
    this.automationsBefore = await automationsOverview(this.admin);
    this.log(
      `killing the automations process (SIGKILL) at ${JSON.stringify(this.automationsBefore.map((r) => [r.name, r.checkpoint]))}`,
    );
    this.automationsExit = await automations.kill();
    await sleep(AUTOMATIONS_DOWN_MS);
    automations.start();
    await automations.waitReady(60_000);
    this.log('automations process restarted and ready');
  }

  async settled(): Promise<void> {
    await Promise.all(this.running);
    if (this.failures.length > 0) throw new AggregateError(this.failures, 'a disruption failed');
  }

  report(
    assignmentAfter: number[][],
  ): Pick<ScenarioRun, 'projectorFailure' | 'relayRestart' | 'webhooksKill' | 'automationsKill'> {
    return {
      projectorFailure: {
        mode: this.mode,
        victim: this.victim.name,
        atAcknowledged: this.projectorAt,
        assignmentBefore: this.assignmentBefore,
        assignmentAfter,
        exit: this.projectorExit,
      },
      relayRestart: { atAcknowledged: this.relayAt, downMs: RELAY_DOWN_MS, exit: this.relayExit },
      webhooksKill: {
        atAcknowledged: this.webhooksAt,
        deliveredBefore: this.deliveredBeforeKill,
        inFlight: this.inFlightAtKill,
        downMs: WEBHOOKS_DOWN_MS,
        exit: this.webhooksExit,
      },
      automationsKill: {
        atAcknowledged: this.automationsAt,
        before: this.automationsBefore,
        downMs: AUTOMATIONS_DOWN_MS,
        exit: this.automationsExit,
      },
    };
  }
}

/** Times the phases of a run and prefixes progress lines with the time since it began. */
class Timeline {
  private readonly began = performance.now();
  readonly durationsMs: Record<string, number> = {};

  constructor(private readonly write: Log) {}

  log(line: string): void {
    this.write(`+${((performance.now() - this.began) / 1000).toFixed(1)} s ${line}`);
  }

  async phase<T>(name: string, body: () => Promise<T>): Promise<T> {
    const started = performance.now();
    try {
      return await body();
    } finally {
      this.durationsMs[name] = Math.round(performance.now() - started);
    }
  }

  total(): void {
    this.durationsMs['total'] = Math.round(performance.now() - this.began);
  }
}

/**
 * Sends the touchpoints, paced by `gate`, each acknowledgement passed to the
 * read-backs and the disruptions; logs progress every 5 s.
 */
async function load(
  settings: ScenarioSettings,
  clients: readonly CrmClient[],
  customers: readonly string[],
  gate: BacklogGate,
  readYourWrites: ReadYourWrites,
  disruptions: Disruptions,
  timeline: Timeline,
): Promise<LoadResult> {
  let acknowledgedSoFar = 0;
  const progress = setInterval(
    () => timeline.log(`${acknowledgedSoFar} touchpoints acknowledged, backlog ${gate.current} events`),
    5000,
  );
  try {
    return await ingestTouchpoints({
      clients,
      customers,
      count: settings.touchpoints,
      concurrency: settings.concurrency,
      pace: () => gate.admit(120_000),
      onAcknowledged: (write, acknowledged) => {
        acknowledgedSoFar = acknowledged;
        readYourWrites.onAcknowledged(write);
        disruptions.onAcknowledged(acknowledged);
      },
    });
  } finally {
    clearInterval(progress);
  }
}

/**
 * The production shape under load (issue 14, item 5): 2 × api, 1 × relay,
 * 2 × projector, 1 × webhooks and 1 × automations as separate processes of
 * the built app on one SQLite event store, one Kafka topic and one read
 * store. Subscribes a webhook receiver through an API, registers the
 * customers, then sends the touchpoints over both APIs while reading writes
 * back through the other API; at 30 % of the load fails a projector
 * (ProjectorFailure), at 45 % kills the webhooks process (SIGKILL) and
 * starts it again, at 50 % does the same to the automations process, at
 * 60 % stops the relay (SIGTERM), waits, starts it again. Then waits for the
 * reactors to catch up (GET /admin/automations), for the pipeline to drain
 * and for the receiver to hold every event of the log after the
 * subscription's start, and stops every process. The caller checks the result.
 */
export async function runScenario(
  cluster: ProductionCluster,
  settings: ScenarioSettings,
): Promise<ScenarioRun> {
  const timeline = new Timeline(settings.log);
  const probe = new PipelineProbe(cluster.kafkaBrokers, cluster.topic, cluster.groupId);
  const clients: CrmClient[] = [];
  let gate: BacklogGate | null = null;
  let subscription: WebhookSubscription | null = null;
  try {
    const projectors = settings.projectorFailure === 'hand-over' ? 1 : 2;
    const shape = await timeline.phase('start', () =>
      cluster.startShape({ apis: 2, projectors, webhooks: true, automations: true }),
    );
    timeline.log(`started ${cluster.processes.map((app) => `${app.name} (pid ${app.pid})`).join(', ')}`);
    const [api1] = shape.apis;
    if (api1 === undefined) throw new Error('the shape lacks an api');
    const auth = devKeyHeader(cluster.dataDir);
    clients.push(...shape.apis.map((api) => new CrmClient(api.url(''), auth, settings.concurrency)));
    const [first] = clients;
    if (first === undefined) throw new Error('no client');
    // Before the first write, so that it covers every customer's stream from its registration.
    const webhooks = await WebhookSubscription.create(first, RECEIVER);
    subscription = webhooks;
    timeline.log(`subscribed a webhook receiver after position ${webhooks.created.startAfter}`);
    const customers = await timeline.phase('register', () =>
      registerCustomers(clients, 'sys', settings.customers, settings.concurrency),
    );
    timeline.log(`registered ${customers.length} customers`);

    const liveGate = new BacklogGate(
      probe,
      () => api1,
      () => shape.relay,
      settings.maxBacklog,
    );
    gate = liveGate;
    const readYourWrites = new ReadYourWrites(clients, { concurrency: 4, everyMs: 250 });
    const log = (line: string): void => timeline.log(line);
    const disruptions = new Disruptions(
      cluster,
      shape,
      probe,
      settings.projectorFailure,
      webhooks,
      first,
      settings.touchpoints,
      log,
    );
    const result = await timeline.phase('ingest', () =>
      load(settings, clients, customers, liveGate, readYourWrites, disruptions, timeline),
    );
    timeline.log(`load done: ${result.acknowledged.length} acknowledged, ${result.refused.length} refused`);
    await disruptions.settled();
    await liveGate.close();
    // Before the drain: what the reactors record after the load must reach the read models too.
    const automationsAfterLoad = await timeline.phase('automationsCaughtUp', () =>
      automationsCaughtUp(first, settings.drainTimeoutMs),
    );
    timeline.log(`automations caught up: ${JSON.stringify(automationsAfterLoad)}`);

    const drained = await timeline.phase('drainAfterIngest', () =>
      probe.drained(api1, shape.relay, settings.drainTimeoutMs),
    );
    timeline.log(`drained: ${JSON.stringify(drained)}`);
    await readYourWrites.stop();
    const assignmentAfter = await probe.assignment();
    await timeline.phase('kpiReadYourWrites', () => readYourWrites.kpisAt(drained.head, KPI_FROM, KPI_TO));
    const kpis = await first.get(`/kpis?from=${KPI_FROM}&to=${KPI_TO}`);
    const covered = await webhooks.coveredLog();
    const caughtUp = await timeline.phase('webhooksCaughtUp', () =>
      webhooks.caughtUp(covered, settings.drainTimeoutMs),
    );
    timeline.log(
      `webhooks caught up: ${webhooks.delivered()} events delivered in ${webhooks.receiver.requests.length} requests`,
    );

    const second = clients[1] ?? first;
    const automationsFinal = await automationsOverview(second);

    await timeline.phase('stop', () => cluster.stopAll());
    timeline.total();
    return {
      dataDir: cluster.dataDir,
      masterKeys: cluster.sharedSettings['MASTER_KEYS'] ?? '',
      partitions: cluster.partitions,
      customers,
      load: result,
      writesPerApi: clients.map((_, api) => result.acknowledged.filter((write) => write.api === api).length),
      readBacks: readYourWrites.samples,
      ...disruptions.report(assignmentAfter),
      automations: { caughtUp: automationsAfterLoad, final: automationsFinal },
      webhooks: {
        created: webhooks.created,
        caughtUp,
        log: covered,
        requests: webhooks.receiver.requests,
      },
      drained,
      kpis,
      backlogPeak: liveGate.peak,
      exits: Object.fromEntries(cluster.processes.map((app) => [app.name, app.exits])),
      logProblems: cluster.processes.flatMap((app) => logFileProblems(app.name, app.logFile)),
      durationsMs: timeline.durationsMs,
    };
  } finally {
    await gate?.close();
    await Promise.all(clients.map((client) => client.close()));
    await cluster.stopAll();
    // After the webhooks process stopped: it would only retry against a closed port.
    await subscription?.close();
  }
}
