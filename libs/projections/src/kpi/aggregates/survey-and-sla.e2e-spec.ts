import { createEventFactory } from '@crm/domain/testing';
import { KpiQueries } from '../../queries/kpi.queries';
import {
  catchUpAll,
  eventsOf,
  projectedReadModels,
  type ProjectedReadModels,
} from '../../queries/testing/projected-read-models';
import { kpiFactsProjection, KPI_FACTS_COLLECTION } from '../../runner/customer-projections';
import { ProjectionRunner } from '../../runtime/log/projection-runner';
import { dumpCollections } from '../../testing/read-model-digest';
import { SqliteReadStore } from '@crm/read-store';
import { at } from '../testing/kpi-facts.fixture';
import { KPI_PERIOD_COLLECTION, KPI_RESPONSES_COLLECTION, KPI_TOTALS_COLLECTION } from './kpi-term-sink';

const COLLECTIONS = [
  KPI_FACTS_COLLECTION,
  KPI_TOTALS_COLLECTION,
  KPI_PERIOD_COLLECTION,
  KPI_RESPONSES_COLLECTION,
];
const MARCH = { from: '2024-03-01T00:00:00.000Z', to: '2024-04-01T00:00:00.000Z' };
/** The same month with a bound inside a day: computed from the facts, not the counters. */
const MARCH_SCANNED = { from: '2024-02-29T23:59:59.999Z', to: '2024-04-01T00:00:00.000Z' };

const ann = createEventFactory({ customerId: 'ann', seed: 1 });
const bob = createEventFactory({ customerId: 'bob', seed: 2 });
const log = [
  ...eventsOf(ann, ann.customerRegistered({}, at('2024-01-05'))),
  ...eventsOf(bob, bob.customerRegistered({}, at('2024-01-06'))),
  ...eventsOf(
    ann,
    ann.supportCaseOpened({ caseId: 'a-1' }, at('2024-02-28T09:00:00Z')),
    ann.supportCaseSlaBreached({ caseId: 'a-1' }, at('2024-03-01T09:00:00Z')),
    ann.supportCaseOpened({ caseId: 'a-2' }, at('2024-03-04T09:00:00Z')),
    ann.supportCaseResponded({ caseId: 'a-2' }, at('2024-03-04T09:20:00Z')),
    ann.surveyRequested({ requestId: 'ra-1', caseId: 'a-2' }, at('2024-03-05')),
    ann.surveyAnswered({ requestId: 'ra-1', surveyType: 'csat', score: 5 }, at('2024-03-06')),
    ann.surveyAnswered({ requestId: 'ra-1', surveyType: 'csat', score: 1 }, at('2024-03-07')),
  ),
  ...eventsOf(
    bob,
    bob.supportCaseOpened({ caseId: 'b-1' }, at('2024-03-31T23:00:00Z')),
    bob.supportCaseSlaBreached({ caseId: 'b-1' }, at('2024-04-01T03:00:00Z')),
    bob.surveyRequested({ requestId: 'rb-1', caseId: 'b-1' }, at('2024-03-31T23:30:00Z')),
  ),
];
/** Logged later: bob answers in April, a second time, and ann's March request is not asked again. */
const later = eventsOf(
  bob,
  bob.surveyAnswered({ requestId: 'rb-1', surveyType: 'csat', score: 4 }, at('2024-04-02')),
  bob.surveyAnswered({ requestId: 'rb-1', surveyType: 'csat', score: 2 }, at('2024-04-03')),
);

async function figures(models: ProjectedReadModels, period: { from: string; to: string }) {
  const { total } = await new KpiQueries(models.store).get(period);
  return {
    surveyResponseRate: total.performanceAssessment.surveyResponseRate,
    slaBreachRate: total.multichannelIntegration.slaBreachRate,
  };
}

describe('survey requests and SLA breaches through the payne-frow-kpis projection', () => {
  let models: ProjectedReadModels;

  beforeAll(async () => {
    models = await projectedReadModels(log);
  });
  afterAll(() => models.close());

  it('counts each in the period of its request or opening, the same from the counters as from the facts', async () => {
    // Requests in March: ra-1 (answered twice), rb-1 (not yet). Cases opened in March: a-2, b-1 (breached in April).
    const wanted = { surveyResponseRate: 1 / 2, slaBreachRate: 1 / 2 };
    expect(await figures(models, MARCH)).toEqual(wanted);
    expect(await figures(models, MARCH_SCANNED)).toEqual(wanted);
    expect(await figures(models, { from: '2024-02-01T00:00:00.000Z', to: MARCH.from })).toEqual({
      surveyResponseRate: null,
      slaBreachRate: 1,
    });
  });

  it('moves an answer logged later into the period of its request, counting the request once', async () => {
    await models.append(later);
    const wanted = { surveyResponseRate: 1, slaBreachRate: 1 / 2 };
    expect(await figures(models, MARCH)).toEqual(wanted);
    expect(await figures(models, MARCH_SCANNED)).toEqual(wanted);
    expect(await figures(models, { from: MARCH.to, to: '2024-05-01T00:00:00.000Z' })).toEqual({
      surveyResponseRate: null,
      slaBreachRate: null,
    });
  });

  it('changes nothing when the whole log is applied a second time', async () => {
    const before = await dumpCollections(models.store, COLLECTIONS);
    const replay = new Proxy(models.store, {
      get(target, property, receiver) {
        if (property === 'checkpoint') return () => Promise.resolve(0);
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    await new ProjectionRunner(models.events, replay, kpiFactsProjection).catchUp();
    expect(await dumpCollections(models.store, COLLECTIONS)).toEqual(before);
  });

  it('rebuilds from nothing into the same facts and counters', async () => {
    const rebuilt = await SqliteReadStore.open({ file: ':memory:' });
    try {
      await catchUpAll(models.events, rebuilt);
      expect(await dumpCollections(rebuilt, COLLECTIONS)).toEqual(
        await dumpCollections(models.store, COLLECTIONS),
      );
    } finally {
      await rebuilt.close();
    }
  });
});
