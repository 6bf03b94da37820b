import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { API_KEY_FORMAT, loadConfig, SqliteApiKeyStore } from '@crm/platform';
import { createApp } from '../src/create-app';
import { expectError } from './support/api';
import { TestApp } from './support/test-app';

type LogLine = Readonly<Record<string, unknown>>;

function parseLines(lines: readonly string[]): LogLine[] {
  return lines.map((line) => {
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    return JSON.parse(line) as LogLine;
  });
}

describe('structured logs', () => {
  let app: TestApp;
  const lines: string[] = [];

  beforeAll(async () => {
    app = await TestApp.start({ LOG_LEVEL: 'log' }, { logSink: (line) => lines.push(line) });
  });

  afterAll(async () => {
    await app.stop();
  });

  beforeEach(() => {
    lines.length = 0;
  });

  it('writes one JSON object per request with method, url, status, duration and correlation id', async () => {
    await app.get('/kpis?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z', {
      'x-correlation-id': 'trace-ok',
    });

    expect(parseLines(lines)).toContainEqual({
      time: expect.any(String) as string,
      level: 'log',
      context: 'HTTP',
      message: 'request',
      correlationId: 'trace-ok',
      method: 'GET',
      url: '/kpis?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z',
      route: '/kpis',
      status: 200,
      durationMs: expect.any(Number) as number,
    });
  });

  it('carries the correlation id on lines written while serving a request, never the key', async () => {
    const forged = 'crm_0123456789abcdef_' + 's'.repeat(43);

    const response = await app
      .as(forged)
      .post('/customers', { kind: 'person', name: 'Eve' }, { 'x-correlation-id': 'trace-bad-key' });

    expectError(response, 401, 'AUTH.INVALID_KEY');
    const logged = parseLines(lines);
    expect(logged).toContainEqual(
      expect.objectContaining({ level: 'warn', context: 'Auth', correlationId: 'trace-bad-key' }),
    );
    expect(logged).toContainEqual(
      expect.objectContaining({ context: 'HTTP', correlationId: 'trace-bad-key', status: 401 }),
    );
    expect(lines.join('')).not.toContain('s'.repeat(43));
  });

  it('never logs a key sent in the query string', async () => {
    await app.as(null).get(`/customers/p1/events?limit=1&api_key=${app.apiKey}&token=plain-secret`);

    const access = parseLines(lines).find((line) => line.context === 'HTTP' && line.message === 'request');
    expect(access?.url).toBe('/customers/p1/events?limit=1&api_key=[REDACTED]&token=[REDACTED]');
    expect(lines.join('')).not.toContain(app.apiKey);
    expect(lines.join('')).not.toContain('plain-secret');
  });

  it('gives a generated correlation id to a request that sent none, as echoed to the client', async () => {
    const response = await app.get('/health/live');

    const access = parseLines(lines).find((line) => line.context === 'HTTP');
    expect(access?.correlationId).toBe(response.headers['x-correlation-id']);
  });
});

describe('the dev API key', () => {
  let dataDir: string;
  let lines: string[];

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-devkey-'));
    lines = [];
  });

  afterEach(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function boot(env: Record<string, string> = {}): Promise<NestFastifyApplication> {
    const config = loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'log', ...env });
    const app = await createApp(config, { logSink: (line) => lines.push(line) });
    await app.init();
    return app;
  }

  const keyCount = async (): Promise<number> => {
    const store = SqliteApiKeyStore.open(join(dataDir, 'api-keys.sqlite'));
    const count = (await store.list()).length;
    await store.close();
    return count;
  };

  it('is made once on an empty key store, readable only by its owner, and opens every route', async () => {
    const app = await boot();
    const file = join(dataDir, 'dev-api-key');
    const key = readFileSync(file, 'utf8').trim();

    const write = await app.inject({
      method: 'POST',
      url: '/customers',
      payload: { kind: 'person', name: 'Dev' },
      headers: { authorization: `Bearer ${key}` },
    });
    const read = await app.inject({
      method: 'GET',
      url: '/customers?limit=1',
      headers: { 'x-api-key': key },
    });
    await app.close();

    expect(key).toMatch(API_KEY_FORMAT);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect([write.statusCode, read.statusCode]).toEqual([201, 200]);
    const logged = lines.join('');
    expect(logged).toContain(file);
    expect(logged).not.toContain(key);

    const again = await boot();
    await again.close();
    expect(readFileSync(file, 'utf8').trim()).toBe(key);
    expect(await keyCount()).toBe(1);
  });

  it('is not made when AUTH_DEV_KEY=false: every protected route then refuses', async () => {
    const app = await boot({ AUTH_DEV_KEY: 'false' });
    const response = await app.inject({ method: 'GET', url: '/customers' });
    await app.close();

    expect(() => statSync(join(dataDir, 'dev-api-key'))).toThrow();
    expect(await keyCount()).toBe(0);
    expect(response.statusCode).toBe(401);
  });
});
