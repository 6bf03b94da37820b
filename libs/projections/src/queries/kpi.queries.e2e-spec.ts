import { createEventFactory } from '@crm/domain/testing';
import { MAX_LIMIT, SqliteReadStore, type StoredDocument } from '@crm/read-store';
import { computeKpis } from '../kpi/compute-kpis';
import type { KpiFactsDocument } from '../kpi/facts/kpi-facts.document';
import { customerFacts } from '../kpi/testing/kpi-facts.fixture';
import { KPI_FACTS_COLLECTION, kpiFactsProjection } from '../runner/customer-projections';
import { KpiQueries } from './kpi.queries';
import { readAll } from './read-all';
import { eventsOf, projectedReadModels, type ProjectedReadModels } from './testing/projected-read-models';

const at = (occurredAt: string) => ({ occurredAt });

describe('KpiQueries', () => {
  let models: ProjectedReadModels;
  let facts: KpiFactsDocument[];

  beforeAll(async () => {
    const ada = createEventFactory({ customerId: 'ada', seed: 1 });
    const bob = createEventFactory({ customerId: 'bob', seed: 2 });
    const cyd = createEventFactory({ customerId: 'cyd', seed: 3 });
    models = await projectedReadModels([
      ...eventsOf(ada, ada.customerRegistered({ segment: 'retail' }, at('2024-01-05T10:00:00Z'))),
      ...eventsOf(
        bob,
        bob.customerRegistered({ kind: 'company', segment: 'smb' }, at('2024-02-10T10:00:00Z')),
      ),
      ...eventsOf(
        ada,
        ada.purchaseCompleted({ orderId: 'a-1', amount: 4_000 }, at('2024-01-20T10:00:00Z')),
        ada.purchaseCompleted({ orderId: 'a-2', amount: 6_000 }, at('2024-03-03T10:00:00Z')),
        ada.surveyAnswered({ surveyType: 'nps', score: 10 }, at('2024-03-04T10:00:00Z')),
      ),
      ...eventsOf(
        bob,
        bob.meetingHeld({}, at('2024-02-12T10:00:00Z')),
        bob.purchaseCompleted(
          { orderId: 'b-1', amount: 9_000, channel: 'phone' },
          at('2024-02-20T10:00:00Z'),
        ),
        bob.purchaseRefunded({ orderId: 'b-1', amount: 1_000 }, at('2024-03-15T10:00:00Z')),
      ),
      ...eventsOf(cyd, cyd.customerRegistered({}, at('2024-03-20T10:00:00Z'))),
    ]);
    facts = await readAll<KpiFactsDocument & StoredDocument>(models.store, KPI_FACTS_COLLECTION);
  });
  afterAll(() => models.close());

  const kpis = (options?: ConstructorParameters<typeof KpiQueries>[1]) =>
    new KpiQueries(models.store, options);

  it('computes the whole range over every customer’s facts', async () => {
    const report = await kpis().get({ from: '2024-01-01T00:00:00Z', to: '2024-04-01T00:00:00Z' });
    const period = { from: '2024-01-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' };
    expect(facts).toHaveLength(3);
    expect(report.total).toEqual(computeKpis(facts, period));
    expect(report.total.valueCreation).toMatchObject({ revenue: 18_000, orders: 3 });
    expect(report.total.strategyDevelopment.newCustomers.total).toBe(3);
  });

  it('without a granularity, reports the range as its only period', async () => {
    const report = await kpis().get({ from: '2024-01-01T00:00:00+01:00', to: '2024-04-01T00:00:00Z' });
    expect(report).toMatchObject({ from: '2023-12-31T23:00:00.000Z', to: '2024-04-01T00:00:00.000Z' });
    expect(report.granularity).toBeNull();
    expect(report.periods).toEqual([{ from: report.from, to: report.to, ...report.total }]);
  });

  it('splits the range into calendar months, clipping the first and the last', async () => {
    const report = await kpis().get({
      from: '2024-01-15T00:00:00Z',
      to: '2024-03-10T00:00:00Z',
      granularity: 'month',
    });
    expect(report.periods.map(({ from, to }) => [from, to])).toEqual([
      ['2024-01-15T00:00:00.000Z', '2024-02-01T00:00:00.000Z'],
      ['2024-02-01T00:00:00.000Z', '2024-03-01T00:00:00.000Z'],
      ['2024-03-01T00:00:00.000Z', '2024-03-10T00:00:00.000Z'],
    ]);
    expect(report.periods.map((p) => p.valueCreation.revenue)).toEqual([4_000, 9_000, 6_000]);
    const february = { from: '2024-02-01T00:00:00.000Z', to: '2024-03-01T00:00:00.000Z' };
    expect(report.periods[1]).toEqual({ ...february, ...computeKpis(facts, february) });
    // Rates do not add up: the total is computed over the range (3 orders by 2 purchasers), not from buckets.
    expect(report.periods.map((p) => p.valueCreation.purchaseFrequency)).toEqual([1, 1, 1]);
    expect(report.total.valueCreation.purchaseFrequency).toBe(1.5);
  });

  it('passes the churn window on to retention and churn', async () => {
    const june = { from: '2024-06-01T00:00:00Z', to: '2024-07-01T00:00:00Z' };
    expect((await kpis().get(june)).total.valueCreation.churnRate).toBe(0);
    expect((await kpis({ churnWindowDays: 30 }).get(june)).total.valueCreation).toMatchObject({
      retentionRate: null,
      churnRate: null,
    });
    // The counters hold 180 days: another window is computed customer by customer, within the scan limit.
    await expect(kpis({ churnWindowDays: 30, scanLimit: 2 }).get(june)).rejects.toMatchObject({
      code: 'KPI.SCAN_TOO_LARGE',
      reason: 'other-churn-window',
    });
  });

  it('rejects bounds out of order or unparseable, and more periods than allowed', async () => {
    await expect(kpis().get({ from: '2024-02-01T00:00:00Z', to: '2024-01-01T00:00:00Z' })).rejects.toThrow(
      RangeError,
    );
    await expect(kpis().get({ from: 'soon', to: '2024-01-01T00:00:00Z' })).rejects.toThrow(RangeError);
    await expect(
      kpis({ maxPeriods: 31 }).get({
        from: '2024-01-01T00:00:00Z',
        to: '2024-02-02T00:00:00Z',
        granularity: 'day',
      }),
    ).rejects.toThrow(RangeError);
  });
});

