import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export type Loaded<T> = {
  readonly data: T | null;
  readonly error: unknown;
  readonly loading: boolean;
  readonly reload: () => void;
};

/**
 * Runs `load` when `deps` change and on reload. A reload (auto-refresh, after
 * an action) keeps showing the last data meanwhile; new deps (another
 * customer, another instant) clear it, so old figures never sit under a new title.
 */
export function useApi<T>(load: () => Promise<T>, deps: readonly unknown[]): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: unknown; loading: boolean }>({
    data: null,
    error: null,
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const shownFor = useRef<string | null>(null);
  const depsKey = JSON.stringify(deps);
  useEffect(() => {
    let live = true;
    const sameDeps = shownFor.current === depsKey;
    shownFor.current = depsKey;
    setState((previous) => ({ data: sameDeps ? previous.data : null, error: null, loading: true }));
    load().then(
      (data) => live && setState({ data, error: null, loading: false }),
      (error: unknown) => live && setState((previous) => ({ data: previous.data, error, loading: false })),
    );
    return () => {
      live = false;
    };
    // The caller names what the load depends on.
  }, [depsKey, tick]);
  const reload = useCallback(() => setTick((value) => value + 1), []);
  return { ...state, reload };
}
