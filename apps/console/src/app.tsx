import { useEffect, useState } from 'preact/hooks';
import { ApiCallError, call, whenUnauthorized } from './api/client';
import { forgetKey, storedKey, storeKey } from './api/session';
import { type Access, accessOf } from './access';
import type { CurrentKey } from './api/types';
import { ErrorNotice, Loading } from './components/notice';
import { linkTo, useLocation } from './router';
import { CustomerView } from './views/customer';
import { CustomersView } from './views/customers';
import { KpisView } from './views/kpis';
import { OperationsView } from './views/operations';

function SignIn({
  onSignedIn,
  reason,
}: {
  readonly onSignedIn: (key: CurrentKey) => void;
  readonly reason: unknown;
}) {
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(reason);
  const [busy, setBusy] = useState(false);
  return (
    <main id="main" class="sign-in">
      <h1>CRM console</h1>
      <form
        onSubmit={(event) => {
          event.preventDefault();
          const key = value.trim();
          setBusy(true);
          call<CurrentKey>('GET', '/auth/key', { key }).then(
            (current) => {
              storeKey(key);
              onSignedIn(current);
            },
            (failure: unknown) => {
              setBusy(false);
              setError(failure);
            },
          );
        }}
      >
        <label for="api-key">API key</label>
        <input
          id="api-key"
          type="password"
          autoComplete="off"
          spellcheck={false}
          required
          value={value}
          onInput={(event) => setValue(event.currentTarget.value)}
          aria-describedby="api-key-help"
        />
        <p id="api-key-help" class="help">
          A key from <code>npx crm keys create</code> (or the dev key in <code>DATA_DIR/dev-api-key</code>).
          It is kept in this tab's session storage only and sent as <code>Authorization: Bearer</code>.
        </p>
        <button type="submit" class="primary" disabled={busy}>
          Sign in
        </button>
      </form>
      <ErrorNotice error={error} />
    </main>
  );
}

function Navigation({ access, onSignOut }: { readonly access: Access; readonly onSignOut: () => void }) {
  const { path } = useLocation();
  const item = (to: string, label: string) => {
    const active = to === '/kpis' ? path === '/' || path.startsWith('/kpis') : path.startsWith(to);
    return (
      <li>
        <a {...linkTo(to)} aria-current={active ? 'page' : undefined}>
          {label}
        </a>
      </li>
    );
  };
  return (
    <header class="top">
      <a class="skip" href="#main">
        Skip to content
      </a>
      <span class="brand">CRM console</span>
      <nav aria-label="Views">
        <ul>
          {item('/kpis', 'KPIs')}
          {item('/customers', 'Customers')}
          {access.has('admin') && item('/operations', 'Operations')}
        </ul>
      </nav>
      <span class="who" data-testid="who">
        {access.key.name} ({access.key.roles.join(', ')})
      </span>
      <button type="button" onClick={onSignOut}>
        Sign out
      </button>
    </header>
  );
}

function Routes({ access }: { readonly access: Access }) {
  const { path, query } = useLocation();
  const customer = /^\/customers\/([^/]+)$/.exec(path);
  if (customer?.[1] !== undefined)
    return <CustomerView access={access} customerId={decodeURIComponent(customer[1])} query={query} />;
  if (path.startsWith('/customers')) return <CustomersView query={query} />;
  if (path.startsWith('/operations'))
    return access.has('admin') ? (
      <OperationsView />
    ) : (
      <p class="notice error" role="alert">
        Operations need a key with the admin role; this key has {access.key.roles.join(', ')}.
      </p>
    );
  return <KpisView query={query} />;
}

export function App() {
  const [key, setKey] = useState<CurrentKey | null>(null);
  const [checking, setChecking] = useState(storedKey() !== null);
  const [reason, setReason] = useState<unknown>(null);

  useEffect(() => {
    whenUnauthorized(() => {
      setKey(null);
      setReason(new ApiCallError(401, 'AUTH', 'The API key is no longer accepted'));
    });
    if (storedKey() === null) return;
    call<CurrentKey>('GET', '/auth/key').then(
      (current) => {
        setKey(current);
        setChecking(false);
      },
      (error: unknown) => {
        setReason(error);
        setChecking(false);
      },
    );
  }, []);

  if (checking) return <Loading what="the key" />;
  if (key === null) return <SignIn onSignedIn={setKey} reason={reason} />;
  const access = accessOf(key);
  return (
    <>
      <Navigation
        access={access}
        onSignOut={() => {
          forgetKey();
          setReason(null);
          setKey(null);
        }}
      />
      <main id="main" tabIndex={-1}>
        <Routes access={access} />
      </main>
    </>
  );
}
