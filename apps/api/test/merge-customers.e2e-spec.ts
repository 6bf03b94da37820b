import { randomUUID } from 'node:crypto';
import {
  customerPath,
  type ErrorResponseBody,
  expectError,
  expectUnchanged,
  IDEMPOTENT_REPLAY_HEADER,
  newCustomerId,
  readEvents,
  recordTouchpoint,
  registerCustomer,
  type StreamSnapshot,
  streamSnapshot,
} from './support/api';
import { keyIdOf } from './support/api-keys';
import { eventually, projectionsOf } from './support/admin';
import { journeyOf, purchase, readOk, scoresOf, survey } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

type MergeBody = {
  readonly customerId: string;
  readonly mergedId: string;
  readonly eventId: string;
  readonly type: string;
  readonly streamRevision: number;
  readonly globalPosition: number;
  readonly merged: {
    readonly customerId: string;
    readonly eventId: string;
    readonly streamRevision: number;
    readonly globalPosition: number;
  };
};

type DuplicatesBody = {
  readonly customerId: string;
  readonly duplicates: readonly {
    readonly customerId: string;
    readonly name: string | null;
    readonly kind: string;
    readonly sharedKeys: readonly string[];
  }[];
  readonly meta: { readonly position: number; readonly asOf: string };
};

type MergedErrorBody = ErrorResponseBody & {
  readonly details: readonly { readonly field: string; readonly code: string; readonly value?: string }[];
};

