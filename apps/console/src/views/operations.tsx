import { useEffect, useState } from 'preact/hooks';
import { get, post, segment } from '../api/client';
import type { DeadLetter, Page, ProjectionOverview, StreamInspection } from '../api/types';
import { type ConfirmRequest, ConfirmDialog } from '../components/confirm';
import { ErrorNotice, Loading } from '../components/notice';
import { PrivacyActions } from '../components/privacy-actions';
import { Table } from '../components/table';
import { count, dateTime, decimal } from '../format';
import { useApi } from '../use-api';

const REFRESH_MS = 2000;

type Overview = { readonly projections: readonly ProjectionOverview[] };

/** What an admin action says once done, or its error. */
type Outcome = { readonly message: string | null; readonly error: unknown };

function useOutcome() {
  const [outcome, setOutcome] = useState<Outcome>({ message: null, error: null });
  const run = (action: () => Promise<string>, then: () => void) => async () => {
    setOutcome({ message: null, error: null });
    try {
      setOutcome({ message: await action(), error: null });
    } catch (error) {
      setOutcome({ message: null, error });
    }
    then();
  };
  const view = (
    <>
      {outcome.message && (
        <p class="notice" role="status">
          {outcome.message}
        </p>
      )}
      <ErrorNotice error={outcome.error} />
    </>
  );
  return { run, view };
}

