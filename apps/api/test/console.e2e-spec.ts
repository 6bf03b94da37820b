import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CONSOLE_CSP } from '../src/console/serve-console';
import { expectError } from './support/api';
import { issueTestKey } from './support/api-keys';
import { TestApp } from './support/test-app';

const INDEX =
  '<!doctype html><title>console</title><script type="module" src="/console/assets/app-1a2b.js"></script>';
const SCRIPT = 'console.log("console");';

describe('the console under /console', () => {
  let app: TestApp;
  let built: string;

  beforeAll(async () => {
    built = mkdtempSync(join(tmpdir(), 'crm-console-'));
    mkdirSync(join(built, 'assets'));
    writeFileSync(join(built, 'index.html'), INDEX);
    writeFileSync(join(built, 'assets', 'app-1a2b.js'), SCRIPT);
    app = await TestApp.start({}, { consoleDir: built });
  });
  afterAll(async () => {
    await app.stop();
    rmSync(built, { recursive: true, force: true });
  });

  const get = (url: string) => app.app.inject({ method: 'GET', url });

  it('serves its page without a key, under a Content-Security-Policy that allows only its own origin', async () => {
    for (const url of ['/console', '/console/']) {
      const response = await get(url);

      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toMatch(/^text\/html/);
      expect(response.body).toBe(INDEX);
      expect(response.headers['content-security-policy']).toBe(CONSOLE_CSP);
      expect(response.headers['content-security-policy']).toContain("default-src 'self'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['cache-control']).toBe('no-cache');
    }
  });

  it('serves its hashed assets with a long cache life', async () => {
    const response = await get('/console/assets/app-1a2b.js');

    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/javascript/);
    expect(response.body).toBe(SCRIPT);
    expect(response.headers['cache-control']).toBe('public, max-age=31536000, immutable');
  });

  it('answers a deep link or a reload of a console route with the page (the console routes it)', async () => {
    for (const url of ['/console/customers/cust-07?asOf=2025-03-01', '/console/operations']) {
      const response = await get(url);

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(INDEX);
    }
  });

  it('answers a missing file, a path outside the build and a write in the one error shape', async () => {
    expectError(await app.request('GET', '/console/assets/missing-0000.js'), 404, 'ROUTE.NOT_FOUND');
    expectError(await app.request('GET', '/console/..%2fpackage.json'), 404, 'ROUTE.NOT_FOUND');
    expectError(await app.request('GET', '/consoles'), 404, 'ROUTE.NOT_FOUND');
    expectError(await app.request('POST', '/console', {}), 405, 'ROUTE.METHOD_NOT_ALLOWED');
  });

  it('is served by an API-only process (RUN_MODE=api) as by the all-in-one', async () => {
    const api = await TestApp.start({ RUN_MODE: 'api' }, { consoleDir: built });
    try {
      const response = await api.app.inject({ method: 'GET', url: '/console/operations' });

      expect(response.statusCode).toBe(200);
      expect(response.body).toBe(INDEX);
    } finally {
      await api.stop();
    }
  });

  it('says how to build it when the build is missing', async () => {
    const bare = await TestApp.start({}, { consoleDir: join(built, 'nowhere') });
    try {
      expectError(await bare.request('GET', '/console/kpis'), 404, 'CONSOLE.NOT_BUILT');
    } finally {
      await bare.stop();
    }
  });
});

describe('GET /auth/key', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(() => app.stop());

  it('tells a key its id, name and roles, never its secret', async () => {
    const key = await issueTestKey(app.dataDir, ['read', 'analyst'], 'analyst-desk');

    const response = await app.as(key).get<Record<string, unknown>>('/auth/key');

    expect(response.statusCode).toBe(200);
    expect(response.body).toEqual({
      keyId: key.slice(4, 20),
      name: 'analyst-desk',
      roles: ['read', 'analyst'],
    });
    expect(JSON.stringify(response.body)).not.toContain(key.slice(21));
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('answers without a key 401, as every guarded route does', async () => {
    expectError(await app.as(null).get('/auth/key'), 401, 'AUTH.MISSING_KEY');
  });
});
