/**
 * Failed work (issue 3: after MAX_ATTEMPTS, or an error no retry can fix):
 * each item with its error and attempts, a Retry per item and Retry all
 * (retryWork), then what the retry gave, read from the queue until it ends.
 */
import { type ReactNode, useEffect, useState } from 'react';
import { api, type ReplyOf } from './api.ts';
import { crmLabel } from './connections-crms.ts';
import { ErrorNote, useLoad, when } from './ui.tsx';

type Work = ReplyOf<'listWork'>['work'][number];
type Key = Pick<Work, 'integrationId' | 'kind' | 'id'>;

const keyOf = (w: Key) => `${w.integrationId}/${w.kind}/${w.id}`;
const ENDED = new Set(['done', 'waiting', 'failed', 'paused']);
const POLL_MS = 700;

function subjectName(w: Key): string {
  return `${w.kind === 'call' ? 'Call' : 'SMS'} ${w.id} in ${crmLabel(w.integrationId)}`;
}

function resultWord(w: Work | undefined): string {
  if (!w) return 'retrying…';
  if (w.state === 'done') return 'logged';
  if (w.state === 'waiting') return 'planned; waits for more of its events';
  if (w.state === 'failed') return `failed again: ${w.lastError ?? 'no reason given'}`;
  if (w.state === 'paused') return `paused until the CRM is reconnected: ${w.lastError ?? ''}`;
  return 'retrying…';
}

/** After a retry: the items' states, read again until each has ended. */
function useRetryResults(companyId: string, keys: Key[], onEnd: () => void) {
  const [items, setItems] = useState<Map<string, Work>>(new Map());
  useEffect(() => {
    if (keys.length === 0) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const { work } = await api('listWork', { params: { companyId } });
        if (!live) return;
        const wanted = new Set(keys.map(keyOf));
        const found = new Map(work.filter((w) => wanted.has(keyOf(w))).map((w) => [keyOf(w), w]));
        setItems(found);
        if (keys.every((k) => ENDED.has(found.get(keyOf(k))?.state ?? ''))) {
          onEnd();
          return;
        }
      } catch {
        // a passing failure: read again on the next tick
      }
      if (live) timer = setTimeout(tick, POLL_MS);
    };
    setItems(new Map());
    timer = setTimeout(tick, POLL_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
    // `keys` is replaced (never mutated) on each retry; `onEnd` only reloads the list.
  }, [companyId, keys]);
  return items;
}

export function FailedWork({ companyId }: { companyId: string }): ReactNode {
  const failed = useLoad(
    () => api('listWork', { params: { companyId }, query: { state: 'failed' } }),
    [companyId],
  );
  const [retried, setRetried] = useState<Key[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const results = useRetryResults(companyId, retried, failed.reload);
  const list = failed.data?.work ?? [];

  async function retry(one?: Key) {
    setBusy(true);
    try {
      await api('retryWork', { params: { companyId }, body: one ? { ...one } : {} });
      setError(null);
      setRetried(one ? [one] : list.map(({ integrationId, kind, id }) => ({ integrationId, kind, id })));
      failed.reload();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="failed-work" className="work-failed">
      <h3 id="failed-work">Failed work</h3>
      <ErrorNote error={failed.error ?? error} />
      {retried.length > 0 ? (
        <ul role="status" aria-label="Retry results" className="work-results">
          {retried.map((k) => (
            <li key={keyOf(k)}>
              {subjectName(k)}: {resultWord(results.get(keyOf(k)))}
            </li>
          ))}
        </ul>
      ) : null}
      {failed.loading && !failed.data ? (
        <p role="status">Loading failed work…</p>
      ) : list.length === 0 ? (
        <p>
          No failed work. A call or SMS whose logging fails after every attempt is listed here with its error.
        </p>
      ) : (
        <>
          <button type="button" onClick={() => retry()} disabled={busy}>
            Retry all ({list.length})
          </button>
          <table aria-label="Failed work">
            <thead>
              <tr>
                <th scope="col">What</th>
                <th scope="col">Error</th>
                <th scope="col">Attempts</th>
                <th scope="col">Failed at</th>
                <th scope="col">Action</th>
              </tr>
            </thead>
            <tbody>
              {list.map((w) => (
                <tr key={keyOf(w)} data-work={keyOf(w)}>
                  <td>{subjectName(w)}</td>
                  <td className="work-error">{w.lastError}</td>
                  <td>{w.attempts}</td>
                  <td>{when(w.updatedAt)}</td>
                  <td>
                    <button
                      type="button"
                      disabled={busy}
                      onClick={() => retry({ integrationId: w.integrationId, kind: w.kind, id: w.id })}
                    >
                      Retry<span className="calls-sr-only"> {subjectName(w)}</span>
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
