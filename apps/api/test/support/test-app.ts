import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { type AppConfig, loadConfig } from '@crm/platform';
import type { Projection } from '@crm/projections';
import { PROJECTIONS } from '@crm/read-api';
import { AppModule } from '../../src/app.module';
import { configureApp, createApp, fastifyAdapter, nestOptions } from '../../src/create-app';

export type TestResponse<T = unknown> = {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string | string[] | number | undefined>>;
  readonly body: T;
};

/** The embedded app on a fresh data directory, driven through Fastify's in-process inject (no sockets). */
export class TestApp {
  private constructor(
    readonly app: NestFastifyApplication,
    readonly config: AppConfig,
    private readonly dataDir: string,
    private readonly projections?: readonly Projection[],
  ) {}

  /** `projections` replaces the customer projections (say, with one that fails on chosen events). */
  static async start(
    env: Record<string, string> = {},
    projections?: readonly Projection[],
  ): Promise<TestApp> {
    const dataDir = mkdtempSync(join(tmpdir(), 'crm-e2e-'));
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', ...env });
    return new TestApp(await TestApp.boot(config, projections), config, dataDir, projections);
  }

  /**
   * Closes this app (as a process exit would) and boots a fresh one on the same
   * data directory and config: whatever it then serves came from disk. Use the
   * returned instance from here on; this one is closed.
   */
  async restart(): Promise<TestApp> {
    await this.app.close();
    return new TestApp(
      await TestApp.boot(this.config, this.projections),
      this.config,
      this.dataDir,
      this.projections,
    );
  }

  private static async boot(
    config: AppConfig,
    projections?: readonly Projection[],
  ): Promise<NestFastifyApplication> {
    const app = projections ? await TestApp.withProjections(config, projections) : await createApp(config);
    await app.init();
    await app.getHttpAdapter().getInstance().ready();
    return app;
  }

  private static async withProjections(
    config: AppConfig,
    projections: readonly Projection[],
  ): Promise<NestFastifyApplication> {
    const module = await Test.createTestingModule({ imports: [AppModule.forConfig(config)] })
      .overrideProvider(PROJECTIONS)
      .useValue(projections)
      .compile();
    return configureApp(
      module.createNestApplication<NestFastifyApplication>(fastifyAdapter(config), nestOptions(config)),
    );
  }

  async request<T = unknown>(
    method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE',
    url: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<TestResponse<T>> {
    const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
    const response = await this.app.inject({
      method,
      url,
      payload,
      headers: payload === undefined ? headers : { 'content-type': 'application/json', ...headers },
    });
    const text = response.body;
    return {
      statusCode: response.statusCode,
      headers: response.headers,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
    };
  }

  post<T = unknown>(url: string, body?: unknown, headers?: Record<string, string>): Promise<TestResponse<T>> {
    return this.request<T>('POST', url, body, headers);
  }

  get<T = unknown>(url: string, headers?: Record<string, string>): Promise<TestResponse<T>> {
    return this.request<T>('GET', url, undefined, headers);
  }

  async stop(): Promise<void> {
    await this.app.close();
    rmSync(this.dataDir, { recursive: true, force: true });
  }
}
