import { useState } from 'preact/hooks';
import { get, segment } from '../api/client';
import type { CustomerProfile, Journey, Scores } from '../api/types';
import type { Access } from '../access';
import { ErrorNotice, Loading } from '../components/notice';
import { PrivacyActions } from '../components/privacy-actions';
import { Table } from '../components/table';
import { count, dateTime, decimal, money, share } from '../format';
import { linkTo, navigate } from '../router';
import { useApi } from '../use-api';

const TIMELINE_PAGE = 10;

/** `2025-03-01T00:00` from the picker (read as UTC) to an instant, and back. */
const fromPicker = (value: string): string => `${value}:00Z`;
const toPicker = (iso: string): string => iso.slice(0, 16);

function Facts({ rows, testId }: { readonly rows: readonly [string, string][]; readonly testId?: string }) {
  return (
    <dl class="facts" data-testid={testId}>
      {rows.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd data-fact={label}>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function Profile({ profile }: { readonly profile: CustomerProfile }) {
  const field = (name: string): string => {
    const value = profile.profile[name];
    return typeof value === 'string' ? value : '';
  };
  const consents = Object.entries(profile.consents)
    .map(([purpose, state]) => {
      const granted =
        typeof state === 'object' && state !== null && 'granted' in state ? state.granted : state;
      return `${purpose}: ${granted === true ? 'granted' : 'not granted'}`;
    })
    .join(', ');
  return (
    <section aria-labelledby="profile-title" class="card">
      <h2 id="profile-title">Profile</h2>
      <Facts
        testId="profile"
        rows={[
          ['Kind', profile.kind],
          ['Email', field('email')],
          ['Phone', field('phone')],
          ['Segment', field('segment')],
          ['Acquired via', field('acquisitionChannel')],
          ['Registered', dateTime(profile.registeredAt)],
          ['Consents', consents === '' ? 'none recorded' : consents],
          ...(profile.erasedAt === null
            ? []
            : ([['Erased', dateTime(profile.erasedAt)]] as [string, string][])),
        ]}
      />
    </section>
  );
}

function StageTimeline({ journey }: { readonly journey: Journey }) {
  return (
    <section aria-labelledby="stages-title" class="card">
      <h2 id="stages-title">Journey</h2>
      <p>
        Stage <strong data-testid="stage">{journey.stage}</strong>, {journey.status};{' '}
        {count(journey.touchpoints)} touchpoints
        {journey.daysToConvert === null ? '' : `, converted in ${journey.daysToConvert} days`}.
      </p>
      <ol class="timeline" data-testid="stage-history" aria-label="Stage history">
        {journey.stageHistory.map((entry) => (
          <li key={entry.stage} data-stage={entry.stage}>
            <span class="stage">{entry.stage}</span>{' '}
            <time dateTime={entry.reachedAt}>{dateTime(entry.reachedAt)}</time>
          </li>
        ))}
      </ol>
    </section>
  );
}

function summaryText(summary: Readonly<Record<string, unknown>>): string {
  return Object.entries(summary)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([name, value]) => `${name}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(', ');
}

function Touchpoints({ customerId, asOf }: { readonly customerId: string; readonly asOf: string | null }) {
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const journey = useApi(
    () =>
      asOf === null
        ? get<Journey>(`/customers/${segment(customerId)}/journey`, { limit: TIMELINE_PAGE, cursor })
        : get<Journey>(`/analytics/customers/${segment(customerId)}/journey`, {
            asOf,
            limit: TIMELINE_PAGE,
            cursor,
          }),
    [customerId, asOf, cursor],
  );
  const page = journey.data?.timeline;
  return (
    <section aria-labelledby="touchpoints-title" class="card wide">
      <h2 id="touchpoints-title">Touchpoints</h2>
      <ErrorNotice error={journey.error} />
      {page && (
        <>
          <Table
            caption={`Touchpoints in time order, page ${cursors.length}`}
            testId="touchpoints"
            rows={page.items}
            rowKey={(t) => t.id}
            empty="No touchpoint"
            columns={[
              { header: 'When', cell: (t) => dateTime(t.occurredAt), value: (t) => t.occurredAt },
              { header: 'Type', cell: (t) => t.type },
              { header: 'Channel', cell: (t) => t.channel },
              { header: 'Inbound', cell: (t) => (t.inbound ? 'yes' : 'no') },
              { header: 'Details', cell: (t) => summaryText(t.summary) },
            ]}
          />
          <nav class="pager" aria-label="Touchpoint pages">
            <button
              type="button"
              disabled={cursors.length === 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Earlier page
            </button>
            <button
              type="button"
              disabled={page.nextCursor === null}
              onClick={() => setCursors([...cursors, page.nextCursor])}
            >
              Later page
            </button>
          </nav>
        </>
      )}
    </section>
  );
}

function ScoresCard({ scores }: { readonly scores: Scores }) {
  const { value, needs } = scores.differentiate;
  const predicted = scores.predictedValue;
  const predictions: [string, string][] = [
    ...(scores.probabilityAlive === undefined
      ? []
      : ([['Probability alive', share(scores.probabilityAlive)]] as [string, string][])),
    ...(predicted === undefined
      ? []
      : ([
          ['Predicted value', typeof predicted === 'number' ? money(predicted) : JSON.stringify(predicted)],
        ] as [string, string][])),
  ];
  return (
    <section aria-labelledby="scores-title" class="card">
      <h2 id="scores-title">IDIC scores</h2>
      <Facts
        testId="scores"
        rows={[
          ['Value tier', value.valueTier],
          [
            'RFM (R, F, M)',
            value.rfm === null ? '–' : `${value.rfm.recency}, ${value.rfm.frequency}, ${value.rfm.monetary}`,
          ],
          [
            'Differentiation score',
            value.differentiationScore === null ? '–' : String(value.differentiationScore),
          ],
          ['Net revenue', money(value.netRevenue)],
          ['Orders', count(value.orders)],
          ['Average order', money(value.aov)],
          ['Days since last purchase', count(value.daysSinceLastPurchase)],
          ['Preferred channel', needs.preferredChannel ?? '–'],
          ['Top category', needs.topCategory ?? '–'],
          ['Touchpoints (90 days)', count(scores.interact.touchpoints90d)],
          ['Inbound share', share(scores.interact.inboundShare)],
          [
            'Latest NPS',
            scores.satisfaction.latestNps === null
              ? '–'
              : `${scores.satisfaction.latestNps} (${scores.satisfaction.npsClass})`,
          ],
          ['Average CSAT', decimal(scores.satisfaction.avgCsat)],
          ['Profile completeness', share(scores.identify.profileCompleteness)],
          ...predictions,
        ]}
      />
    </section>
  );
}

function TimeTravel({
  customerId,
  asOf,
  allowed,
}: {
  readonly customerId: string;
  readonly asOf: string | null;
  readonly allowed: boolean;
}) {
  const [draft, setDraft] = useState(asOf === null ? '' : toPicker(asOf));
  const base = `/customers/${encodeURIComponent(customerId)}`;
  if (!allowed)
    return <p class="help">Time travel (“as of” a past instant) needs a key with the analyst role.</p>;
  return (
    <form
      class="filters"
      aria-label="Time travel"
      onSubmit={(event) => {
        event.preventDefault();
        if (draft !== '') navigate(`${base}?asOf=${encodeURIComponent(fromPicker(draft))}`);
      }}
    >
      <label>
        As of (UTC)
        <input
          type="datetime-local"
          name="asOf"
          value={draft}
          required
          onInput={(event) => setDraft(event.currentTarget.value)}
        />
      </label>
      <button type="submit" class="primary">
        Travel
      </button>
      {asOf !== null && (
        <a class="button" {...linkTo(base)}>
          Back to now
        </a>
      )}
    </form>
  );
}

export function CustomerView({
  access,
  customerId,
  query,
}: {
  readonly access: Access;
  readonly customerId: string;
  readonly query: URLSearchParams;
}) {
  const asOf = access.has('analyst') ? query.get('asOf') : null;
  const profile = useApi(() => get<CustomerProfile>(`/customers/${segment(customerId)}`), [customerId]);
  const journey = useApi(
    () =>
      asOf === null
        ? get<Journey>(`/customers/${segment(customerId)}/journey`, { limit: 1 })
        : get<Journey>(`/analytics/customers/${segment(customerId)}/journey`, { asOf, limit: 1 }),
    [customerId, asOf],
  );
  const scores = useApi(
    () =>
      asOf === null
        ? get<Scores>(`/customers/${segment(customerId)}/scores`)
        : get<Scores>(`/analytics/customers/${segment(customerId)}/scores`, { asOf }),
    [customerId, asOf],
  );
  const name = profile.data?.profile.name;
  return (
    <>
      <p>
        <a {...linkTo('/customers')}>← Customers</a>
      </p>
      <h1>
        {typeof name === 'string' ? name : customerId} <small>{customerId}</small>
      </h1>
      <TimeTravel key={asOf ?? 'now'} customerId={customerId} asOf={asOf} allowed={access.has('analyst')} />
      <p class="as-of" role="status" data-testid="as-of">
        {asOf === null
          ? 'Now, from the live read models.'
          : `As of ${dateTime(asOf)}: replayed from the event history.`}
      </p>
      <ErrorNotice error={profile.error ?? journey.error ?? scores.error} />
      {(profile.loading || journey.loading || scores.loading) && <Loading what="the customer" />}
      <div class="cards">
        {profile.data && <Profile profile={profile.data} />}
        {journey.data && <StageTimeline journey={journey.data} />}
        {scores.data && <ScoresCard scores={scores.data} />}
        {access.has('admin') && <PrivacyActions customerId={customerId} onErased={profile.reload} />}
      </div>
      <Touchpoints key={`${customerId}/${asOf ?? ''}`} customerId={customerId} asOf={asOf} />
    </>
  );
}
