import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore, RAW_EVENT_STORE } from '@crm/event-store';
import { loadConfig } from '@crm/platform';
import { READ_STORE, type ReadStore } from '@crm/read-store';
import { rotateMasterKey } from '@crm/privacy';
import {
  customerPath,
  type ErrorResponseBody,
  expectError,
  readEvents,
  recordTouchpoint,
  registerCustomer,
} from './support/api';
import { eventually, projectionsOf } from './support/admin';
import { call, kpisOf, purchase, refund, scoresOf, segmentPage, survey } from './support/read-models';
import { findOnDisk } from '@crm/privacy/testing';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

type ErasureBody = {
  readonly customerId: string;
  readonly status: 'erased' | 'already_erased';
  readonly eventId: string;
  readonly globalPosition: number;
  readonly erasedAt: string;
  readonly keyShreddedAt: string;
  readonly readModels: 'scrubbed' | 'pending';
};

type ExportBody = {
  readonly customerId: string;
  readonly profile: { readonly kind: string; readonly fields: Readonly<Record<string, unknown>> };
  readonly erased: { readonly eventId: string } | null;
  readonly dataKey: { readonly state: string };
  readonly events: readonly { readonly eventId: string; readonly data: Readonly<Record<string, unknown>> }[];
  readonly readModels: {
    readonly journey: Readonly<Record<string, unknown>> | null;
    readonly idic: Readonly<Record<string, unknown>> | null;
    readonly kpiFacts: Readonly<Record<string, unknown>> | null;
    readonly identityIndex: Readonly<Record<string, unknown>> | null;
  };
};

const ERASED = '[erased]';
const KPI_RANGE = { from: '2025-01-01T00:00:00Z', to: '2025-07-01T00:00:00Z', granularity: 'month' };

/** Distinctive personal values per customer, as sent and as the read models normalise them. */
function personOf(tag: string, phoneDigit: number) {
  return {
    name: `Annabel ${tag}quenneville`,
    email: `Annabel.${tag}@Zeta-Mail.example`,
    phone: `+33 1 45 67 89 0${phoneDigit}`,
    nickname: `Bellezza-${tag}`,
    notes: `prefers the lilac teapot ${tag}`,
    subject: `Invoice for order ${tag}-77`,
    location: `Cafe Rosmarin ${tag}`,
    reason: `chipped spout ${tag}`,
    comment: `charming staff ${tag}`,
    caseSubject: `missing saucer ${tag}`,
    followUpReason: `ring about the saucer ${tag}`,
    followUpOutcome: `saucer posted ${tag}`,
  };
}
type Person = ReturnType<typeof personOf>;

function plaintextOf(person: Person): string[] {
  const sent = Object.values(person);
  const normalised = [person.email.toLowerCase(), person.phone.replace(/\s/g, '')];
  return [...sent, ...normalised];
}

async function recordLife(app: TestApp, customerId: string, person: Person): Promise<number> {
  await registerCustomer(app, customerId, {
    name: person.name,
    email: person.email,
    phone: person.phone,
    segment: 'retail',
    occurredAt: '2025-01-02T00:00:00Z',
    attributes: { nickname: person.nickname, vip: true },
  });
  const record = async (body: Record<string, unknown>) =>
    (await recordTouchpoint(app, customerId, body)).globalPosition;
  await record(call('inbound', '2025-01-05T00:00:00Z', { notes: person.notes }));
  await record({
    type: 'EmailLogged',
    direction: 'inbound',
    subject: person.subject,
    occurredAt: '2025-01-06T00:00:00Z',
  });
  await record({
    type: 'MeetingHeld',
    durationMinutes: 30,
    location: person.location,
    occurredAt: '2025-01-07T00:00:00Z',
  });
  await record(purchase(`${customerId}-o1`, 4000, '2025-02-01T00:00:00Z'));
  await record(purchase(`${customerId}-o2`, 2500, '2025-03-01T00:00:00Z'));
  await record(refund(`${customerId}-o1`, 500, '2025-03-02T00:00:00Z', { reason: person.reason }));
  await record({ ...survey('nps', 10, '2025-03-03T00:00:00Z'), comment: person.comment });
  await record({
    type: 'SupportCaseOpened',
    caseId: 'c-1',
    subject: person.caseSubject,
    occurredAt: '2025-03-04T00:00:00Z',
  });
  // Follow-ups carry free text too (reason, outcome): encrypted, and in no read model.
  const followUps = customerPath(customerId, '/follow-ups');
  const scheduled = await app.post(followUps, {
    followUpId: 'f-1',
    assignee: 'support',
    dueAt: '2025-03-05T00:00:00Z',
    reason: person.followUpReason,
    caseId: 'c-1',
    occurredAt: '2025-03-04T00:00:00Z',
  });
  expect(scheduled.statusCode).toBe(201);
  const completed = await app.post<{ globalPosition: number }>(`${followUps}/f-1/complete`, {
    outcome: person.followUpOutcome,
    occurredAt: '2025-03-05T00:00:00Z',
  });
  expect(completed.statusCode).toBe(201);
  return completed.body.globalPosition;
}