describe('customer duplicates and merge', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start();
  });
  afterAll(async () => {
    await app.stop();
  });

  const merge = (survivorId: string, body: unknown) =>
    app.post<MergeBody | ErrorResponseBody>(customerPath(survivorId, '/merge'), body);
  const duplicates = (customerId: string, minPosition?: number) =>
    app.get<DuplicatesBody | ErrorResponseBody>(
      customerPath(
        customerId,
        `/duplicates${minPosition === undefined ? '' : `?minPosition=${minPosition}`}`,
      ),
    );
  const erase = (customerId: string) =>
    app.post<{ readonly merged: readonly { readonly customerId: string; readonly status: string }[] }>(
      `/admin/customers/${encodeURIComponent(customerId)}/erase`,
      { reason: 'gdpr-art-17' },
    );

  /** Two customers: nothing of either stream may change. */
  async function snapshots(...customerIds: string[]): Promise<[string, StreamSnapshot][]> {
    return Promise.all(
      customerIds.map(async (id) => [id, await streamSnapshot(app, id)] as [string, StreamSnapshot]),
    );
  }
  async function expectNothingWritten(before: readonly [string, StreamSnapshot][]): Promise<void> {
    for (const [id, snapshot] of before)
      if (snapshot.statusCode === 200) await expectUnchanged(app, id, snapshot);
      else expect((await streamSnapshot(app, id)).statusCode).toBe(snapshot.statusCode);
  }
  function expectMerged(response: { statusCode: number; body: unknown }, survivorId: string): void {
    const error = expectError(response, 409, 'CUSTOMER.MERGED') as MergedErrorBody;
    expect(error.details[0]).toMatchObject({ code: 'CUSTOMER.MERGED', value: survivorId });
  }

  describe('GET /customers/:id/duplicates', () => {
    it('lists the customers sharing an email or a phone, with the kinds shared and the name', async () => {
      const tag = randomUUID().slice(0, 8);
      const email = `dup-${tag}@example.com`;
      const ada = await registerCustomer(app, newCustomerId('ada'), {
        name: 'Ada One',
        email,
        phone: '+44 20 7946 0001',
      });
      const sameEmailAndPhone = await registerCustomer(app, newCustomerId('dup'), {
        name: 'Ada Two',
        email: email.toUpperCase(),
        phone: '0044 20 7946 0001',
      });
      const samePhone = await registerCustomer(app, newCustomerId('dup'), {
        kind: 'company',
        name: 'Ada Ltd',
        phone: '+44 (0)20 7946 0001',
      });
      const last = await registerCustomer(app, newCustomerId('other'), {
        name: 'Bo',
        email: `bo-${tag}@example.com`,
      });
      const position = (await readEvents(app, last)).events[0]?.globalPosition ?? 0;
      const response = await duplicates(ada, position);
      expect(response.statusCode).toBe(200);
      const body = response.body as DuplicatesBody;
      expect(body.customerId).toBe(ada);
      expect([...body.duplicates].sort((a, b) => a.customerId.localeCompare(b.customerId))).toEqual(
        [
          { customerId: sameEmailAndPhone, name: 'Ada Two', kind: 'person', sharedKeys: ['email', 'phone'] },
          { customerId: samePhone, name: 'Ada Ltd', kind: 'company', sharedKeys: ['phone'] },
        ].sort((a, b) => a.customerId.localeCompare(b.customerId)),
      );
    });

    it('answers an empty list for a customer without duplicates, and 404 for an unknown one', async () => {
      const lonely = await registerCustomer(app, newCustomerId('lonely'), {
        email: `${randomUUID()}@example.com`,
      });
      const position = (await readEvents(app, lonely)).events[0]?.globalPosition ?? 0;
      expect((await duplicates(lonely, position)).body).toMatchObject({ customerId: lonely, duplicates: [] });
      expectError(await duplicates(newCustomerId('nobody')), 404, 'CUSTOMER.NOT_FOUND');
    });
  });

  describe('POST /customers/:id/merge', () => {
    it('records CustomersMerged on both streams, the merged side first, and replays idempotently', async () => {
      const survivor = await registerCustomer(app);
      const merged = await registerCustomer(app);
      const eventId = randomUUID();
      const response = await merge(survivor, { mergedId: merged, eventId, expectedRevision: 0 });
      expect(response.statusCode).toBe(201);
      const body = response.body as MergeBody;
      expect(body).toEqual({
        customerId: survivor,
        mergedId: merged,
        eventId,
        type: 'CustomersMerged',
        streamRevision: 1,
        globalPosition: expect.any(Number) as number,
        merged: {
          customerId: merged,
          eventId: expect.stringMatching(/^[0-9a-f-]{36}$/) as string,
          streamRevision: 1,
          globalPosition: expect.any(Number) as number,
        },
      });
      expect(body.merged.globalPosition).toBeLessThan(body.globalPosition);
      const [survivorSide] = (await readEvents(app, survivor)).events.slice(-1);
      const [mergedSide] = (await readEvents(app, merged)).events.slice(-1);
      expect(survivorSide).toMatchObject({
        eventId,
        type: 'CustomersMerged',
        data: { survivorId: survivor, mergedId: merged },
        metadata: { actor: keyIdOf(app.apiKey) },
      });
      expect(mergedSide).toMatchObject({
        eventId: body.merged.eventId,
        type: 'CustomersMerged',
        data: { survivorId: survivor, mergedId: merged },
        metadata: { causationId: eventId },
      });

      const before = await snapshots(survivor, merged);
      const replay = await merge(survivor, { mergedId: merged, eventId, expectedRevision: 0 });
      expect(replay.statusCode).toBe(201);
      expect(replay.headers[IDEMPOTENT_REPLAY_HEADER]).toBe('true');
      expect(replay.body).toEqual(body);
      await expectNothingWritten(before);
    });

    it.each<[string, (ids: { survivor: string; merged: string }) => unknown, string]>([
      ['no mergedId', () => ({}), 'mergedId'],
      ['a mergedId outside the id alphabet', () => ({ mergedId: 'a b' }), 'mergedId'],
      ['an unknown field', ({ merged }) => ({ mergedId: merged, note: 'x' }), 'note'],
      ['a bad eventId', ({ merged }) => ({ mergedId: merged, eventId: 'nope' }), 'eventId'],
      [
        'an occurredAt without offset',
        ({ merged }) => ({ mergedId: merged, occurredAt: '2025-01-01T00:00:00' }),
        'occurredAt',
      ],
    ])('refuses %s with 400 VALIDATION.FAILED and writes nothing', async (_name, body, field) => {
      const ids = { survivor: await registerCustomer(app), merged: await registerCustomer(app) };
      const before = await snapshots(ids.survivor, ids.merged);
      const error = expectError(await merge(ids.survivor, body(ids)), 400, 'VALIDATION.FAILED');
      expect(error.details.map((detail) => detail.field)).toContain(field);
      await expectNothingWritten(before);
    });

    type Setup = () => Promise<{ survivor: string; merged: string; expectedRevision?: number }>;
    const registered = () => registerCustomer(app);
    const mergedAway = async () => {
      const id = await registerCustomer(app);
      const elsewhere = await registerCustomer(app);
      expect((await merge(elsewhere, { mergedId: id })).statusCode).toBe(201);
      return id;
    };
    const erased = async () => {
      const id = await registerCustomer(app);
      expect((await erase(id)).statusCode).toBe(200);
      return id;
    };
    it.each<[string, Setup, number, string, string]>([
      [
        'an unknown survivor',
        async () => ({ survivor: newCustomerId(), merged: await registered() }),
        404,
        'CUSTOMER.NOT_FOUND',
        'customerId',
      ],
      [
        'an unknown merged customer',
        async () => ({ survivor: await registered(), merged: newCustomerId() }),
        404,
        'CUSTOMER.NOT_FOUND',
        'mergedId',
      ],
      [
        'an erased survivor',
        async () => ({ survivor: await erased(), merged: await registered() }),
        410,
        'CUSTOMER.ERASED',
        'customerId',
      ],
      [
        'an erased merged customer',
        async () => ({ survivor: await registered(), merged: await erased() }),
        410,
        'CUSTOMER.ERASED',
        'mergedId',
      ],
      [
        'a survivor merged already',
        async () => ({ survivor: await mergedAway(), merged: await registered() }),
        409,
        'CUSTOMER.MERGED',
        'customerId',
      ],
      [
        'a merged customer merged already',
        async () => ({ survivor: await registered(), merged: await mergedAway() }),
        409,
        'CUSTOMER.MERGED',
        'mergedId',
      ],
      [
        'the same customer twice',
        async () => {
          const id = await registered();
          return { survivor: id, merged: id };
        },
        422,
        'MERGE.SAME_CUSTOMER',
        'mergedId',
      ],
      [
        'a stale expectedRevision',
        async () => ({ survivor: await registered(), merged: await registered(), expectedRevision: 5 }),
        409,
        'EVENT_STORE.WRONG_EXPECTED_REVISION',
        'expectedRevision',
      ],
    ])('refuses %s and writes nothing', async (_name, setup, status, code, field) => {
      const { survivor, merged, expectedRevision } = await setup();
      const before = await snapshots(survivor, merged);
      const error = expectError(await merge(survivor, { mergedId: merged, expectedRevision }), status, code);
      expect(error.details.map((detail) => detail.field)).toContain(field);
      await expectNothingWritten(before);
    });

    it('refuses an eventId used for another merge with 409 and writes nothing', async () => {
      const survivor = await registerCustomer(app);
      const [first, second] = [await registerCustomer(app), await registerCustomer(app)];
      const eventId = randomUUID();
      expect((await merge(survivor, { mergedId: first, eventId })).statusCode).toBe(201);
      const before = await snapshots(survivor, second);
      const response = await merge(survivor, { mergedId: second, eventId });
      expect(response.statusCode).toBe(409);
      expect(['IDEMPOTENCY.PAYLOAD_MISMATCH', 'EVENT_STORE.EVENT_ID_CONFLICT']).toContain(
        (response.body as ErrorResponseBody).code,
      );
      await expectNothingWritten(before);
    });
  });

  describe('after a merge', () => {
    let survivor: string;
    let merged: string;
    let position: number;

    beforeAll(async () => {
      const email = `merge-${randomUUID()}@example.com`;
      survivor = await registerCustomer(app, newCustomerId('keep'), {
        name: 'Keep',
        email,
        occurredAt: '2025-01-05T00:00:00Z',
      });
      merged = await registerCustomer(app, newCustomerId('dupe'), {
        name: 'Dupe',
        email,
        occurredAt: '2025-01-02T00:00:00Z',
      });
      await recordTouchpoint(app, merged, purchase(`${merged}-o1`, 3_000, '2025-01-06T00:00:00Z'));
      await recordTouchpoint(app, merged, survey('nps', 10, '2025-01-07T00:00:00Z'));
      await recordTouchpoint(app, survivor, purchase(`${survivor}-o1`, 5_000, '2025-01-08T00:00:00Z'));
      const response = await merge(survivor, { mergedId: merged, occurredAt: '2025-01-20T00:00:00Z' });
      expect(response.statusCode).toBe(201);
      position = (response.body as MergeBody).globalPosition;
    });

    it('refuses every command to the merged id with 409 CUSTOMER.MERGED naming the survivor, writing nothing', async () => {
      const before = await snapshots(merged);
      expectMerged(
        await app.post(customerPath(merged, '/touchpoints'), survey('csat', 5, '2025-01-21T00:00:00Z')),
        survivor,
      );
      expectMerged(await app.request('PATCH', customerPath(merged), { segment: 'vip' }), survivor);
      expectMerged(
        await app.post(customerPath(merged, '/consents'), { purpose: 'sms', granted: true }),
        survivor,
      );
      expectMerged(await merge(merged, { mergedId: await registerCustomer(app) }), survivor);
      await expectNothingWritten(before);
    });

    it('answers reads of the merged id with 409 CUSTOMER.MERGED naming the survivor', async () => {
      const at = `?minPosition=${position}`;
      expectMerged(await app.get(customerPath(merged, at)), survivor);
      expectMerged(await app.get(customerPath(merged, `/journey${at}`)), survivor);
      expectMerged(await app.get(customerPath(merged, `/scores${at}`)), survivor);
      expectMerged(await app.get(customerPath(merged, `/duplicates${at}`)), survivor);
      expectMerged(
        await app.get(`/analytics/customers/${merged}/journey?asOf=2025-02-01T00:00:00Z`),
        survivor,
      );
      expectMerged(
        await app.get(`/analytics/customers/${merged}/scores?asOf=2025-02-01T00:00:00Z`),
        survivor,
      );
      // Before the merge it was a customer of its own.
      const then = await readOk<{ readonly customerId: string }>(
        app,
        `/analytics/customers/${merged}/journey?asOf=2025-01-10T00:00:00Z`,
      );
      expect(then.customerId).toBe(merged);
    });

    it("counts the merged customer's history as the survivor's, from the earlier registration", async () => {
      const journey = await journeyOf(app, survivor, { minPosition: position, asOf: '2025-02-01T00:00:00Z' });
      expect(journey).toMatchObject({
        registeredAt: '2025-01-02T00:00:00.000Z',
        stage: 'loyalty',
        touchpoints: 3,
        customerId: survivor,
      });
      expect(journey.timeline.items.map((item) => item.type)).toEqual([
        'PurchaseCompleted',
        'SurveyAnswered',
        'PurchaseCompleted',
      ]);
      const scores = await scoresOf(app, survivor, { minPosition: position, asOf: '2025-02-01T00:00:00Z' });
      expect(scores.differentiate.value).toMatchObject({ orders: 2, netRevenue: 8_000 });
      // The survivor keeps its own profile.
      expect(await readOk(app, customerPath(survivor))).toMatchObject({ profile: { name: 'Keep' } });
      // The merged customer is nobody's duplicate any more.
      expect((await duplicates(survivor, position)).body).toMatchObject({ duplicates: [] });
    });

    it('reads the same after a blue-green rebuild of every projection', async () => {
      const asOf = '2025-02-01T00:00:00Z';
      const kpis = `/kpis?from=2025-01-01T00:00:00Z&to=2025-02-01T00:00:00Z&minPosition=${position}`;
      const before = {
        journey: await journeyOf(app, survivor, { minPosition: position, asOf }),
        scores: await scoresOf(app, survivor, { minPosition: position, asOf }),
        kpis: await readOk<{ readonly total: unknown }>(app, kpis),
      };
      for (const { name } of await projectionsOf(app))
        expect((await app.post(`/admin/projections/${name}/rebuild`)).statusCode).toBe(202);
      await eventually(
        () => projectionsOf(app),
        (all) => all.every((projection) => projection.version >= 2 && projection.rebuild === null),
        50_000,
      );
      const after = {
        journey: await journeyOf(app, survivor, { minPosition: position, asOf }),
        scores: await scoresOf(app, survivor, { minPosition: position, asOf }),
        kpis: await readOk<{ readonly total: unknown }>(app, kpis),
      };
      const withoutMeta = ({ meta: _meta, ...rest }: { readonly meta?: unknown }) => rest;
      expect(withoutMeta(after.journey)).toEqual(withoutMeta(before.journey));
      expect(withoutMeta(after.scores)).toEqual(withoutMeta(before.scores));
      expect(after.kpis.total).toEqual(before.kpis.total);
      expectMerged(await app.get(customerPath(merged, `/journey?minPosition=${position}`)), survivor);
    });

    it("erases the merged customer's personal data with the survivor's", async () => {
      const response = await erase(survivor);
      expect(response.statusCode).toBe(200);
      expect(response.body.merged).toEqual([
        expect.objectContaining({ customerId: merged, status: 'erased' }),
      ]);
      const [registration] = (await readEvents(app, merged)).events;
      expect(registration?.data).toMatchObject({ name: '[erased]', email: '[erased]' });
      expect((await readEvents(app, merged)).events.at(-1)?.type).toBe('CustomerErased');
    });
  });
});
