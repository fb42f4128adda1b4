/** Pieces every screen uses: errors with their fix, loading, and a hook to load data. */
import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiFailure } from './api.ts';

/** An error as the backend explained it: what was wrong, then what to do. */
export function ErrorNote({ error }: { error: unknown }): ReactNode {
  if (!error) return null;
  const message = error instanceof Error ? error.message : String(error);
  const fix = error instanceof ApiFailure ? error.fix : undefined;
  return (
    <div className="error" role="alert">
      <p>{message}</p>
      {fix ? <p className="fix">{fix}</p> : null}
    </div>
  );
}

export interface Loaded<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

/** Load once per change of `deps`, and again on `reload()`; keeps the last data while reloading. */
export function useLoad<T>(load: () => Promise<T>, deps: unknown[]): Loaded<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [tick, setTick] = useState(0);
  const run = useCallback(load, deps);
  useEffect(() => {
    let live = true;
    setLoading(true);
    run().then(
      (d) => {
        if (!live) return;
        setData(d);
        setError(null);
        setLoading(false);
      },
      (e: unknown) => {
        if (!live) return;
        setError(e);
        setLoading(false);
      },
    );
    return () => {
      live = false;
    };
  }, [run, tick]);
  return { data, error, loading, reload: () => setTick((t) => t + 1) };
}

/** A date and time in the admin's own time zone (the browser's), with the zone named. */
export function when(ms: number | null | undefined): string {
  if (!ms) return '';
  // dateStyle/timeStyle cannot be combined with timeZoneName (Intl throws "Invalid option"): name each part.
  return new Date(ms).toLocaleString(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    timeZoneName: 'short',
  });
}
