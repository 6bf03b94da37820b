import { type ChildProcess, execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';
import { SqliteEventStore } from '@crm/event-store';
import { fixtureEvents, fixtureExpected } from '../../../libs/projections/src/testing/crm-fixture';
import { freePort, startApi } from '../../../tools/support/built-api';

/*
 * The console in Debian's chromium against the BUILT app (`npm run test:browser`
 * builds it), on an embedded data dir seeded with the hand-checked fixture through
 * the product's own import: the KPI numbers on screen are the fixture's expected ones.
 */

const ROOT = join(__dirname, '..', '..', '..');
const DIST = join(ROOT, 'dist');
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = join(ROOT, 'artifacts', 'browser');
const CHROMIUM_FLAGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A customer whose purchase no money read model can hold: its event becomes a dead letter of four (campaign performance, portfolio, IDIC, KPIs). */
const POISONED = 'poisoned-01';

type KpiExpectation = {
  readonly period: string;
  readonly valueCreation: { readonly revenue: number; readonly orders: number };
  readonly performanceAssessment: {
    readonly nps: number | null;
    readonly csat: number | null;
    readonly funnel: Readonly<Record<string, number>>;
  };
  readonly multichannelIntegration: { readonly touchpointsByChannel: Readonly<Record<string, number>> };
};
type IdicExpectation = {
  readonly valueTier: string;
  readonly R: number | null;
  readonly F: number | null;
  readonly M: number | null;
  readonly differentiationScore: number | null;
};
type Expected = {
  readonly kpis: readonly KpiExpectation[];
  readonly snapshots: readonly {
    readonly asOf: string;
    readonly idic: { readonly customers: Readonly<Record<string, IdicExpectation>> };
  }[];
};

function crm(dataDir: string, ...args: string[]): string {
  return execFileSync(process.execPath, [join(ROOT, 'bin', 'crm.js'), ...args], {
    env: { PATH: process.env.PATH, DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/**
 * The fixture through `crm import` (its emails trimmed, as the import's
 * validation asks; nothing a KPI counts changes), plus the registration of the
 * poisoned customer in 2026, after every period the KPI checks look at.
 */
function seed(dataDir: string): void {
  const lines = fixtureEvents().map((line) =>
    typeof line.data.email === 'string'
      ? { ...line, data: { ...line.data, email: line.data.email.trim() } }
      : line,
  );
  lines.push({
    customerId: POISONED,
    type: 'CustomerRegistered',
    eventId: randomUUID(),
    occurredAt: '2026-06-01T00:00:00.000Z',
    data: { customerId: POISONED, kind: 'person', name: 'Pat Poisoned' },
  });
  const file = join(dataDir, '..', 'seed.ndjson');
  writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n');
  crm(dataDir, 'import', file);
}

/** A purchase appended straight to the log, as data that got past the edge (an import of old data) would be. */
async function appendHugePurchase(dataDir: string): Promise<void> {
  const store = await SqliteEventStore.open({ file: join(dataDir, 'events.sqlite') });
  try {
    const eventId = randomUUID();
    await store.append(`customer-${POISONED}`, [
      {
        eventId,
        type: 'PurchaseCompleted',
        version: 1,
        occurredAt: '2026-06-02T00:00:00.000Z',
        data: { orderId: 'huge-1', amount: 1e308, currency: 'EUR', channel: 'web' },
        metadata: { correlationId: eventId, causationId: null, actor: 'test', source: 'test' },
      },
    ]);
  } finally {
    await store.close();
  }
}

function bundleSize(): { raw: number; gzip: number; files: Record<string, number> } {
  const dir = join(DIST, 'console', 'assets');
  const files: Record<string, number> = {};
  let raw = 0;
  let gzip = 0;
  for (const name of readdirSync(dir)) {
    const bytes = readFileSync(join(dir, name));
    files[name] = bytes.length;
    raw += bytes.length;
    gzip += gzipSync(bytes).length;
  }
  return { raw, gzip, files };
}

/** Waits for the locator's text to become `text` (views render once their data arrives), then checks it. */
async function shows(locator: Locator, text: string): Promise<void> {
  await eventually(
    () => locator.textContent(),
    (shown) => shown === text,
    `"${text}"`,
  ).catch(() => undefined);
  expect(await locator.textContent()).toBe(text);
}

/** An attribute of every element the locator finds, in document order. */
async function attributes(locator: Locator, name: string): Promise<(string | null)[]> {
  const values: (string | null)[] = [];
  for (let index = 0, count = await locator.count(); index < count; index++)
    values.push(await locator.nth(index).getAttribute(name));
  return values;
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

describe('the console in a browser (built app, seeded embedded data)', () => {
  const expected = fixtureExpected<Expected>();
  const metrics: Record<string, unknown> = {};
  let root: string;
  let api: ChildProcess;
  let base: string;
  let adminKey: string;
  let readKey: string;
  let ingestKey: string;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const offOrigin: string[] = [];
  const pageErrors: string[] = [];

  const shot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
  const apiGet = async <T>(path: string): Promise<T> => {
    const response = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${adminKey}` } });
    return (await response.json()) as T;
  };

  async function open(key: string): Promise<{ context: BrowserContext; page: Page }> {
    const opened = await browser.newContext({
      viewport: { width: 1366, height: 900 },
      acceptDownloads: true,
    });
    const tab = await opened.newPage();
    tab.on('request', (request) => {
      if (!request.url().startsWith(base) && !/^(data|blob):/.test(request.url()))
        offOrigin.push(request.url());
    });
    tab.on('pageerror', (error) => pageErrors.push(error.message));
    tab.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text()))
        pageErrors.push(message.text());
    });
    await tab.goto(`${base}/console`);
    await tab.getByLabel('API key').fill(key);
    await tab.getByRole('button', { name: 'Sign in' }).click();
    await tab.getByTestId('who').waitFor();
    return { context: opened, page: tab };
  }

  beforeAll(async () => {
    // No silent skip: without the build or the browser this tier fails and says why.
    for (const needed of [join(DIST, 'apps', 'api', 'src', 'main.js'), join(DIST, 'console', 'index.html')])
      if (!existsSync(needed))
        throw new Error(`${needed} is missing: run \`npm run test:browser\` (it builds first)`);
    if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing: run infra/chromium/install.sh`);
    mkdirSync(ARTIFACTS, { recursive: true });

    root = mkdtempSync(join(tmpdir(), 'crm-console-'));
    const dataDir = join(root, 'data');
    seed(dataDir);
    await appendHugePurchase(dataDir);
    adminKey = crm(dataDir, 'keys', 'create', '--name', 'operator', '--roles', 'read,analyst,admin').trim();
    readKey = crm(dataDir, 'keys', 'create', '--name', 'viewer', '--roles', 'read').trim();
    ingestKey = crm(dataDir, 'keys', 'create', '--name', 'importer', '--roles', 'ingest').trim();

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    api = await startApi(
      dataDir,
      port,
      {},
      { main: join(DIST, 'apps', 'api', 'src', 'main.js'), timeoutMs: 30_000 },
    );
    type Overview = { projections: { checkpoint: number; headPosition: number }[] };
    await eventually(
      () => apiGet<Overview>('/admin/projections'),
      (o) => o.projections.every((p) => p.checkpoint === p.headPosition),
      'the projections to catch up',
    );
    await eventually(
      () => apiGet<{ items: { customerId: string }[] }>('/admin/dead-letters?status=open'),
      (letters) => letters.items.filter((l) => l.customerId === POISONED).length === 4,
      'the poisoned purchase to be dead-lettered',
    );

    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_FLAGS });
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
    api?.kill('SIGTERM');
    if (api && api.exitCode === null) await new Promise((resolve) => api.once('exit', resolve));
    if (root) rmSync(root, { recursive: true, force: true });
    if (Object.keys(metrics).length > 0) {
      writeFileSync(join(ARTIFACTS, 'metrics.json'), JSON.stringify(metrics, null, 2) + '\n');
      console.log(`console metrics (also in artifacts/browser/metrics.json): ${JSON.stringify(metrics)}`);
    }
  });

  it('loads from the API alone, asks for a key and says plainly when one is refused', async () => {
    context = await browser.newContext({ viewport: { width: 1366, height: 900 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('request', (request) => {
      if (!request.url().startsWith(base) && !/^(data|blob):/.test(request.url()))
        offOrigin.push(request.url());
    });
    page.on('pageerror', (error) => pageErrors.push(error.message));

    await page.goto(`${base}/console`);
    await page.getByLabel('API key').waitFor();
    const shownAt = await page.evaluate<number>('performance.now()');
    // The page's own Navigation Timing entry (milliseconds from the start of the navigation).
    const timing = JSON.parse(
      await page.evaluate<string>(
        'JSON.stringify((({ responseEnd, domContentLoadedEventEnd, loadEventEnd }) => ({ responseEnd, domContentLoaded: domContentLoadedEventEnd, load: loadEventEnd }))(performance.getEntriesByType("navigation")[0]))',
      ),
    ) as Record<string, number>;
    metrics.firstLoadMs = { ...timing, signInFormShown: shownAt };
    metrics.bundle = bundleSize();
    await shot('sign-in');

    await page.getByLabel('API key').fill(`crm_${'0'.repeat(16)}_${'A'.repeat(43)}`);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('alert').textContent()).resolves.toMatch(/API key was not accepted/);
    expect(await page.evaluate<number>('sessionStorage.length')).toBe(0);

    await page.getByLabel('API key').fill(adminKey);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await shows(page.getByTestId('who'), 'operator (read, analyst, admin)');
    // The key stays in this tab's session, never in the address.
    expect(page.url()).not.toContain(adminKey);
    expect(await page.evaluate<string[]>('Object.values(sessionStorage)')).toEqual([adminKey]);
  });

  it('charts the seeded KPIs by month, with the fixture’s numbers in the tables and the CSV', async () => {
    const started = Date.now();
    await page.getByLabel('From (inclusive)').fill('2025-01-01');
    await page.getByLabel('To (exclusive)').fill('2026-01-01');
    await page.getByLabel('Granularity').selectOption('month');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByTestId('table-revenue').locator('[data-row="2025-01"]').waitFor({ state: 'attached' });
    metrics.kpiViewRenderedMs = Date.now() - started;
    expect(page.url()).toContain('/console/kpis?from=2025-01-01&to=2026-01-01&granularity=month');

    const year = expected.kpis.find((k) => k.period === 'year-2025');
    if (year === undefined) throw new Error('the fixture has no year-2025 KPIs');
    await shows(
      page.getByTestId('total-revenue').locator('dd'),
      (year.valueCreation.revenue / 100).toLocaleString('en', { minimumFractionDigits: 2 }),
    );
    await shows(page.getByTestId('total-orders').locator('dd'), String(year.valueCreation.orders));
    await shows(page.getByTestId('total-nps').locator('dd'), String(year.performanceAssessment.nps));

    const cell = (table: string, row: string, column: string) =>
      page
        .getByTestId(table)
        .locator(`[data-row="${row}"] [data-column="${column}"]`)
        .getAttribute('data-value');
    for (const month of expected.kpis.filter((k) => k.period.startsWith('month-'))) {
      const row = month.period.slice('month-'.length);
      await expect(cell('table-revenue', row, 'Net revenue')).resolves.toBe(
        String(month.valueCreation.revenue),
      );
      await expect(cell('table-orders', row, 'Orders')).resolves.toBe(String(month.valueCreation.orders));
      if (month.performanceAssessment.nps !== null)
        expect(Number(await cell('table-satisfaction', row, 'NPS'))).toBeCloseTo(
          month.performanceAssessment.nps,
          9,
        );
    }
    for (const [stage, customers] of Object.entries(year.performanceAssessment.funnel))
      await expect(cell('table-funnel', stage, 'Customers')).resolves.toBe(String(customers));
    for (const [channel, touchpoints] of Object.entries(year.multichannelIntegration.touchpointsByChannel))
      await expect(cell('table-channels', channel, 'Touchpoints')).resolves.toBe(String(touchpoints));
    // Six charts drawn, each a canvas with its table.
    await expect(page.locator('figure.chart canvas').count()).resolves.toBe(6);
    await shot('kpis');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('kpis-2025-01-01-2026-01-01.csv');
    const csv = readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(csv[0]).toMatch(/^period,revenue \(minor units\),orders,/);
    expect(csv[1]).toMatch(/^2025-01,51500,4,/);
    expect(
      csv.filter((line) => line.startsWith(`total 2025-01-01..2026-01-01,${year.valueCreation.revenue},`)),
    ).toHaveLength(1);
    expect(csv).toHaveLength(1 + 12 + 1 + 1);
  });

  it('pages customers, filters them by value tier and stage, opens one, exports it, and travels back in time', async () => {
    await page.getByRole('link', { name: 'Customers' }).click();
    // Paged by the API's cursors: 34 customers, 20 a page; back again keeps the first page.
    const listed = page.getByTestId('customers').locator('tbody tr');
    await page.getByTestId('customers').locator('[data-row="cust-01"]').waitFor();
    await expect(listed.count()).resolves.toBe(20);
    await page.getByRole('button', { name: 'Next page' }).click();
    await shows(page.getByTestId('customers').locator('caption'), 'Customers, page 2');
    await expect(listed.count()).resolves.toBe(14);
    await page.getByRole('button', { name: 'Previous page' }).click();
    await page.getByTestId('customers').locator('[data-row="cust-01"]').waitFor();

    await page.getByLabel('Value tier').selectOption('low');
    await page.getByLabel('Stage').selectOption('conversion');
    await page.getByRole('button', { name: 'Search' }).click();
    const rows = page.getByTestId('customers').locator('tbody tr');
    await page.getByTestId('customers').locator('[data-row="cust-07"]').waitFor();
    const tiers = await attributes(rows.locator('[data-column="Value tier"]'), 'data-value');
    expect(tiers.length).toBeGreaterThan(0);
    expect(new Set(tiers)).toEqual(new Set(['low']));
    await shot('customers');

    await page.getByRole('link', { name: 'Dana Scully' }).click();
    await shows(page.getByTestId('stage'), 'conversion');
    await shows(page.getByTestId('profile').locator('[data-fact="Email"]'), 'dana@scully.example');
    await expect(attributes(page.getByTestId('stage-history').locator('li'), 'data-stage')).resolves.toEqual([
      'reach',
      'acquisition',
      'conversion',
    ]);
    await page.getByTestId('touchpoints').locator('tbody tr').first().waitFor();
    await expect(page.getByTestId('touchpoints').locator('tbody tr').count()).resolves.toBe(4);
    await shot('customer');

    // Erasure asks for the customer's id, typed, before it may act; cancelled here.
    await page.getByRole('button', { name: 'Erase…' }).click();
    const erase = page.getByTestId('confirm').getByRole('button', { name: 'Erase' });
    await expect(erase.isDisabled()).resolves.toBe(true);
    await page.getByTestId('confirm-typed').fill('cust-7');
    await expect(erase.isDisabled()).resolves.toBe(true);
    await page.getByTestId('confirm-typed').fill('cust-07');
    await expect(erase.isDisabled()).resolves.toBe(false);
    await page.getByTestId('confirm').getByRole('button', { name: 'Cancel' }).click();

    // The subject export, once the id is typed: everything held about the customer, as a JSON file.
    await page.getByRole('button', { name: 'Export…' }).click();
    await page.getByTestId('confirm-typed').fill('cust-07');
    const [exported] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('confirm').getByRole('button', { name: 'Export' }).click(),
    ]);
    expect(exported.suggestedFilename()).toBe('customer-cust-07.json');
    const subject = JSON.parse(readFileSync(await exported.path(), 'utf8')) as {
      customerId: string;
      events: unknown[];
    };
    expect(subject.customerId).toBe('cust-07');
    expect(subject.events).toHaveLength(5);

    const snapshot = expected.snapshots.find((s) => s.asOf === '2025-03-01T00:00:00.000Z');
    const then = snapshot?.idic.customers['cust-07'];
    if (then === undefined) throw new Error('the fixture has no cust-07 at 2025-03-01');
    await page.getByLabel('As of (UTC)').fill('2025-03-01T00:00');
    await page.getByRole('button', { name: 'Travel' }).click();
    await shows(page.getByTestId('as-of'), 'As of 2025-03-01 00:00 UTC: replayed from the event history.');
    const scores = page.getByTestId('scores');
    await shows(scores.locator('[data-fact="Value tier"]'), then.valueTier);
    await shows(scores.locator('[data-fact="RFM (R, F, M)"]'), `${then.R}, ${then.F}, ${then.M}`);
    await shows(scores.locator('[data-fact="Differentiation score"]'), String(then.differentiationScore));
    expect(page.url()).toContain('asOf=2025-03-01T00%3A00%3A00Z');
    await shot('customer-as-of');

    // A reload of the deep link comes back to the same view (the API serves the page for it).
    await page.reload();
    await expect(page.getByTestId('as-of').textContent()).resolves.toMatch(/^As of 2025-03-01 00:00 UTC/);
  });

  it('pauses and resumes a projection, each after a confirmation', async () => {
    await page.getByRole('link', { name: 'Operations' }).click();
    const state = () =>
      page
        .getByTestId('projections')
        .locator('[data-row="idic-scores"] [data-column="State"]')
        .getAttribute('data-value');
    await eventually(state, (s) => s === 'running', 'idic-scores to show running');

    await page.getByRole('button', { name: 'Pause idic-scores' }).click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Pause' }).click();
    await eventually(state, (s) => s === 'paused', 'idic-scores to show paused');
    type Overview = { projections: { name: string; state: string }[] };
    const paused = await apiGet<Overview>('/admin/projections');
    expect(paused.projections.find((p) => p.name === 'idic-scores')?.state).toBe('paused');
    await shot('operations-paused');

    await page.getByRole('button', { name: 'Resume idic-scores' }).click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Resume' }).click();
    await eventually(state, (s) => s === 'running', 'idic-scores to show running again');
    const resumed = await apiGet<Overview>('/admin/projections');
    expect(resumed.projections.find((p) => p.name === 'idic-scores')?.state).toBe('running');
  });

  it('retries a dead letter (the API says why it fails again), skips it, inspects its stream, erases a customer', async () => {
    const letters = page.getByTestId('dead-letters');
    const id = (
      await apiGet<{ items: { id: string; customerId: string; projection: string }[] }>(
        '/admin/dead-letters?status=open',
      )
    ).items.find((l) => l.customerId === POISONED && l.projection === 'idic-scores')?.id;
    if (id === undefined) throw new Error('no open idic-scores letter of the poisoned customer');
    const attempts = () =>
      letters.locator(`[data-row="${id}"] [data-column="Attempts"]`).getAttribute('data-value');
    const before = Number(await attempts());

    await page.getByRole('button', { name: `Retry ${id}` }).click();
    await expect(page.getByRole('alert').first().textContent()).resolves.toMatch(
      /failed again \(id: 1e\+308 is no safe integer to rank\)/,
    );
    await eventually(attempts, (a) => Number(a) === before + 1, 'the retry to count as an attempt');
    await shot('operations-dead-letters');

    await page.getByRole('button', { name: `Skip ${id}` }).click();
    await page.getByTestId('confirm').getByRole('button', { name: 'Skip' }).click();
    await letters.locator(`[data-row="${id}"]`).waitFor({ state: 'detached' });
    await page.getByLabel('Status').selectOption('skipped');
    await expect(
      letters.locator(`[data-row="${id}"] [data-column="Status"]`).getAttribute('data-value'),
    ).resolves.toBe('skipped');

    await page.getByLabel('Stream id').fill(`customer-${POISONED}`);
    await page.getByRole('button', { name: 'Inspect' }).click();
    await expect(
      page.getByTestId('stream-events').locator('tbody [data-column="Type"]').allTextContents(),
    ).resolves.toEqual(['CustomerRegistered', 'PurchaseCompleted']);
    await shot('operations');

    // Erasure from the operations view, behind the customer's id typed again.
    await page.getByLabel('Customer id').fill('cust-01');
    await page.getByRole('button', { name: 'Choose' }).click();
    await page.getByRole('button', { name: 'Erase…' }).click();
    await page.getByTestId('confirm-typed').fill('cust-01');
    await page.getByTestId('confirm').getByRole('button', { name: 'Erase' }).click();
    await shows(page.getByRole('status').filter({ hasText: 'Erased' }), 'Erased cust-01.');
    const erased = await apiGet<{ erasedAt: string | null; profile: { name: unknown } }>(
      '/customers/cust-01',
    );
    expect(erased.erasedAt).not.toBeNull();
    expect(erased.profile.name).not.toBe('Ada Lovelace');
  });

  it('works from the keyboard: a skip link, a visible focus ring, a dialog that Escape cancels', async () => {
    await page.goto(`${base}/console/operations`);
    await page.getByTestId('projections').waitFor();
    const focused = () =>
      page.evaluate<{ text: string; id: string; outline: string }>(
        '(({ textContent, id }, style) => ({ text: textContent, id, outline: style.outlineStyle }))(document.activeElement, getComputedStyle(document.activeElement))',
      );

    await page.keyboard.press('Tab');
    expect(await focused()).toEqual({ text: 'Skip to content', id: '', outline: 'solid' });
    await page.keyboard.press('Enter');
    expect((await focused()).id).toBe('main');

    await page.getByRole('button', { name: 'Pause customer-journey' }).focus();
    await page.keyboard.press('Enter');
    await page.getByTestId('confirm').getByRole('button', { name: 'Pause' }).waitFor();
    await page.keyboard.press('Escape');
    await page.getByTestId('confirm').getByRole('button', { name: 'Pause' }).waitFor({ state: 'detached' });
    type Overview = { projections: { name: string; state: string }[] };
    const after = await apiGet<Overview>('/admin/projections');
    expect(after.projections.find((p) => p.name === 'customer-journey')?.state).toBe('running');
  });

  it('shows a read-only key no admin action, and says what a refused route needs', async () => {
    const viewer = await open(readKey);
    try {
      const tab = viewer.page;
      await shows(tab.getByTestId('who'), 'viewer (read)');
      await expect(tab.getByRole('link', { name: 'Operations' }).count()).resolves.toBe(0);
      await tab.getByTestId('total-revenue').waitFor();

      await tab.goto(`${base}/console/customers/cust-07`);
      await tab.getByTestId('scores').waitFor();
      await expect(tab.getByRole('button', { name: /Erase|Export/ }).count()).resolves.toBe(0);
      await expect(
        tab.getByText('Time travel (“as of” a past instant) needs a key with the analyst role.').count(),
      ).resolves.toBe(1);

      await tab.goto(`${base}/console/operations`);
      await shows(tab.getByRole('alert'), 'Operations need a key with the admin role; this key has read.');
      await expect(
        tab.getByRole('button', { name: /Pause|Resume|Rebuild|Retry|Skip/ }).count(),
      ).resolves.toBe(0);
      await tab.screenshot({ path: join(ARTIFACTS, 'read-only.png'), fullPage: true });
    } finally {
      await viewer.context.close();
    }
  });

  it('tells a key without the role a view needs which role that is', async () => {
    const importer = await open(ingestKey);
    try {
      await shows(
        importer.page.getByRole('alert'),
        'This API key may not do that (needs one of read; the key has ingest). Ask an administrator for a key with that role.',
      );
      await importer.page.screenshot({ path: join(ARTIFACTS, 'forbidden.png'), fullPage: true });
    } finally {
      await importer.context.close();
    }
  });

  it('made no request to another origin and broke no Content-Security-Policy', () => {
    expect(offOrigin).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
