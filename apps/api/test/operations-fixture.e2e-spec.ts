import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '@crm/event-store';
import { CUSTOMER_STREAM_PREFIX, customerStreamId, type EventMetadata } from '@crm/domain';
import { eventually } from './support/admin';
import { TestApp } from './support/test-app';

/**
 * The operations fixture (test/fixtures/README.md, "Operations fixture"),
 * asserted field by field through the HTTP routes of the embedded app: the
 * events the automations record, the follow-up worklists and each
 * customer's open follow-ups, the survey and service-level KPIs, and the
 * campaign figures and audiences. The expected values come from the
 * independent Python implementation (tools/fixtures/operations_expected_values.py).
 *
 * The log is appended as it stands (pre-recorded survey requests included,
 * which the feedback reactor must recognise as its own), then the reactors
 * run with the app's clock pinned at the worklists' asOf, after every due
 * time in the log.
 */

const FIXTURE_DIR = join(__dirname, '..', '..', '..', 'test', 'fixtures');

type Line = {
  readonly customerId: string;
  readonly type: string;
  readonly eventId: string;
  readonly occurredAt: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly metadata: EventMetadata;
};
type AutomatedExpected = Line & { readonly inLog: boolean };
type FollowUpItem = {
  readonly followUpId: string;
  readonly customerId: string;
  readonly assignee: string;
  readonly dueAt: string;
  readonly scheduledAt: string;
  readonly caseId: string | null;
  readonly status: 'open' | 'overdue';
};
type Period = { readonly name: string; readonly from: string; readonly to: string };
type KpiExpected = {
  readonly period: string;
  readonly from: string;
  readonly to: string;
  readonly performanceAssessment: { readonly surveyResponseRate: number | null };
  readonly multichannelIntegration: { readonly slaBreachRate: number | null };
};
type CampaignFigures = Readonly<Record<string, unknown>> & { readonly customers?: unknown };
type Expected = {
  readonly clock: string;
  readonly periods: readonly Period[];
  readonly automations: readonly AutomatedExpected[];
  readonly worklists: {
    readonly asOf: string;
    readonly byAssignee: Readonly<
      Record<string, Readonly<Record<'open' | 'overdue', readonly FollowUpItem[]>>>
    >;
  };
  readonly openFollowUps: {
    readonly asOf: string;
    readonly byCustomer: Readonly<Record<string, readonly FollowUpItem[]>>;
  };
  readonly kpis: readonly KpiExpected[];
  readonly campaigns: Readonly<
    Record<
      string,
      { readonly allTime: CampaignFigures; readonly periods: Readonly<Record<string, CampaignFigures>> }
    >
  >;
  readonly audiences: Readonly<Record<string, { readonly purpose: string; readonly customerIds: string[] }>>;
};

