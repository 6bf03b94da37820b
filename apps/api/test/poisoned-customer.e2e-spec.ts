import { randomUUID } from 'node:crypto';
import { EVENT_STORE, type EventStore } from '@crm/event-store';
import { CUSTOMER_PROJECTIONS, type Projection } from '@crm/projections';
import { expectError, newCustomerId, registerCustomer, recordTouchpoint } from './support/api';
import { type DeadLetterBody, eventually, projectionsOf } from './support/admin';
import { call, journeyOf, kpisOf, purchase, scoresOf } from './support/read-models';
import { TestApp } from './support/test-app';

jest.setTimeout(60_000);

type LetterPage = { readonly items: DeadLetterBody[]; readonly nextCursor: string | null };

/**
 * A purchase appended to the store directly, as data that got past the edge
 * (an older version, an import) would be: the read models cannot hold its
 * amount (two of them sum to Infinity; one is no safe integer for a counter or a
 * stored purchase).
 */
async function appendHugePurchase(app: TestApp, customerId: string, orderId: string): Promise<string> {
  const eventId = randomUUID();
  await app.app.get<EventStore>(EVENT_STORE).append(`customer-${customerId}`, [
    {
      eventId,
      type: 'PurchaseCompleted',
      version: 1,
      occurredAt: '2025-03-02T00:00:00.000Z',
      data: { orderId, amount: 1e308, currency: 'EUR', channel: 'web' },
      metadata: { correlationId: eventId, causationId: eventId, actor: 'test', source: 'test' },
    },
  ]);
  return eventId;
}

/** Event ids IDIC fails on (a passing fault, say), until a test takes them out again. */
const failing = new Set<string>();

const PROJECTIONS = CUSTOMER_PROJECTIONS.map((projection): Projection =>
  projection.name !== 'idic-scores'
    ? projection
    : {
        ...projection,
        async project(batch, reader) {
          const bad = batch.find((e) => failing.has(e.event.eventId));
          if (bad) throw new Error(`cannot apply ${bad.event.eventId} yet`);
          return projection.project(batch, reader);
        },
      },
);