function Projections({ ask }: { readonly ask: (request: ConfirmRequest) => void }) {
  const [auto, setAuto] = useState(true);
  const overview = useApi(() => get<Overview>('/admin/projections'), []);
  const { run, view } = useOutcome();
  useEffect(() => {
    if (!auto) return undefined;
    const timer = setInterval(overview.reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [auto, overview.reload]);

  const action = (projection: ProjectionOverview, verb: 'pause' | 'resume' | 'rebuild', body: string) =>
    ask({
      title: `${verb[0]?.toUpperCase()}${verb.slice(1)} ${projection.name}?`,
      body,
      action: verb[0]?.toUpperCase() + verb.slice(1),
      danger: verb !== 'resume',
      run: run(async () => {
        const after = await post<ProjectionOverview>(
          `/admin/projections/${segment(projection.name)}/${verb}`,
        );
        return `${after.name}: ${verb} accepted, now ${after.state}.`;
      }, overview.reload),
    });

  return (
    <section aria-labelledby="projections-title">
      <div class="section-head">
        <h2 id="projections-title">Projections</h2>
        <label class="inline">
          <input type="checkbox" checked={auto} onChange={(event) => setAuto(event.currentTarget.checked)} />{' '}
          Refresh every {REFRESH_MS / 1000} s
        </label>
      </div>
      {view}
      <ErrorNotice error={overview.error} />
      {overview.data === null && overview.loading && <Loading what="projections" />}
      {overview.data && (
        <Table
          caption="Projections: state, version and lag behind the log head"
          testId="projections"
          rows={overview.data.projections}
          rowKey={(p) => p.name}
          columns={[
            { header: 'Projection', cell: (p) => p.name, value: (p) => p.name },
            {
              header: 'State',
              cell: (p) => (p.rebuild === null ? p.state : `${p.state}, rebuilding`),
              value: (p) => p.state,
            },
            { header: 'Version', numeric: true, cell: (p) => count(p.version), value: (p) => p.version },
            {
              header: 'Checkpoint',
              numeric: true,
              cell: (p) => count(p.checkpoint),
              value: (p) => p.checkpoint,
            },
            {
              header: 'Lag (events)',
              numeric: true,
              cell: (p) => count(p.lag.events),
              value: (p) => p.lag.events,
            },
            {
              header: 'Lag (seconds)',
              numeric: true,
              cell: (p) => decimal(p.lag.seconds),
              value: (p) => p.lag.seconds,
            },
            {
              header: 'Events/s',
              numeric: true,
              cell: (p) => decimal(p.eventsPerSecond),
              value: (p) => p.eventsPerSecond,
            },
            {
              header: 'Open dead letters',
              numeric: true,
              cell: (p) => count(p.errors.deadLettersOpen),
              value: (p) => p.errors.deadLettersOpen,
            },
            {
              header: 'Actions',
              cell: (p) => (
                <div class="actions">
                  {p.state === 'paused' ? (
                    <button
                      type="button"
                      onClick={() => action(p, 'resume', 'It catches up from its checkpoint.')}
                      aria-label={`Resume ${p.name}`}
                    >
                      Resume
                    </button>
                  ) : (
                    <button
                      type="button"
                      onClick={() =>
                        action(
                          p,
                          'pause',
                          'It stops applying events until resumed; reads keep answering, growing stale.',
                        )
                      }
                      aria-label={`Pause ${p.name}`}
                    >
                      Pause
                    </button>
                  )}
                  <button
                    type="button"
                    onClick={() =>
                      action(
                        p,
                        'rebuild',
                        'The next version is built beside the live one from the whole log, then swapped in; reads stay up.',
                      )
                    }
                    aria-label={`Rebuild ${p.name}`}
                  >
                    Rebuild
                  </button>
                </div>
              ),
            },
          ]}
        />
      )}
    </section>
  );
}

function DeadLetters({ ask }: { readonly ask: (request: ConfirmRequest) => void }) {
  const [status, setStatus] = useState('open');
  const letters = useApi(
    () => get<Page<DeadLetter>>('/admin/dead-letters', { status, limit: 100 }),
    [status],
  );
  const { run, view } = useOutcome();
  const act = (letter: DeadLetter, verb: 'retry' | 'skip') =>
    run(async () => {
      const after = await post<DeadLetter>(`/admin/dead-letters/${segment(letter.id)}/${verb}`);
      return `${after.id} is now ${after.status}.`;
    }, letters.reload);
  return (
    <section aria-labelledby="letters-title">
      <div class="section-head">
        <h2 id="letters-title">Dead letters</h2>
        <label class="inline" for="letters-status">
          Status
        </label>
        <select id="letters-status" value={status} onChange={(event) => setStatus(event.currentTarget.value)}>
          <option value="open">open</option>
          <option value="retried">retried</option>
          <option value="skipped">skipped</option>
        </select>
        <button type="button" onClick={letters.reload}>
          Reload
        </button>
      </div>
      {view}
      <ErrorNotice error={letters.error} />
      {letters.data && (
        <Table
          caption={`Dead letters (${status}): events a projection could not apply`}
          testId="dead-letters"
          rows={letters.data.items}
          rowKey={(l) => l.id}
          empty="No dead letter"
          columns={[
            { header: 'Projection', cell: (l) => l.projection, value: (l) => l.projection },
            { header: 'Customer', cell: (l) => l.customerId, value: (l) => l.customerId },
            { header: 'Event', cell: (l) => `${l.type} ${l.eventId}` },
            { header: 'Error', cell: (l) => l.error },
            { header: 'Attempts', numeric: true, cell: (l) => count(l.attempts), value: (l) => l.attempts },
            { header: 'Last failed', cell: (l) => dateTime(l.lastFailedAt) },
            { header: 'Status', cell: (l) => l.status, value: (l) => l.status },
            {
              header: 'Actions',
              cell: (l) =>
                l.status === 'retried' ? null : (
                  <div class="actions">
                    <button type="button" onClick={() => void act(l, 'retry')()} aria-label={`Retry ${l.id}`}>
                      Retry
                    </button>
                    {l.status === 'open' && (
                      <button
                        type="button"
                        aria-label={`Skip ${l.id}`}
                        onClick={() =>
                          ask({
                            title: 'Skip this dead letter?',
                            body: `${l.projection} will leave ${l.type} ${l.eventId} of ${l.customerId} unapplied for good (until a retry).`,
                            action: 'Skip',
                            danger: true,
                            run: act(l, 'skip'),
                          })
                        }
                      >
                        Skip
                      </button>
                    )}
                  </div>
                ),
            },
          ]}
        />
      )}
    </section>
  );
}

function StreamInspector() {
  const [streamId, setStreamId] = useState('');
  const [shown, setShown] = useState<StreamInspection | null>(null);
  const [error, setError] = useState<unknown>(null);
  const load = async (id: string, fromRevision: number) => {
    setError(null);
    try {
      setShown(await get<StreamInspection>(`/admin/streams/${segment(id)}`, { fromRevision, limit: 50 }));
    } catch (failure) {
      setShown(null);
      setError(failure);
    }
  };
  return (
    <section aria-labelledby="streams-title">
      <h2 id="streams-title">Stream inspector</h2>
      <form
        class="filters"
        aria-label="Stream"
        onSubmit={(event) => {
          event.preventDefault();
          void load(streamId.trim(), 0);
        }}
      >
        <label>
          Stream id
          <input
            name="streamId"
            placeholder="customer-…"
            required
            value={streamId}
            onInput={(event) => setStreamId(event.currentTarget.value)}
          />
        </label>
        <button type="submit" class="primary">
          Inspect
        </button>
      </form>
      <ErrorNotice error={error} />
      {shown && (
        <>
          <p>
            {shown.streamId}: revision {shown.revision}, {shown.events.length} events shown.
          </p>
          <Table
            caption={`Events of ${shown.streamId}`}
            testId="stream-events"
            rows={shown.events}
            rowKey={(e) => e.eventId}
            columns={[
              { header: 'Revision', numeric: true, cell: (e) => count(e.revision), value: (e) => e.revision },
              { header: 'Position', numeric: true, cell: (e) => count(e.position), value: (e) => e.position },
              { header: 'Type', cell: (e) => e.type, value: (e) => e.type },
              { header: 'Occurred', cell: (e) => dateTime(e.occurredAt) },
              { header: 'Recorded', cell: (e) => dateTime(e.recordedAt) },
              {
                header: 'Data and metadata',
                cell: (e) => <pre>{JSON.stringify({ data: e.data, metadata: e.metadata }, null, 1)}</pre>,
              },
            ]}
          />
          {shown.nextRevision !== null && (
            <button type="button" onClick={() => void load(shown.streamId, shown.nextRevision ?? 0)}>
              Next events
            </button>
          )}
        </>
      )}
    </section>
  );
}

function PrivacyById() {
  const [draft, setDraft] = useState('');
  const [customerId, setCustomerId] = useState<string | null>(null);
  return (
    <section aria-labelledby="privacy-by-id-title">
      <h2 id="privacy-by-id-title">Export or erase a customer</h2>
      <form
        class="filters"
        aria-label="Customer for export or erasure"
        onSubmit={(event) => {
          event.preventDefault();
          setCustomerId(draft.trim());
        }}
      >
        <label>
          Customer id
          <input
            name="customerId"
            required
            value={draft}
            onInput={(event) => setDraft(event.currentTarget.value)}
          />
        </label>
        <button type="submit">Choose</button>
      </form>
      {customerId && <PrivacyActions key={customerId} customerId={customerId} onErased={() => undefined} />}
    </section>
  );
}

/** For operators (admin keys only): projections, dead letters, streams, subject export and erasure. */
export function OperationsView() {
  const [confirm, setConfirm] = useState<ConfirmRequest | null>(null);
  return (
    <>
      <h1>Operations</h1>
      <Projections ask={setConfirm} />
      <DeadLetters ask={setConfirm} />
      <StreamInspector />
      <PrivacyById />
      <ConfirmDialog request={confirm} onClose={() => setConfirm(null)} />
    </>
  );
}
