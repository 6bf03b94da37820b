import { useEffect, useState } from 'preact/hooks';

/** The console's routes live under /console; the API answers any of them with the page (deep links). */
export const BASE = '/console';

export type Location = { readonly path: string; readonly query: URLSearchParams };

function current(): Location {
  const path = location.pathname.startsWith(BASE) ? location.pathname.slice(BASE.length) : location.pathname;
  return { path: path === '' ? '/' : path, query: new URLSearchParams(location.search) };
}

const listeners = new Set<() => void>();

/** Goes to a console path ("/customers/x?asOf=…"), as a link would, without reloading. */
export function navigate(to: string, replace = false): void {
  const url = `${BASE}${to}`;
  if (replace) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  for (const listener of listeners) listener();
}

export function useLocation(): Location {
  const [value, setValue] = useState(current);
  useEffect(() => {
    const update = () => setValue(current());
    listeners.add(update);
    addEventListener('popstate', update);
    return () => {
      listeners.delete(update);
      removeEventListener('popstate', update);
    };
  }, []);
  return value;
}

/** The href of a console path, and a click handler that navigates in place (keeps ctrl/middle-click). */
export function linkTo(to: string): { href: string; onClick: (event: MouseEvent) => void } {
  return {
    href: `${BASE}${to}`,
    onClick: (event: MouseEvent) => {
      if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      event.preventDefault();
      navigate(to);
    },
  };
}
