/** Calls: search by number, agent, time or id; each call's decision trace; failed work and its retry. */
import { type ReactNode, useState } from 'react';
import { api, type ReplyOf } from '../api.ts';
import { useAircallUsers } from '../calls-agents.ts';
import { type CallCriteria, callQueryOf, type CallQuery } from '../calls-query.ts';
import { CallList, CallSearchForm } from '../components-calls.tsx';
import { FailedWork } from '../components-failed-work.tsx';
import { ErrorNote, useLoad } from '../ui.tsx';
import type { ScreenProps } from './index.ts';

type Page = ReplyOf<'searchCalls'>;

export function Calls({ company }: ScreenProps): ReactNode {
  const users = useAircallUsers(company.id);
  const [query, setQuery] = useState<CallQuery>({});
  const [formError, setFormError] = useState<string | null>(null);
  const [more, setMore] = useState<Page[]>([]);
  const [moreError, setMoreError] = useState<unknown>(null);
  const first = useLoad(
    () => api('searchCalls', { params: { companyId: company.id }, query }),
    [company.id, query],
  );
  const pages = first.data ? [first.data, ...more] : [];
  const calls = pages.flatMap((p) => p.calls);
  const next = pages.at(-1)?.next ?? null;

  function search(c: CallCriteria) {
    const q = callQueryOf(c);
    if ('error' in q) {
      setFormError(q.error);
      return;
    }
    setFormError(null);
    setMore([]);
    setQuery(q.query);
  }
  async function loadMore() {
    if (!next) return;
    try {
      const page = await api('searchCalls', {
        params: { companyId: company.id },
        query: { ...query, cursor: next },
      });
      setMore([...more, page]);
      setMoreError(null);
    } catch (err) {
      setMoreError(err);
    }
  }
  const filtered = Object.values(query).some((v) => v !== undefined);
  return (
    <>
      <h2>Calls of {company.name}</h2>
      <CallSearchForm users={users.data?.users ?? []} busy={first.loading} onSearch={search} />
      <ErrorNote error={formError ? new Error(formError) : first.error} />
      {first.loading && !first.data ? (
        <p role="status">Loading calls…</p>
      ) : calls.length === 0 && !first.error ? (
        <p role="status">
          {filtered
            ? 'No call matches. Widen the time window, check the call id, or try the number with its country code.'
            : 'No call received yet. Calls appear here once Aircall sends them (connect Aircall on the Connections screen).'}
        </p>
      ) : (
        <>
          <p role="status" className="hint">
            {calls.length} call{calls.length === 1 ? '' : 's'}
            {first.data?.e164 ? ` with ${first.data.e164}` : ''}
            {filtered ? ' matching the search' : ''}, newest first{first.loading ? ' (refreshing…)' : ''}.
          </p>
          <CallList calls={calls} users={users.data?.users ?? []} />
          {next ? (
            <button type="button" onClick={loadMore}>
              More calls
            </button>
          ) : null}
          <ErrorNote error={moreError} />
        </>
      )}
      <FailedWork companyId={company.id} />
    </>
  );
}
