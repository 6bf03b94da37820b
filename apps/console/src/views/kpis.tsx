import { useState } from 'preact/hooks';
import { get } from '../api/client';
import { type Granularity, type KpiPeriod, type KpiReport, STAGES } from '../api/types';
import { ChartFigure } from '../components/chart';
import { ErrorNotice, Loading } from '../components/notice';
import { type Column, Table } from '../components/table';
import { toCsv, download } from '../csv';
import { count, day, decimal, type Figure, money, percent, share } from '../format';
import { navigate } from '../router';
import { useApi } from '../use-api';

const GRANULARITIES: readonly Granularity[] = ['day', 'week', 'month'];

type Period = { readonly from: string; readonly to: string; readonly granularity: Granularity };

/** The twelve months up to and including this one, by month: a year at a glance. */
function defaultPeriod(today: Date): Period {
  const to = new Date(Date.UTC(today.getUTCFullYear(), today.getUTCMonth() + 1, 1));
  const from = new Date(Date.UTC(today.getUTCFullYear() - 1, today.getUTCMonth() + 1, 1));
  return { from: day(from.toISOString()), to: day(to.toISOString()), granularity: 'month' };
}

function periodOf(query: URLSearchParams): Period {
  const fallback = defaultPeriod(new Date());
  const granularity = query.get('granularity');
  return {
    from: query.get('from') ?? fallback.from,
    to: query.get('to') ?? fallback.to,
    granularity: GRANULARITIES.find((g) => g === granularity) ?? fallback.granularity,
  };
}

/** A period's label on an axis: its first day (a week starts on Monday, ISO 8601). */
const labelOf = (period: KpiPeriod, granularity: Granularity): string =>
  granularity === 'month' ? period.from.slice(0, 7) : day(period.from);

type Row = { readonly label: string; readonly kpis: KpiPeriod };

/** A numeric column for a period table: the figure formatted, its raw value kept. */
function figure(header: string, pick: (row: Row) => Figure, show: (value: Figure) => string): Column<Row> {
  return { header, numeric: true, cell: (row) => show(pick(row)), value: (row) => pick(row) ?? null };
}

const periodColumn: Column<Row> = { header: 'Period', cell: (row) => row.label, value: (row) => row.label };

