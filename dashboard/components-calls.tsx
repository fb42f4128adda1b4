/** The Calls screen's search form and result list; each call opens its decision trace. */
import { type FormEvent, type ReactNode, useState } from 'react';
import { browserZone } from './backfill-window.ts';
import { agentName, type AircallUser } from './calls-agents.ts';
import { type CallCriteria, NO_CRITERIA } from './calls-query.ts';
import { type FoundCall, outcomesOf } from './calls-status.ts';
import { CallTrace } from './components-trace.tsx';
import { crmLabel } from './connections-crms.ts';
import { when } from './ui.tsx';

export function CallSearchForm({
  users,
  busy,
  onSearch,
}: {
  users: AircallUser[];
  busy: boolean;
  onSearch(criteria: CallCriteria): void;
}): ReactNode {
  const [c, setC] = useState<CallCriteria>(NO_CRITERIA);
  const field = (name: keyof CallCriteria) => ({
    name,
    value: c[name],
    onChange: (e: { target: { value: string } }) => setC({ ...c, [name]: e.target.value }),
  });
  function submit(e: FormEvent) {
    e.preventDefault();
    onSearch(c);
  }
  return (
    <form onSubmit={submit} aria-label="Search calls" className="calls-form">
      <label>
        Number
        <input {...field('number')} type="search" placeholder="06 12 34 56 78" />
      </label>
      <label>
        Agent
        <input {...field('agent')} type="search" list="calls-agents" placeholder="Name or user id" />
        <datalist id="calls-agents">
          {users.map((u) => (
            <option key={u.id} value={u.name} label={`Aircall user ${u.id}`} />
          ))}
        </datalist>
      </label>
      <label>
        From
        <input {...field('from')} type="datetime-local" />
      </label>
      <label>
        To
        <input {...field('to')} type="datetime-local" />
      </label>
      <label>
        Call id
        <input {...field('callId')} type="search" inputMode="numeric" placeholder="Aircall call id" />
      </label>
      <div className="calls-actions">
        <button type="submit" disabled={busy}>
          {busy ? 'Searching…' : 'Search'}
        </button>
        <button
          type="button"
          className="link"
          onClick={() => {
            setC(NO_CRITERIA);
            onSearch(NO_CRITERIA);
          }}
        >
          Clear
        </button>
      </div>
      <p className="hint calls-zone">
        Times are in your zone ({browserZone()}). Numbers in any format your company&apos;s country reads.
      </p>
    </form>
  );
}

function CallRow({ call, users }: { call: FoundCall; users: AircallUser[] }): ReactNode {
  const [open, setOpen] = useState(false);
  const s = call.summary as { type?: string; direction?: string; agent?: string | null; durationS?: number };
  const agent = call.agentUserId !== null ? agentName(users, call.agentUserId) : (s.agent ?? '');
  const traceId = `trace-${call.id}`;
  return (
    <>
      <tr data-call={call.id}>
        <td>{when(call.startedAt)}</td>
        <td>{call.id}</td>
        <td>
          {s.direction ?? ''} {s.type ? <span className="hint">({s.type.replaceAll('_', ' ')})</span> : null}
        </td>
        <td>{call.external ?? <span className="hint">unknown number</span>}</td>
        <td>{agent}</td>
        <td>
          <ul className="calls-outcomes">
            {outcomesOf(call).map((o) => (
              <li key={o.integrationId} className={`calls-${o.tone}`}>
                {crmLabel(o.integrationId)}: {o.word}
              </li>
            ))}
          </ul>
        </td>
        <td>
          <button type="button" aria-expanded={open} aria-controls={traceId} onClick={() => setOpen(!open)}>
            {open ? 'Hide trace' : 'Trace'}
            <span className="calls-sr-only"> of call {call.id}</span>
          </button>
        </td>
      </tr>
      {open ? (
        <tr id={traceId} className="calls-trace-row">
          <td colSpan={7}>
            <CallTrace call={call} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

export function CallList({ calls, users }: { calls: FoundCall[]; users: AircallUser[] }): ReactNode {
  return (
    <table className="calls-table" aria-label="Calls">
      <thead>
        <tr>
          <th scope="col">Started</th>
          <th scope="col">Call id</th>
          <th scope="col">Type</th>
          <th scope="col">Number</th>
          <th scope="col">Agent</th>
          <th scope="col">Logging</th>
          <th scope="col">Trace</th>
        </tr>
      </thead>
      <tbody>
        {calls.map((c) => (
          <CallRow key={c.id} call={c} users={users} />
        ))}
      </tbody>
    </table>
  );
}
