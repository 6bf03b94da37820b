import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type ReadStore, SqliteReadStore } from '@crm/read-store';
import { MongoReadStore } from '@crm/read-store/mongo';
import { freePort } from '../support/built-api';
import { AppProcess, type Role } from './app-process';

/** Where the read models live: a SQLite file in the shared DATA_DIR, or a MongoDB (FerretDB) database. */
export type ReadStoreChoice =
  { readonly kind: 'sqlite' } | { readonly kind: 'mongodb'; readonly url: string; readonly database: string };

export type ClusterOptions = {
  /** Unique per run: names the topics and the consumer group. */
  readonly name: string;
  /** The DATA_DIR every process shares: the SQLite event store, the key stores, the SQLite read store. */
  readonly dataDir: string;
  /** One log file per process goes here. */
  readonly logDir: string;
  readonly kafkaBrokers: string;
  readonly readStore: ReadStoreChoice;
  /** KAFKA_PARTITIONS when the relay creates the topic (default 12). */
  readonly partitions?: number;
  /** Ports base, base+1, … in start order; unset: free ports. */
  readonly portBase?: number;
  /** Settings every process gets (e.g. READ_WAIT_MS). */
  readonly env?: Readonly<Record<string, string>>;
};

/** Of the caller's environment, only what a node process needs to run: no engine settings. */
const INHERITED = ['PATH', 'HOME', 'TMPDIR', 'TZ', 'LANG'];

/**
 * The production shape on one machine: separate OS processes of the built
 * app (`api`, `relay`, `projector`, and optionally `webhooks` and
 * `automations`) sharing one
 * DATA_DIR (the SQLite event store) and one read store, fanned out through
 * a real Kafka broker, as the README's production recipe runs them. Used by
 * the system test and the pipeline bench. Every process it starts is ended
 * by `stopAll` (or, if the caller dies first, SIGKILLed by an exit hook).
 */
export class ProductionCluster {
  readonly topic: string;
  readonly groupId: string;
  readonly processes: AppProcess[] = [];
  private nextPort: number | undefined;
  private readonly env: Readonly<Record<string, string>>;
  private readonly onExit = (): void => this.processes.forEach((app) => app.killNow());

  readonly dlqTopic: string;

  constructor(private readonly options: ClusterOptions) {
    this.topic = `system.${options.name}.events`;
    this.dlqTopic = `system.${options.name}.dlq`;
    this.groupId = `system-${options.name}`;
    this.nextPort = options.portBase;
    mkdirSync(options.dataDir, { recursive: true });
    mkdirSync(options.logDir, { recursive: true });
    this.env = this.sharedEnv();
    process.once('exit', this.onExit);
  }

  get dataDir(): string {
    return this.options.dataDir;
  }

  get kafkaBrokers(): string {
    return this.options.kafkaBrokers;
  }

  /** The read store the processes share, opened from this process (to watch or compare it); close it. */
  openReadStore(): Promise<ReadStore> {
    const store = this.options.readStore;
    return store.kind === 'mongodb'
      ? MongoReadStore.open({ url: store.url, database: store.database })
      : SqliteReadStore.open({ file: join(this.options.dataDir, 'read-models.sqlite') });
  }

  /** KAFKA_PARTITIONS as configured: the figure a reader of the results needs. */
  get partitions(): number {
    return this.options.partitions ?? 12;
  }

  private sharedEnv(): Record<string, string> {
    const env: Record<string, string> = {};
    for (const name of INHERITED) {
      const value = process.env[name];
      if (value !== undefined) env[name] = value;
    }
    const store = this.options.readStore;
    return {
      ...env,
      DATA_DIR: this.options.dataDir,
      // Every process must decrypt with the same key: one set for all, not a dev key each.
      MASTER_KEYS: `system:${randomBytes(32).toString('base64')}`,
      // The projector writes the blind index and the api looks it up: one key for both.
      BLIND_INDEX_KEY: randomBytes(32).toString('base64'),
      AUTH_DEV_KEY: 'true',
      LOG_FORMAT: 'json',
      LOG_LEVEL: 'warn',
      KAFKA_BROKERS: this.options.kafkaBrokers,
      KAFKA_TOPIC: this.topic,
      KAFKA_DLQ_TOPIC: this.dlqTopic,
      KAFKA_GROUP_ID: this.groupId,
      KAFKA_CLIENT_ID: `system-${this.options.name}`,
      KAFKA_PARTITIONS: String(this.partitions),
      // A killed projector's partitions move after 10 s instead of the default 30 s.
      KAFKA_SESSION_TIMEOUT_MS: '10000',
      ...(store.kind === 'mongodb' && { MONGODB_URL: store.url, MONGODB_DATABASE: store.database }),
      ...this.options.env,
    };
  }