function PeriodForm({ period }: { readonly period: Period }) {
  const [draft, setDraft] = useState(period);
  return (
    <form
      class="filters"
      aria-label="Period"
      onSubmit={(event) => {
        event.preventDefault();
        navigate(`/kpis?${new URLSearchParams(draft).toString()}`);
      }}
    >
      <label>
        From (inclusive)
        <input
          type="date"
          name="from"
          required
          value={draft.from}
          onInput={(event) => setDraft({ ...draft, from: event.currentTarget.value })}
        />
      </label>
      <label>
        To (exclusive)
        <input
          type="date"
          name="to"
          required
          value={draft.to}
          onInput={(event) => setDraft({ ...draft, to: event.currentTarget.value })}
        />
      </label>
      <div class="field">
        <label for="kpi-granularity">Granularity</label>
        <select
          id="kpi-granularity"
          name="granularity"
          value={draft.granularity}
          onChange={(event) => setDraft({ ...draft, granularity: event.currentTarget.value as Granularity })}
        >
          {GRANULARITIES.map((g) => (
            <option value={g} key={g}>
              {g}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="primary">
        Show
      </button>
    </form>
  );
}

function csvOf(report: KpiReport, rows: readonly Row[]): string {
  const channels = [
    ...new Set(rows.flatMap((row) => Object.keys(row.kpis.multichannelIntegration.touchpointsByChannel))),
  ].sort();
  const line = (label: string, k: KpiReport['total']) => [
    label,
    k.valueCreation.revenue,
    k.valueCreation.orders,
    k.valueCreation.aov,
    k.performanceAssessment.nps,
    k.performanceAssessment.csat,
    k.valueCreation.retentionRate,
    k.valueCreation.churnRate,
    k.performanceAssessment.conversionRate,
    ...STAGES.map((stage) => k.performanceAssessment.funnel[stage]),
    ...channels.map((channel) => k.multichannelIntegration.touchpointsByChannel[channel] ?? 0),
  ];
  return toCsv([
    [
      'period',
      'revenue (minor units)',
      'orders',
      'aov',
      'nps',
      'csat',
      'retentionRate',
      'churnRate',
      'conversionRate',
      ...STAGES.map((stage) => `funnel ${stage}`),
      ...channels.map((channel) => `touchpoints ${channel}`),
    ],
    ...rows.map((row) => line(row.label, row.kpis)),
    line(`total ${day(report.from)}..${day(report.to)}`, report.total),
  ]);
}

function Headline({
  label,
  value,
  testId,
}: {
  readonly label: string;
  readonly value: string;
  readonly testId: string;
}) {
  return (
    <div class="headline" data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

function Process({ title, rows }: { readonly title: string; readonly rows: readonly [string, string][] }) {
  return (
    <div class="card">
      <h3>{title}</h3>
      <dl class="facts">
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}

function Report({ report, granularity }: { readonly report: KpiReport; readonly granularity: Granularity }) {
  const rows: Row[] = report.periods.map((kpis) => ({ label: labelOf(kpis, granularity), kpis }));
  const labels = rows.map((row) => row.label);
  const { total } = report;
  const channels = Object.entries(total.multichannelIntegration.touchpointsByChannel).sort(
    ([, a], [, b]) => b - a,
  );
  const funnel = STAGES.map((stage) => ({ stage, customers: total.performanceAssessment.funnel[stage] }));

  return (
    <>
      <section aria-labelledby="totals-title">
        <div class="section-head">
          <h2 id="totals-title">
            Whole period {day(report.from)} to {day(report.to)}
          </h2>
          <button
            type="button"
            onClick={() => download(`kpis-${day(report.from)}-${day(report.to)}.csv`, csvOf(report, rows))}
          >
            Download CSV
          </button>
        </div>
        <dl class="headlines">
          <Headline label="Net revenue" value={money(total.valueCreation.revenue)} testId="total-revenue" />
          <Headline label="Orders" value={count(total.valueCreation.orders)} testId="total-orders" />
          <Headline label="Average order" value={money(total.valueCreation.aov)} testId="total-aov" />
          <Headline label="NPS" value={percent(total.performanceAssessment.nps)} testId="total-nps" />
          <Headline
            label="CSAT (% ≥ 4)"
            value={percent(total.performanceAssessment.csat)}
            testId="total-csat"
          />
          <Headline
            label="Retention"
            value={share(total.valueCreation.retentionRate)}
            testId="total-retention"
          />
          <Headline label="Churn" value={share(total.valueCreation.churnRate)} testId="total-churn" />
          <Headline
            label="Conversion"
            value={share(total.performanceAssessment.conversionRate)}
            testId="total-conversion"
          />
        </dl>
      </section>

      <section aria-labelledby="value-title">
        <h2 id="value-title">Value creation</h2>
        <div class="charts">
          <ChartFigure
            id="chart-revenue"
            title="Net revenue by period (major units)"
            kind="bar"
            labels={labels}
            series={[{ label: 'Net revenue', values: rows.map((r) => r.kpis.valueCreation.revenue / 100) }]}
            table={
              <Table
                caption="Net revenue and orders by period"
                testId="table-revenue"
                rows={rows}
                rowKey={(r) => r.label}
                columns={[
                  periodColumn,
                  figure('Net revenue', (r) => r.kpis.valueCreation.revenue, money),
                  figure('Orders', (r) => r.kpis.valueCreation.orders, count),
                  figure('Average order', (r) => r.kpis.valueCreation.aov, money),
                ]}
              />
            }
          />
          <ChartFigure
            id="chart-orders"
            title="Orders by period"
            kind="line"
            labels={labels}
            series={[{ label: 'Orders', values: rows.map((r) => r.kpis.valueCreation.orders) }]}
            table={
              <Table
                caption="Orders by period"
                testId="table-orders"
                rows={rows}
                rowKey={(r) => r.label}
                columns={[periodColumn, figure('Orders', (r) => r.kpis.valueCreation.orders, count)]}
              />
            }
          />
          <ChartFigure
            id="chart-retention"
            title="Retention and churn rate by period (%)"
            kind="line"
            labels={labels}
            series={[
              { label: 'Retention', values: rows.map((r) => pct(r.kpis.valueCreation.retentionRate)) },
              { label: 'Churn', values: rows.map((r) => pct(r.kpis.valueCreation.churnRate)) },
            ]}
            table={
              <Table
                caption="Retention and churn by period"
                testId="table-retention"
                rows={rows}
                rowKey={(r) => r.label}
                columns={[
                  periodColumn,
                  figure('Retention rate', (r) => r.kpis.valueCreation.retentionRate, share),
                  figure('Churn rate', (r) => r.kpis.valueCreation.churnRate, share),
                ]}
              />
            }
          />
        </div>
      </section>

      <section aria-labelledby="satisfaction-title">
        <h2 id="satisfaction-title">Performance assessment</h2>
        <div class="charts">
          <ChartFigure
            id="chart-satisfaction"
            title="NPS (−100 to 100) and CSAT (% of answers ≥ 4) by period"
            kind="line"
            labels={labels}
            series={[
              { label: 'NPS', values: rows.map((r) => r.kpis.performanceAssessment.nps) },
              { label: 'CSAT', values: rows.map((r) => r.kpis.performanceAssessment.csat) },
            ]}
            table={
              <Table
                caption="NPS and CSAT by period"
                testId="table-satisfaction"
                rows={rows}
                rowKey={(r) => r.label}
                columns={[
                  periodColumn,
                  figure('NPS', (r) => r.kpis.performanceAssessment.nps, percent),
                  figure('CSAT', (r) => r.kpis.performanceAssessment.csat, percent),
                  figure('CES', (r) => r.kpis.performanceAssessment.ces, decimal),
                ]}
              />
            }
          />
          <ChartFigure
            id="chart-funnel"
            title={`Customers by journey stage at ${day(report.to)}`}
            kind="bar"
            horizontal
            labels={funnel.map((f) => f.stage)}
            series={[{ label: 'Customers', values: funnel.map((f) => f.customers) }]}
            table={
              <Table
                caption="Stage funnel"
                testId="table-funnel"
                rows={funnel}
                rowKey={(f) => f.stage}
                columns={[
                  { header: 'Stage', cell: (f) => f.stage, value: (f) => f.stage },
                  {
                    header: 'Customers',
                    numeric: true,
                    cell: (f) => count(f.customers),
                    value: (f) => f.customers,
                  },
                ]}
              />
            }
          />
          <ChartFigure
            id="chart-channels"
            title="Channel mix: touchpoints by channel over the whole period"
            kind="bar"
            horizontal
            labels={channels.map(([channel]) => channel)}
            series={[{ label: 'Touchpoints', values: channels.map(([, n]) => n) }]}
            table={
              <Table
                caption="Channel mix"
                testId="table-channels"
                rows={channels}
                rowKey={([channel]) => channel}
                columns={[
                  { header: 'Channel', cell: ([channel]) => channel, value: ([channel]) => channel },
                  { header: 'Touchpoints', numeric: true, cell: ([, n]) => count(n), value: ([, n]) => n },
                ]}
              />
            }
          />
        </div>
      </section>

      <section aria-labelledby="processes-title">
        <h2 id="processes-title">More figures of the five processes, whole period</h2>
        <div class="cards processes">
          <Process
            title="Strategy development"
            rows={[
              ['New customers', count(total.strategyDevelopment.newCustomers.total)],
              ...Object.entries(total.strategyDevelopment.newCustomers.byKind).map(
                ([kind, n]): [string, string] => [`New ${kind} customers`, count(n)],
              ),
              ...Object.entries(total.strategyDevelopment.revenueBySegment).map(
                ([name, minor]): [string, string] => [`Revenue, ${name}`, money(minor)],
              ),
            ]}
          />
          <Process
            title="Multichannel integration"
            rows={[
              ['Customers on ≥ 2 channels', share(total.multichannelIntegration.multichannelShare)],
              [
                'Median first response (min)',
                decimal(total.multichannelIntegration.medianFirstResponseMinutes),
              ],
            ]}
          />
          <Process
            title="Information management"
            rows={[
              ['Profile completeness', share(total.informationManagement.avgProfileCompleteness)],
              ['Marketing consent', share(total.informationManagement.marketingConsentShare)],
              ['Identified (email or phone)', share(total.informationManagement.identifiedShare)],
              [
                'Projection lag',
                total.informationManagement.projectionLag === undefined
                  ? '–'
                  : `${count(total.informationManagement.projectionLag.events)} events, ${decimal(total.informationManagement.projectionLag.seconds)} s`,
              ],
            ]}
          />
          <Process
            title="Value creation: purchasing"
            rows={[
              ['Purchase frequency', decimal(total.valueCreation.purchaseFrequency)],
              ['Repeat purchase rate', share(total.valueCreation.repeatPurchaseRate)],
            ]}
          />
          <Process
            title="Performance assessment: service"
            rows={[
              ['CES (mean, 1–7)', decimal(total.performanceAssessment.ces)],
              ['First-contact resolution', share(total.performanceAssessment.firstContactResolution)],
            ]}
          />
        </div>
      </section>
    </>
  );
}

const pct = (value: number | null): number | null => (value === null ? null : value * 100);

export function KpisView({ query }: { readonly query: URLSearchParams }) {
  const period = periodOf(query);
  const report = useApi(
    () =>
      get<KpiReport>('/kpis', {
        from: `${period.from}T00:00:00Z`,
        to: `${period.to}T00:00:00Z`,
        granularity: period.granularity,
      }),
    [period.from, period.to, period.granularity],
  );
  return (
    <>
      <h1>KPIs by Payne &amp; Frow process</h1>
      <PeriodForm key={`${period.from}/${period.to}/${period.granularity}`} period={period} />
      <ErrorNotice error={report.error} />
      {report.loading && <Loading what="the KPIs" />}
      {report.data && <Report report={report.data} granularity={period.granularity} />}
    </>
  );
}