/** The customers `GET /customers` finds by the person's email, phone and name (as typed, not normalised). */
async function lookups(app: TestApp, person: Person, minPosition: number): Promise<string[][]> {
  const found = async (params: Record<string, string>): Promise<string[]> => {
    const page = await segmentPage(app, { ...params, minPosition });
    return page.items.map((item) => item.customerId);
  };
  return [
    await found({ email: person.email.toUpperCase() }),
    await found({ phone: person.phone }),
    await found({ q: person.name.toLowerCase() }),
  ];
}

/** The KPI figures without what depends on the log head (an erasure adds one event). */
async function kpiFigures(app: TestApp, minPosition: number): Promise<unknown> {
  const report = await kpisOf(app, { ...KPI_RANGE, minPosition });
  return JSON.parse(
    JSON.stringify({ periods: report.periods, total: report.total }, (key, value: unknown) =>
      key === 'projectionLag' ? undefined : value,
    ),
  ) as unknown;
}

function erase(app: TestApp, customerId: string, body: Record<string, unknown> = { reason: 'gdpr-art-17' }) {
  return app.post<ErasureBody | ErrorResponseBody>(
    `/admin/customers/${encodeURIComponent(customerId)}/erase`,
    body,
  );
}

async function exportOf(app: TestApp, customerId: string): Promise<ExportBody> {
  const response = await app.get<ExportBody>(customerPath(customerId, '/export'));
  expect(response.statusCode).toBe(200);
  return response.body;
}

/**
 * Rebuilds every projection blue-green and waits until version 2 serves the
 * reads and version 1's collections are cleared: privacy must follow the
 * versions reads use, not the unversioned names.
 */
async function rebuildAll(app: TestApp): Promise<void> {
  for (const { name } of await projectionsOf(app))
    expect((await app.post(`/admin/projections/${name}/rebuild`)).statusCode).toBe(202);
  await eventually(
    () => projectionsOf(app),
    (all) => all.every((projection) => projection.version === 2 && projection.rebuild === null),
  );
  const store = app.app.get<ReadStore>(READ_STORE);
  await eventually(
    async () =>
      (await store.count('journeys')) +
      (await store.count('idic')) +
      (await store.count('kpi_facts')) +
      (await store.count('campaign_customers')) +
      (await store.count('purchase_histories')) +
      (await store.count('identity_index')),
    (left) => left === 0,
  );
}

