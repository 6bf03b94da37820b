import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { type AppConfig, CLOCK, type Clock, loadConfig } from '@crm/platform';
import type { Projection, ProjectionFactory } from '@crm/projections';
import { PROJECTION_SOURCE, PROJECTIONS, type ProjectionSource } from '@crm/projections/runtime';
import { AppModule } from '../../src/app.module';
import {
  appLogger,
  configureApp,
  createApp,
  type CreateAppOptions,
  fastifyAdapter,
  nestOptions,
} from '../../src/create-app';
import { bearer, issueTestKey } from './api-keys';

export type TestAppOptions = CreateAppOptions & {
  /**
   * Replaces the customer projections (say, with one that fails on chosen
   * events). Functions cannot reach a worker thread: these run in the main
   * thread (PROJECTIONS_THREAD=main, the suite's default).
   */
  readonly projections?: readonly Projection[];
  /**
   * Replaces them with a module's, which a projection worker thread loads
   * too (PROJECTIONS_THREAD=worker): the same projections in both threads.
   */
  readonly projectionSource?: ProjectionSource;
  /**
   * The clock every service of the app reads (the platform CLOCK): "now" of
   * reads, the automations' deadlines. Events keep the occurredAt they carry.
   */
  readonly clock?: Clock;
};

export type TestResponse<T = unknown> = {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: T;
};

/**
 * The embedded app on a fresh data directory, driven through Fastify's
 * in-process inject (no sockets). Requests carry `apiKey`, a key with every
 * role, unless sent through `as(...)`.
 *
 * The projections run in the main thread unless `env` says
 * PROJECTIONS_THREAD=worker: a worker thread started from the TypeScript
 * sources takes seconds to load them, in each of hundreds of apps the suite
 * boots. `npm start`'s default, the worker, is booted by the suites that ask
 * for it (projections-worker*.e2e-spec.ts) and by the process tests, which
 * start the app as `npm start` does.
 */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    readonly dataDir: string,
    readonly apiKey: string,
    private readonly sentKey: string | null = apiKey,
    /** False when the caller gave DATA_DIR: stopping leaves the directory to its owner. */
    private readonly ownsDataDir = true,
    private readonly options: TestAppOptions = {},
  ) {}

  static async start(env: Record<string, string> = {}, options: TestAppOptions = {}): Promise<TestApp> {
    // A given DATA_DIR (booting on another app's data) gets the key too, and is not ours to delete.
    const dataDir = env.DATA_DIR ?? mkdtempSync(join(tmpdir(), 'crm-e2e-'));
    // Automations off unless a suite asks for them: they record events of their own (breaches of
    // cases opened years ago, survey requests), which suites counting a stream's events do not expect.
    const config = loadConfig({ LOG_LEVEL: 'error', AUTOMATIONS: 'off', ...env, DATA_DIR: dataDir });
    const apiKey = await issueTestKey(dataDir);
    // Settings read beside the config (KAFKA_*) come from the same environment.
    const withEnv: TestAppOptions = {
      ...options,
      env: { PROJECTIONS_THREAD: 'main', ...env, DATA_DIR: dataDir },
    };
    const app = await TestApp.boot(config, withEnv);
    return new TestApp(app, config, dataDir, apiKey, apiKey, env.DATA_DIR === undefined, withEnv);
  }

  /** The same app, with requests sending `key` instead (null: no key at all). Stop the original, not this. */
  as(key: string | null): TestApp {
    return new TestApp(this.app, this.config, this.dataDir, this.apiKey, key, this.ownsDataDir, this.options);
  }

  /**
   * Closes this app (as a process exit would) and boots a fresh one on the same
   * data directory and config: whatever it then serves came from disk. Use the
   * returned instance from here on; this one is closed.
   */
  async restart(): Promise<TestApp> {
    await this.app.close();
    const app = await TestApp.boot(this.config, this.options);
    return new TestApp(
      app,
      this.config,
      this.dataDir,
      this.apiKey,
      this.apiKey,
      this.ownsDataDir,
      this.options,
    );
  }

  private static async boot(
    config: AppConfig,
    options: TestAppOptions = {},
  ): Promise<NestFastifyApplication> {
    const app = options.projections
      ? await TestApp.withProjections(config, options.projections, null, options)
      : options.projectionSource
        ? await TestApp.withProjections(
            config,
            await loadProjections(options.projectionSource, config),
            options.projectionSource,
            options,
          )
        : options.clock
          ? await TestApp.withProjections(config, null, null, options)
          : await createApp(config, options);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }

  /** The app with its projections (null: the configured ones) and clock replaced as the options say. */
  private static async withProjections(
    config: AppConfig,
    projections: readonly Projection[] | null,
    source: ProjectionSource | null,
    options: TestAppOptions,
  ): Promise<NestFastifyApplication> {
    let builder = Test.createTestingModule({ imports: [AppModule.forConfig(config, options.env)] });
    if (projections !== null)
      builder = builder
        .overrideProvider(PROJECTIONS)
        .useValue(projections)
        .overrideProvider(PROJECTION_SOURCE)
        .useValue(source);
    if (options.clock !== undefined) builder = builder.overrideProvider(CLOCK).useValue(options.clock);
    const module = await builder.compile();
    const logger = appLogger(config, options);
    return configureApp(
      module.createNestApplication<NestFastifyApplication>(fastifyAdapter(config), nestOptions(logger)),
      logger,
      config,
    );
  }

  async request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const withKey = this.sentKey === null ? headers : { ...bearer(this.sentKey), ...headers };
    const response = await this.app.inject({
      method,
      url,
      payload,
      headers: payload === undefined ? withKey : { 'content-type': 'application/json', ...withKey },
    });
    const text = response.body;
    // JSON bodies parsed; anything else (NDJSON, Prometheus text) handed over as text.
    const type = String(response.headers['content-type'] ?? '');
    const parsed: unknown =
      text === '' ? undefined : type.startsWith('application/json') ? JSON.parse(text) : text;
    return { statusCode: response.statusCode, headers: response.headers, body: parsed as T };
  }

  post<T = unknown>(url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>> {
    return this.request<T>('POST', url, body, headers);
  }

  get<T = unknown>(url: string, headers?: Record<string, string>): Promise<TestResponse<T>> {
    return this.request<T>('GET', url, undefined, headers);
  }

  async stop(): Promise<void> {
    await this.app.close();
    if (this.ownsDataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }
}

/** The projections a ProjectionSource names, as the worker thread loads them. */
async function loadProjections(source: ProjectionSource, config: AppConfig): Promise<readonly Projection[]> {
  const loaded = (await import(source.module)) as Record<string, ProjectionFactory>;
  const factory = loaded[source.exportName];
  if (!factory) throw new Error(`${source.module} exports no ${source.exportName}`);
  return factory({ churnWindowDays: config.projections.churnWindowDays, data: source.data });
}
