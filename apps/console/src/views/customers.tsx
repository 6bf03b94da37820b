import { useState } from 'preact/hooks';
import { get } from '../api/client';
import { type CustomerListItem, type Page, STAGES, VALUE_TIERS } from '../api/types';
import { ErrorNotice, Loading } from '../components/notice';
import { Table } from '../components/table';
import { count, dateTime, money } from '../format';
import { linkTo, navigate } from '../router';
import { useApi } from '../use-api';

const PAGE_SIZE = 20;

type Filters = { readonly q: string; readonly valueTier: string; readonly stage: string };

function filtersOf(query: URLSearchParams): Filters {
  return {
    q: query.get('q') ?? '',
    valueTier: query.get('valueTier') ?? '',
    stage: query.get('stage') ?? '',
  };
}

function FilterForm({ filters }: { readonly filters: Filters }) {
  const [draft, setDraft] = useState(filters);
  return (
    <form
      class="filters"
      role="search"
      aria-label="Customers"
      onSubmit={(event) => {
        event.preventDefault();
        const params = new URLSearchParams();
        for (const [name, value] of Object.entries(draft)) if (value !== '') params.set(name, value);
        navigate(`/customers?${params.toString()}`);
      }}
    >
      <label>
        Name starts with
        <input
          type="search"
          name="q"
          value={draft.q}
          onInput={(event) => setDraft({ ...draft, q: event.currentTarget.value })}
        />
      </label>
      <div class="field">
        <label for="filter-value-tier">Value tier</label>
        <select
          id="filter-value-tier"
          name="valueTier"
          value={draft.valueTier}
          onChange={(event) => setDraft({ ...draft, valueTier: event.currentTarget.value })}
        >
          <option value="">any</option>
          {VALUE_TIERS.map((tier) => (
            <option value={tier} key={tier}>
              {tier}
            </option>
          ))}
        </select>
      </div>
      <div class="field">
        <label for="filter-stage">Stage</label>
        <select
          id="filter-stage"
          name="stage"
          value={draft.stage}
          onChange={(event) => setDraft({ ...draft, stage: event.currentTarget.value })}
        >
          <option value="">any</option>
          {STAGES.map((stage) => (
            <option value={stage} key={stage}>
              {stage}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" class="primary">
        Search
      </button>
    </form>
  );
}

/** Customers by segment or name, a page at a time (the API's cursors; earlier pages kept to go back). */
export function CustomersView({ query }: { readonly query: URLSearchParams }) {
  const filters = filtersOf(query);
  const [cursors, setCursors] = useState<readonly (string | null)[]>([null]);
  const cursor = cursors[cursors.length - 1] ?? null;
  const key = JSON.stringify(filters);
  const [shownFor, setShownFor] = useState(key);
  if (shownFor !== key) {
    setShownFor(key);
    setCursors([null]);
  }
  const page = useApi(
    () => get<Page<CustomerListItem>>('/customers', { ...filters, limit: PAGE_SIZE, cursor }),
    [key, cursor],
  );
  return (
    <>
      <h1>Customers</h1>
      <FilterForm key={key} filters={filters} />
      <ErrorNotice error={page.error} />
      {page.loading && <Loading what="customers" />}
      {page.data && (
        <>
          <Table
            caption={`Customers, page ${cursors.length}`}
            testId="customers"
            rows={page.data.items}
            rowKey={(c) => c.customerId}
            empty="No customer matches"
            columns={[
              {
                header: 'Name',
                cell: (c) => (
                  <a {...linkTo(`/customers/${encodeURIComponent(c.customerId)}`)}>
                    {c.name ?? c.customerId}
                  </a>
                ),
                value: (c) => c.customerId,
              },
              { header: 'Id', cell: (c) => c.customerId },
              { header: 'Kind', cell: (c) => c.kind },
              { header: 'Segment', cell: (c) => c.segment ?? '' },
              { header: 'Stage', cell: (c) => c.stage, value: (c) => c.stage },
              { header: 'Status', cell: (c) => c.status },
              { header: 'Value tier', cell: (c) => c.valueTier, value: (c) => c.valueTier },
              {
                header: 'Net revenue',
                numeric: true,
                cell: (c) => money(c.netRevenue),
                value: (c) => c.netRevenue,
              },
              { header: 'Orders', numeric: true, cell: (c) => count(c.orders), value: (c) => c.orders },
              { header: 'Last purchase', cell: (c) => dateTime(c.lastPurchaseAt) },
            ]}
          />
          <nav class="pager" aria-label="Pages">
            <button
              type="button"
              disabled={cursors.length === 1}
              onClick={() => setCursors(cursors.slice(0, -1))}
            >
              Previous page
            </button>
            <button
              type="button"
              disabled={page.data.nextCursor === null}
              onClick={() => setCursors([...cursors, page.data?.nextCursor ?? null])}
            >
              Next page
            </button>
          </nav>
        </>
      )}
    </>
  );
}