const lines: Line[] = readFileSync(join(FIXTURE_DIR, 'crm-operations.events.ndjson'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as Line);
const expected = JSON.parse(
  readFileSync(join(FIXTURE_DIR, 'crm-operations.expected.json'), 'utf8'),
) as Expected;
const asOf = expected.worklists.asOf;

function automated(event: RecordedEvent): Line {
  return {
    customerId: event.streamId.slice(CUSTOMER_STREAM_PREFIX.length),
    type: event.type,
    eventId: event.eventId,
    occurredAt: event.occurredAt,
    data: event.data,
    metadata: event.metadata as EventMetadata,
  };
}

const REACTORS = ['feedback', 'service-level'];

const byId = (a: { eventId: string }, b: { eventId: string }): number => (a.eventId < b.eventId ? -1 : 1);

describe('the operations fixture, end to end', () => {
  let app: TestApp;
  let store: EventStore;

  beforeAll(async () => {
    expect(Date.parse(asOf)).toBeGreaterThanOrEqual(Date.parse(expected.clock));
    app = await TestApp.start({ AUTOMATIONS: 'on' }, { clock: { now: () => new Date(asOf) } });
    store = app.app.get<EventStore>(EVENT_STORE);
    // The log goes in whole before the reactors look at it: with the clock past every due time,
    // a reactor running while it loads would breach a case whose response is not appended yet.
    for (const name of REACTORS)
      expect((await app.post(`/admin/automations/${name}/pause`)).statusCode).toBe(200);
    for (const line of lines) {
      const { customerId, ...event } = line;
      await store.append(customerStreamId(customerId), [{ ...event, version: 1 }]);
    }
    for (const name of REACTORS)
      expect((await app.post(`/admin/automations/${name}/resume`)).statusCode).toBe(200);
    const recordedByReactors = expected.automations.filter((event) => !event.inLog).length;
    await eventually(
      () => store.readAll(),
      (all) => all.length >= lines.length + recordedByReactors,
    );
    // The reactors' own events move the head; their next poll takes the checkpoint past them.
    await eventually(
      async () =>
        (await app.get<{ automations: { lagEvents: number }[] }>('/admin/automations')).body.automations,
      (all) => all.every((automation) => automation.lagEvents === 0),
    );
    const head = (await store.readAll()).length;
    // Every read below waits for the read models to reflect the whole log.
    await eventually(
      () => app.get<{ meta: { position: number } }>(`/follow-ups?minPosition=${head}`),
      (response) => response.statusCode === 200,
    );
  }, 60_000);

  afterAll(async () => {
    await app.stop();
  });

  it('holds each automated event once, as the independent computation derives it', async () => {
    const inLog = (await store.readAll()).filter((event) => event.metadata.source === 'automations');
    const want = expected.automations.map(({ customerId, type, eventId, occurredAt, data, metadata }) => ({
      customerId,
      type,
      eventId,
      occurredAt,
      data,
      metadata,
    }));
    expect(inLog.map(automated).sort(byId)).toEqual([...want].sort(byId));
  });

  it('shows nothing pending, parked or behind in the automations list', async () => {
    const { automations } = (await app.get<{ automations: unknown[] }>('/admin/automations')).body;
    expect(automations).toEqual([
      expect.objectContaining({ name: 'feedback', deadLetters: 0, pendingDeadlines: 0, paused: false }),
      expect.objectContaining({ name: 'service-level', deadLetters: 0, pendingDeadlines: 0, paused: false }),
    ]);
  });

  describe('worklists at the fixture asOf', () => {
    const cases = Object.entries(expected.worklists.byAssignee).flatMap(([assignee, lists]) =>
      (['open', 'overdue'] as const).map((status) => [assignee, status, lists[status]] as const),
    );

    it.each(cases)('%s, %s', async (assignee, status, items) => {
      const query = new URLSearchParams({ assignee, status, asOf, limit: '100' });
      const response = await app.get<{ items: FollowUpItem[]; next: string | null }>(
        `/follow-ups?${query.toString()}`,
      );
      expect(response.statusCode).toBe(200);
      expect(response.body.items).toEqual(items);
      expect(response.body.next).toBeNull();
    });
  });

  it("lists every customer's open follow-ups in GET /customers/:id", async () => {
    expect(expected.openFollowUps.asOf).toBe(asOf);
    for (const [customerId, items] of Object.entries(expected.openFollowUps.byCustomer)) {
      const response = await app.get<{ openFollowUps: FollowUpItem[] }>(`/customers/${customerId}`);
      if (response.statusCode === 410) {
        // The erased customer: nothing to work on, nothing to show.
        expect(items).toEqual([]);
        continue;
      }
      expect({ customerId, status: response.statusCode }).toEqual({ customerId, status: 200 });
      expect({ customerId, openFollowUps: response.body.openFollowUps }).toEqual({
        customerId,
        openFollowUps: items,
      });
    }
  });

  it.each(expected.kpis.map((kpi) => [kpi.period, kpi] as const))(
    'surveyResponseRate and slaBreachRate, %s',
    async (_period, kpi) => {
      const query = new URLSearchParams({ from: kpi.from, to: kpi.to });
      const response = await app.get<{
        total: {
          performanceAssessment: { surveyResponseRate: number | null };
          multichannelIntegration: { slaBreachRate: number | null };
        };
      }>(`/kpis?${query.toString()}`);
      expect(response.statusCode).toBe(200);
      const { total } = response.body;
      expectClose(
        total.performanceAssessment.surveyResponseRate,
        kpi.performanceAssessment.surveyResponseRate,
      );
      expectClose(total.multichannelIntegration.slaBreachRate, kpi.multichannelIntegration.slaBreachRate);
    },
  );

  describe('campaign performance', () => {
    const periodOf = new Map(expected.periods.map((period) => [period.name, period] as const));
    const cases = Object.entries(expected.campaigns).flatMap(([campaignId, figures]) => [
      [campaignId, 'all time', '', figures.allTime] as const,
      ...Object.entries(figures.periods).map(([name, periodFigures]) => {
        const period = periodOf.get(name);
        if (period === undefined) throw new Error(`the fixture names no period ${name}`);
        const query = new URLSearchParams({ from: period.from, to: period.to }).toString();
        return [campaignId, name, `?${query}`, periodFigures] as const;
      }),
    ]);

    it.each(cases)('%s, %s', async (campaignId, _period, query, figures) => {
      const response = await app.get<Record<string, unknown>>(`/campaigns/${campaignId}${query}`);
      expect(response.statusCode).toBe(200);
      const { meta: _meta, ...body } = response.body;
      const want = productFigures(figures);
      expect(Object.keys(body).sort()).toEqual(Object.keys(want).sort());
      for (const [field, value] of Object.entries(want)) {
        const actual = body[field];
        if (typeof value === 'number' && typeof actual === 'number' && !Number.isInteger(value))
          expect({ field, close: Math.abs(actual - value) < 1e-9 }).toEqual({ field, close: true });
        else expect({ field, value: actual }).toEqual({ field, value });
      }
    });

    it('lists every campaign of the fixture', async () => {
      const response = await app.get<{ items: { campaignId: string }[] }>('/campaigns?limit=100');
      expect(response.statusCode).toBe(200);
      expect(response.body.items.map((item) => item.campaignId).sort()).toEqual(
        Object.keys(expected.campaigns).sort(),
      );
    });

    it.each(Object.entries(expected.audiences))(
      'exports the audience of %s: consented, not erased',
      async (campaignId, audience) => {
        const query = new URLSearchParams({ purpose: audience.purpose, format: 'ndjson' }).toString();
        const response = await app.get<string>(`/campaigns/${campaignId}/audience?${query}`);
        expect(response.statusCode).toBe(200);
        const ids = response.body
          .split('\n')
          .filter((line) => line !== '')
          .map((line) => (JSON.parse(line) as { customerId: string }).customerId);
        expect(ids.sort()).toEqual([...audience.customerIds].sort());
      },
    );
  });
});

/** The fixture's figures without the intermediates it publishes to help debugging (customer lists). */
function productFigures(figures: CampaignFigures): Readonly<Record<string, unknown>> {
  const { customers: _customers, ...product } = figures;
  return product;
}

function expectClose(actual: number | null, want: number | null): void {
  if (want === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(want, 9);
}