describe.each([
  { when: 'on the first version of the read models', rebuilt: false, thread: 'main' },
  { when: 'after a blue-green rebuild of every projection', rebuilt: true, thread: 'main' },
  {
    when: 'with the projections in a worker thread, after a blue-green rebuild',
    rebuilt: true,
    thread: 'worker',
  },
])('erasure by crypto-shredding, $when', ({ rebuilt, thread }) => {
  let app: TestApp;
  const ann = personOf('ann', 1);
  const bob = personOf('bob', 2);
  let dataDir: string;
  let head: number;
  let kpisBefore: unknown;
  let erasure: ErasureBody;
  let onDiskBeforeErasure: string[];
  let foundBeforeErasure: string[][];

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTIONS_THREAD: thread });
    dataDir = app.config.dataDir;
    await recordLife(app, 'ann', ann);
    head = await recordLife(app, 'bob', bob);
    if (rebuilt) await rebuildAll(app);
    kpisBefore = await kpiFigures(app, head);
    onDiskBeforeErasure = findOnDisk(dataDir, plaintextOf(ann));
    foundBeforeErasure = await lookups(app, ann, head);
    const response = await erase(app, 'ann');
    expect(response.statusCode).toBe(200);
    erasure = response.body as ErasureBody;
  });

  afterAll(async () => {
    await app.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('finds the customer by email, phone and name prefix before erasure and by none after', async () => {
    expect(foundBeforeErasure).toEqual([['ann'], ['ann'], ['ann']]);
    expect(await lookups(app, ann, erasure.globalPosition)).toEqual([[], [], []]);
    expect(await lookups(app, bob, erasure.globalPosition)).toEqual([['bob'], ['bob'], ['bob']]);
  });

  it('reports what it did', () => {
    expect(erasure).toMatchObject({ customerId: 'ann', status: 'erased', readModels: 'scrubbed' });
    expect(erasure.globalPosition).toBeGreaterThan(head);
  });

  it('never wrote plaintext to any file, read models included, even before erasure', () => {
    expect(onDiskBeforeErasure).toEqual([]);
  });

  it('leaves no plaintext personal value of the customer in any file of the data directory', () => {
    const files = readdirSync(app.config.dataDir);
    expect(files).toEqual(expect.arrayContaining(['events.sqlite', 'read-models.sqlite', 'keys.sqlite']));
    expect(findOnDisk(app.config.dataDir, plaintextOf(ann))).toEqual([]);
  });

  it("keeps the other customer's personal data readable", async () => {
    const events = await readEvents(app, 'bob');
    expect(events.events[0]?.data).toMatchObject({ name: bob.name, email: bob.email, phone: bob.phone });
    const scores = await scoresOf(app, 'bob', { minPosition: erasure.globalPosition });
    expect(scores.identify.email).not.toBeNull();
  });

  it('reads the personal fields of every event as [erased] and keeps every other fact', async () => {
    const { events } = await readEvents(app, 'ann');
    const registered = events[0];
    expect(registered?.data).toEqual({
      customerId: 'ann',
      kind: 'person',
      name: ERASED,
      email: ERASED,
      phone: ERASED,
      segment: 'retail',
      attributes: ERASED,
    });
    const refunded = events.find((event) => event.type === 'PurchaseRefunded');
    expect(refunded?.data).toEqual({ orderId: 'ann-o1', amount: 500, currency: 'EUR', reason: ERASED });
    expect(events[events.length - 1]).toMatchObject({
      type: 'CustomerErased',
      eventId: erasure.eventId,
      data: { reason: 'gdpr-art-17' },
    });
    expect(JSON.stringify(events)).not.toMatch(
      /lilac|Rosmarin|saucer|charming|chipped|Bellezza|quenneville/i,
    );
  });

  it('leaves the KPIs exactly as they were', async () => {
    expect(await kpiFigures(app, erasure.globalPosition)).toEqual(kpisBefore);
  });

  it('scrubs the read models: no identity keys, completeness unchanged', async () => {
    const scores = await scoresOf(app, 'ann', { minPosition: erasure.globalPosition });
    expect(scores.identify).toEqual({ email: null, phone: null, profileCompleteness: 1 });
  });

  it('exports exactly the customer’s events, with nothing personal left and nothing of anyone else', async () => {
    const exported = await exportOf(app, 'ann');
    const { events } = await readEvents(app, 'ann');
    expect(exported.events.map((event) => event.eventId)).toEqual(events.map((event) => event.eventId));
    expect(exported).toMatchObject({
      customerId: 'ann',
      erased: { eventId: erasure.eventId },
      dataKey: { state: 'shredded' },
      profile: { kind: 'person', fields: { name: ERASED, email: ERASED, segment: 'retail' } },
    });
    expect(exported.readModels.journey).toMatchObject({ customerId: 'ann', stage: 'loyalty' });
    // The timeline is the customer's stream, exported in full above; no stored copy of it exists.
    expect(exported.readModels).not.toHaveProperty('timeline');
    expect(exported.readModels.idic).not.toHaveProperty('identity');
    expect(exported.readModels.kpiFacts).toMatchObject({ id: 'ann' });
    expect(exported.readModels.identityIndex).toBeNull();
    const json = JSON.stringify(exported);
    for (const value of [...plaintextOf(ann), ...plaintextOf(bob), 'bob-o1'])
      expect(json).not.toContain(value);
  });

  it("exports a live customer's data decrypted", async () => {
    const exported = await exportOf(app, 'bob');
    expect(exported.profile.fields).toMatchObject({ name: bob.name, phone: bob.phone });
    expect(exported.dataKey.state).toBe('active');
    expect(JSON.stringify(exported.events)).toContain(bob.notes);
    expect(JSON.stringify(exported)).not.toContain('ann-o1');
    // The blind index entries, as stored: HMACs, no value.
    expect(exported.readModels.identityIndex).toMatchObject({
      id: 'bob',
      email: expect.any(String) as unknown,
    });
    expect(JSON.stringify(exported.readModels.identityIndex)).not.toMatch(/annabel|zeta-mail|\+331/i);
  });

  it('answers a repeat with the original erasure and records nothing new', async () => {
    const again = await erase(app, 'ann', {});
    expect(again.statusCode).toBe(200);
    expect(again.body).toMatchObject({
      status: 'already_erased',
      eventId: erasure.eventId,
      globalPosition: erasure.globalPosition,
      keyShreddedAt: erasure.keyShreddedAt,
      readModels: 'scrubbed',
    });
    const { events } = await readEvents(app, 'ann');
    expect(events.filter((event) => event.type === 'CustomerErased')).toHaveLength(1);
  });

  it('refuses anything new for an erased customer with 410 CUSTOMER.ERASED', async () => {
    const response = await app.post(
      customerPath('ann', '/touchpoints'),
      call('inbound', '2025-04-01T00:00:00Z'),
    );
    expectError(response, 410, 'CUSTOMER.ERASED');
  });

  it('answers 404 for a customer never registered, and 400 for free text in the reason', async () => {
    expectError(await erase(app, 'nobody-here'), 404, 'CUSTOMER.NOT_FOUND');
    expectError(await app.get(customerPath('nobody-here', '/export')), 404, 'CUSTOMER.NOT_FOUND');
    expectError(await erase(app, 'bob', { reason: 'Bob asked by phone' }), 400, 'VALIDATION.FAILED');
  });

  it('keeps only ciphertext in the raw store, and replaying the log yields no personal data', async () => {
    const raw = app.app.get<EventStore>(RAW_EVENT_STORE);
    const rawLog = JSON.stringify(await raw.readAll());
    for (const value of [...plaintextOf(ann), ...plaintextOf(bob)]) expect(rawLog).not.toContain(value);
    expect(rawLog).toContain('enc:v1:');

    const replay = JSON.stringify(await app.app.get<EventStore>(EVENT_STORE).readAll());
    for (const value of plaintextOf(ann)) expect(replay).not.toContain(value);
    expect(replay).toContain(bob.notes);
  });

  it('rebuilds the read models from the log without personal data and with the same KPIs', async () => {
    await app.app.close();
    for (const file of readdirSync(dataDir).filter((name) => name.startsWith('read-models.sqlite'))) {
      rmSync(join(dataDir, file));
    }
    // On the same data directory: the projections rebuild from the shredded log.
    app = await TestApp.start({ DATA_DIR: dataDir });
    expect(await kpiFigures(app, erasure.globalPosition)).toEqual(kpisBefore);
    const scores = await scoresOf(app, 'ann', { minPosition: erasure.globalPosition });
    expect(scores.identify).toEqual({ email: null, phone: null, profileCompleteness: 1 });
    expect(findOnDisk(dataDir, plaintextOf(ann))).toEqual([]);
    expect((await scoresOf(app, 'bob')).identify.email).not.toBeNull();
  });
});