describe('KpiQueries keeping reports per position', () => {
  it('answers a question asked again at the same position from the kept report, and recomputes once an event is applied', async () => {
    const store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections(kpiFactsProjection.collections);
    let position = 1;
    const kpis = new KpiQueries(store, { position: () => position });
    const getCounters = jest.spyOn(store, 'getCounters');
    const march = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };
    const first = await kpis.get(march);
    const reads = getCounters.mock.calls.length;
    expect(await kpis.get(march)).toBe(first);
    expect(getCounters.mock.calls.length).toBe(reads);
    position = 2;
    expect(await kpis.get(march)).not.toBe(first);
    expect(getCounters.mock.calls.length).toBeGreaterThan(reads);
    await store.close();
  });

  it('computes a question asked several times at once, at one position, once', async () => {
    const store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections(kpiFactsProjection.collections);
    const kpis = new KpiQueries(store, { position: () => 1 });
    const march = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };
    const alone = new KpiQueries(store, { position: () => 1 });
    const getCounters = jest.spyOn(store, 'getCounters');
    await alone.get(march);
    const once = getCounters.mock.calls.length;
    getCounters.mockClear();
    const reports = await Promise.all([kpis.get(march), kpis.get(march), kpis.get(march)]);
    expect(getCounters.mock.calls.length).toBe(once);
    expect(new Set(reports).size).toBe(1);
    await store.close();
  });

  it('shares nothing without a position: each question is computed', async () => {
    const store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections(kpiFactsProjection.collections);
    const kpis = new KpiQueries(store);
    const march = { from: '2024-03-01T00:00:00Z', to: '2024-04-01T00:00:00Z' };
    const [a, b] = await Promise.all([kpis.get(march), kpis.get(march)]);
    expect(a).not.toBe(b);
    expect(a).toEqual(b);
    await store.close();
  });
});

describe('KpiQueries over more documents than one page holds', () => {
  it('reads every kpi_facts document, MAX_LIMIT at a time, for bounds inside a day', async () => {
    const store = await SqliteReadStore.open({ file: ':memory:' });
    await store.ensureCollections(kpiFactsProjection.collections);
    const template = customerFacts({ id: 'template', registeredAt: '2024-03-02' });
    const count = MAX_LIMIT + 1;
    await store.commit({
      projection: kpiFactsProjection.name,
      position: 1,
      writes: Array.from({ length: count }, (_, index) => ({
        kind: 'put' as const,
        collection: KPI_FACTS_COLLECTION,
        document: { ...template, id: `c-${index}`, position: 1 },
      })),
    });
    const report = await new KpiQueries(store).get({
      from: '2024-03-01T00:00:00Z',
      to: '2024-04-01T12:00:00Z',
    });
    expect(report.total.strategyDevelopment.newCustomers.total).toBe(count);
    await expect(
      new KpiQueries(store, { scanLimit: count - 1 }).get({
        from: '2024-03-01T06:00:00Z',
        to: '2024-04-01T00:00:00Z',
      }),
    ).rejects.toMatchObject({ code: 'KPI.SCAN_TOO_LARGE', reason: 'bounds-inside-a-day', customers: count });
    await store.close();
  });
});