describe('a customer whose data the read models cannot hold (embedded runner)', () => {
  let app: TestApp;

  beforeAll(async () => {
    app = await TestApp.start({ PROJECTION_BATCH_SIZE: '50' }, { projections: PROJECTIONS });
  });
  afterAll(() => app.stop());

  it('is dead-lettered while every other customer keeps advancing, and readiness stays up', async () => {
    const before = newCustomerId('before');
    await registerCustomer(app, before);
    await recordTouchpoint(app, before, purchase('b-1', 700, '2025-03-01T00:00:00Z'));
    const poisoned = newCustomerId('poisoned');
    await registerCustomer(app, poisoned);
    const huge = [
      await appendHugePurchase(app, poisoned, 'p-1'),
      await appendHugePurchase(app, poisoned, 'p-2'),
    ];
    const after = newCustomerId('after');
    await registerCustomer(app, after);
    const last = await recordTouchpoint(app, after, purchase('a-1', 300, '2025-03-03T00:00:00Z'));

    // Every projection gets past the poison: the other customers are read at the head.
    const read = { minPosition: last.globalPosition };
    expect((await journeyOf(app, before, read)).stage).toBe('conversion');
    expect((await journeyOf(app, after, read)).stage).toBe('conversion');
    expect((await scoresOf(app, after, read)).differentiate.value.netRevenue).toBe(300);
    const kpis = await kpisOf(app, { from: '2025-03-01T00:00:00Z', to: '2025-04-01T00:00:00Z', ...read });
    expect(kpis.total.valueCreation.revenue).toBe(1000);
    for (const projection of await projectionsOf(app))
      expect({ name: projection.name, state: projection.state, checkpoint: projection.checkpoint }).toEqual({
        name: projection.name,
        state: 'running',
        checkpoint: last.globalPosition,
      });

    // The poisoned customer's events that a read model could not hold are its open letters, and
    // only those: the journey holds no money, so it took both purchases.
    const letters = await app.get<LetterPage>('/admin/dead-letters?status=open&limit=1000');
    const mine = letters.body.items.filter((letter) => letter.customerId === poisoned);
    expect(mine.map((letter) => `${letter.projection} ${letter.eventId}`).sort()).toEqual(
      ['idic-scores', 'payne-frow-kpis', 'campaign-performance', 'customer-portfolio']
        .flatMap((projection) => huge.map((id) => `${projection} ${id}`))
        .sort(),
    );
    expect(letters.body.items.filter((letter) => letter.customerId !== poisoned)).toEqual([]);
    expect((await journeyOf(app, poisoned)).stage).toBe('retention');

    const ready = await app.as(null).get<{ status: string }>('/health/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.body.status).toBe('up');

    // And it keeps flowing after the poison: the next event of anyone is applied.
    const next = await recordTouchpoint(app, before, purchase('b-2', 50, '2025-03-04T00:00:00Z'));
    await eventually(
      () => projectionsOf(app),
      (all) => all.every((projection) => projection.checkpoint === next.globalPosition),
    );
  });

  it('is recovered by an operator: its other letters retry around the parked events, those are skipped, erasure completes', async () => {
    const customerId = newCustomerId('parked');
    await registerCustomer(app, customerId);
    const passing = randomUUID();
    failing.add(passing);
    await recordTouchpoint(app, customerId, { ...call('inbound', '2025-03-01T00:00:00Z'), eventId: passing });
    const huge = await appendHugePurchase(app, customerId, 'p-huge');
    const last = await recordTouchpoint(app, customerId, purchase('p-ok', 900, '2025-03-05T00:00:00Z'));
    await scoresOf(app, customerId, { minPosition: last.globalPosition });
    const letter = (projection: string, eventId: string) =>
      `/admin/dead-letters/${encodeURIComponent(`${projection}:${eventId}`)}`;

    // The parked event still cannot be applied: retrying it fails and changes nothing.
    expectError(await app.post(`${letter('idic-scores', huge)}/retry`), 409, 'DEAD_LETTER.RETRY_FAILED');

    // Once the passing fault is gone, its letter retries: the customer is recomputed without the parked event.
    failing.delete(passing);
    const retried = await app.post<DeadLetterBody>(`${letter('idic-scores', passing)}/retry`);
    expect(retried.statusCode).toBe(200);
    expect(retried.body.status).toBe('retried');
    const scores = await scoresOf(app, customerId);
    expect(scores.interact.touchpoints).toBe(2);
    expect(scores.differentiate.value).toMatchObject({ orders: 1, netRevenue: 900 });

    // The parked events are accepted as not applied.
    for (const projection of [
      'idic-scores',
      'payne-frow-kpis',
      'campaign-performance',
      'customer-portfolio',
    ]) {
      const skipped = await app.post<DeadLetterBody>(`${letter(projection, huge)}/skip`);
      expect(skipped.body.status).toBe('skipped');
    }

    // And the customer can be erased: the read models get past everything, so it completes.
    const erased = await app.post<{ readModels: string }>(
      `/admin/customers/${encodeURIComponent(customerId)}/erase`,
      { reason: 'gdpr-art-17' },
    );
    expect(erased.statusCode).toBe(200);
    expect(erased.body.readModels).toBe('scrubbed');
  });

  it('lets a blue-green rebuild through the parked events too', async () => {
    const customerId = newCustomerId('rebuilt');
    await registerCustomer(app, customerId);
    await appendHugePurchase(app, customerId, 'r-huge');
    const last = await recordTouchpoint(app, customerId, purchase('r-ok', 400, '2025-03-06T00:00:00Z'));
    await scoresOf(app, customerId, { minPosition: last.globalPosition });

    for (const name of ['idic-scores', 'payne-frow-kpis', 'campaign-performance', 'customer-portfolio'])
      expect((await app.post(`/admin/projections/${name}/rebuild`)).statusCode).toBe(202);
    const rebuilt = await eventually(
      () => projectionsOf(app),
      (all) => all.every((projection) => projection.rebuild === null),
    );

    // The rebuilt are at version 2; the others (follow-ups among them) were left as they were.
    expect(rebuilt.every((projection) => projection.state === 'running')).toBe(true);
    expect(
      Object.fromEntries(rebuilt.map((projection) => [projection.name, projection.version])),
    ).toMatchObject({
      'customer-journey': 1,
      'idic-scores': 2,
      'payne-frow-kpis': 2,
      'follow-ups': 1,
      'campaign-performance': 2,
      'customer-portfolio': 2,
    });
    expect((await scoresOf(app, customerId)).differentiate.value).toMatchObject({
      orders: 1,
      netRevenue: 400,
    });
  });
});