describe('master key rotation', () => {
  const key = () => randomBytes(32).toString('base64');
  const oldKey = `old:${key()}`;
  const newKey = `new:${key()}`;
  let dataDir: string;

  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'crm-rotation-'));
  });
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rewraps the data keys without rewriting events; afterwards the old master key is not needed', async () => {
    const first = await TestApp.start({ DATA_DIR: dataDir, MASTER_KEYS: oldKey });
    await registerCustomer(first, 'rota', { name: 'Rotating Rosalind', email: 'rosalind@rota.example' });
    const rawBefore = await first.app.get<EventStore>(RAW_EVENT_STORE).readAll();
    await first.stop();

    const during = await TestApp.start({ DATA_DIR: dataDir, MASTER_KEYS: `${newKey},${oldKey}` });
    const rotated = await during.post('/admin/keys/rotate');
    expect(rotated).toMatchObject({ statusCode: 200, body: { rewrapped: 1, currentMasterKeyId: 'new' } });
    expect((await during.post('/admin/keys/rotate')).body).toMatchObject({ rewrapped: 0 });
    expect(await during.app.get<EventStore>(RAW_EVENT_STORE).readAll()).toEqual(rawBefore);
    await during.stop();

    const after = await TestApp.start({ DATA_DIR: dataDir, MASTER_KEYS: newKey });
    expect((await readEvents(after, 'rota')).events[0]?.data).toMatchObject({
      name: 'Rotating Rosalind',
      email: 'rosalind@rota.example',
    });
    await after.stop();
  });

  it('also runs outside the API, and refuses to rotate keys wrapped by a master key it does not have', async () => {
    const warnings: string[] = [];
    const config = loadConfig({ DATA_DIR: dataDir, MASTER_KEYS: `third:${key()},${newKey}` });
    expect(await rotateMasterKey(config, (message) => warnings.push(message))).toEqual({
      rewrapped: 1,
      currentMasterKeyId: 'third',
    });
    expect(warnings).toEqual([]);

    const lost = await TestApp.start({ DATA_DIR: dataDir, MASTER_KEYS: newKey });
    expectError(await lost.post('/admin/keys/rotate'), 409, 'KEYS.UNKNOWN_MASTER_KEY');
    await lost.stop();
  });
});
