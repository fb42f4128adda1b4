/**
 * EXT-LINK-1: the agent's recent calls that matched no record, each linkable
 * to the open record, optionally adding the call's number to it (the backend
 * writes it into the record's first empty phone field, or says why it cannot).
 */
import { useState } from 'react';
import { usePanel } from './context.ts';
import { formatTime, summaryOf, typeLabel } from './view.ts';
import { WhyNotLogged } from './WhyNotLogged.tsx';

export function Inbox() {
  const inbox = usePanel((s) => s.inbox);
  const pending = usePanel((s) => s.pending);
  const link = usePanel((s) => s.link);
  const timeZone = usePanel((s) => s.zone.timeZone);
  const [addNumber, setAddNumber] = useState<Record<string, boolean>>({});
  if (inbox.state !== 'ready') return null;
  return (
    <section className="inbox" aria-labelledby="inbox-title">
      <h2 id="inbox-title">Unmatched calls ({inbox.data.length})</h2>
      {inbox.data.length === 0 ? (
        <p className="state">None of your recent calls is waiting for a record.</p>
      ) : (
        <ul>
          {inbox.data.map((a) => {
            const s = summaryOf(a);
            const p = pending[`link:${a.id}`];
            const add = Boolean(a.external && addNumber[a.id]);
            return (
              <li key={a.id} data-call={a.id}>
                <span>
                  {typeLabel(a, s)} · {a.external ?? 'unknown number'} ·{' '}
                  {formatTime(s.at ?? a.startedAt, timeZone)}
                </span>
                {a.external && (
                  <label className="add-number">
                    <input
                      type="checkbox"
                      checked={add}
                      disabled={p?.busy}
                      onChange={(e) => setAddNumber((m) => ({ ...m, [a.id]: e.target.checked }))}
                    />{' '}
                    Also add {a.external} to this record
                  </label>
                )}
                <button type="button" disabled={p?.busy} onClick={() => void link(a.id, add)}>
                  Link call {a.id} to this record
                </button>
                {p && <p role="status">{p.message}</p>}
                <WhyNotLogged activity={a} />
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