  /** The settings every process runs with (the MASTER_KEYS too: a rebuild of the log needs them). */
  get sharedSettings(): Readonly<Record<string, string>> {
    return this.env;
  }

  private async port(): Promise<number> {
    if (this.nextPort === undefined) return freePort();
    return this.nextPort++;
  }

  /** Spawns a process of `role` named `name` (its log: `<logDir>/<name>.log`); not yet ready. */
  async spawn(role: Role, name: string): Promise<AppProcess> {
    const app = new AppProcess(
      name,
      role,
      await this.port(),
      join(this.options.logDir, `${name}.log`),
      this.env,
    );
    this.processes.push(app);
    app.start();
    return app;
  }

  /** Spawns a process and waits until it is ready. */
  async start(role: Role, name: string, readyTimeoutMs = 60_000): Promise<AppProcess> {
    const app = await this.spawn(role, name);
    await app.waitReady(readyTimeoutMs);
    return app;
  }

  /**
   * The standard shape: the first API alone (it creates the event store and
   * the key store with the dev key, which the others then share), then the
   * other APIs, the relay, the projectors and, with `webhooks`, the webhooks
   * process and, with `automations`, the automations process (the
   * reactors) side by side. One webhooks process at most: each subscription
   * has one worker in one process (libs/webhooks, SubscriptionWorker), so a
   * second process would send every event twice. One automations process
   * too (docs/automations.md, "Run modes").
   */
  async startShape(
    shape: { apis: number; projectors: number; webhooks?: boolean; automations?: boolean },
    readyTimeoutMs = 90_000,
  ): Promise<Shape> {
    const first = await this.start('api', 'api-1', readyTimeoutMs);
    const others = await Promise.all([
      ...Array.from({ length: shape.apis - 1 }, (_, i) => this.spawn('api', `api-${i + 2}`)),
      this.spawn('relay', 'relay'),
      ...Array.from({ length: shape.projectors }, (_, i) => this.spawn('projector', `projector-${i + 1}`)),
      ...(shape.webhooks === true ? [this.spawn('webhooks', 'webhooks')] : []),
      ...(shape.automations === true ? [this.spawn('automations', 'automations')] : []),
    ]);
    await Promise.all(others.map((app) => app.waitReady(readyTimeoutMs)));
    const byRole = (role: Role): AppProcess[] => [first, ...others].filter((p) => p.role === role);
    const relay = byRole('relay')[0];
    if (relay === undefined) throw new Error('no relay started');
    return {
      apis: byRole('api'),
      relay,
      projectors: byRole('projector'),
      webhooks: byRole('webhooks')[0] ?? null,
      automations: byRole('automations')[0] ?? null,
    };
  }

  /** SIGTERM to every running process, all at once; SIGKILL to any still running after `graceMs`. */
  async stopAll(graceMs = 15_000): Promise<void> {
    await Promise.all(this.processes.map((app) => app.stop(graceMs)));
    process.removeListener('exit', this.onExit);
  }
}

export type Shape = {
  readonly apis: readonly AppProcess[];
  readonly relay: AppProcess;
  readonly projectors: readonly AppProcess[];
  /** The process delivering webhooks (RUN_MODE=webhooks), when the shape has one. */
  readonly webhooks: AppProcess | null;
  /** The process running the reactors (RUN_MODE=automations), when the shape has one. */
  readonly automations: AppProcess | null;
};
