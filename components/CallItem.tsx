/** One call or SMS on the record (EXT-LIST-1), with its note, tag and outcome controls. */
import { useId } from 'react';
import { usePanel } from './context.ts';
import { placementsOf } from './links.ts';
import { type Activity, formatDuration, formatTime, summaryOf, typeLabel } from './view.ts';
import { WhyNotLogged } from './WhyNotLogged.tsx';

export function CallItem({ activity: a }: { activity: Activity }) {
  const s = summaryOf(a);
  const record = usePanel((st) => st.record);
  const pageUrl = usePanel((st) => st.pageUrl);
  const timeZone = usePanel((st) => st.zone.timeZone);
  // The backend names the outcome the CRM holds (HS-OUT-1..4); null where it has none.
  const outcome = a.outcome;
  const places = record ? placementsOf(a, record, pageUrl) : [];
  return (
    <li className={`call ${s.direction ?? ''}`} data-call={a.id}>
      <p className="line1">
        <span className="dir" aria-label={s.direction === 'outbound' ? 'Outbound' : 'Inbound'}>
          {s.direction === 'outbound' ? '↗' : '↙'}
        </span>{' '}
        <strong>{typeLabel(a, s)}</strong> · <time>{formatTime(s.at ?? a.startedAt, timeZone)}</time>
        {a.kind === 'call' && s.durationS != null ? ` · ${formatDuration(s.durationS)}` : ''}
      </p>
      <p className="line2">
        {s.agent ? `Agent: ${s.agent}` : 'No agent'}
        {s.number ? ` · Line: ${s.number}` : ''}
        {outcome ? ` · Outcome: ${outcome}` : ''}
      </p>
      {s.body && <p className="sms">{s.body}</p>}
      {(s.recording || s.voicemail) && (
        <p className="media">
          {s.recording && (
            <a href={s.recording} target="_blank" rel="noreferrer noopener">
              Recording
            </a>
          )}{' '}
          {s.voicemail && (
            <a href={s.voicemail} target="_blank" rel="noreferrer noopener">
              Voicemail
            </a>
          )}
        </p>
      )}
      {s.aiSummary && (
        <p className="ai">
          <span className="label">AI summary:</span> {s.aiSummary}
        </p>
      )}
      {s.notes.length > 0 && (
        <ul className="notes" aria-label="Notes">
          {s.notes.map((n) => (
            <li key={n.id}>
              {n.content}
              {n.by ? <span className="by"> — {n.by}</span> : null}
            </li>
          ))}
        </ul>
      )}
      {places.length > 0 && (
        <p className="placed">
          Logged in{' '}
          {places.map((p, i) => (
            <span key={i}>
              {p.href ? (
                <a href={p.href} target="_top">
                  {p.label}
                </a>
              ) : (
                p.label
              )}
              {i < places.length - 1 ? ', ' : ''}
            </span>
          ))}
        </p>
      )}
      {a.kind === 'call' && (
        <>
          <Tags callId={a.id} current={s.tags} />
          {record?.crm === 'hubspot' && <OutcomePicker callId={a.id} />}
          <NoteForm callId={a.id} />
        </>
      )}
      <WhyNotLogged activity={a} />
    </li>
  );
}

function Tags({ callId, current }: { callId: string; current: { id: number; name: string }[] }) {
  const tags = usePanel((s) => s.tags);
  const pending = usePanel((s) => s.pending[`tag:${callId}`]);
  const setTag = usePanel((s) => s.setTag);
  const selectId = useId();
  const on = new Set(current.map((t) => t.id));
  const addable = tags.filter((t) => !on.has(t.id));
  return (
    <div className="tags">
      <ul aria-label="Tags">
        {current.map((t) => (
          <li key={t.id} className="tag">
            {t.name}{' '}
            <button
              type="button"
              aria-label={`Remove tag ${t.name}`}
              disabled={pending?.busy}
              onClick={() => void setTag(callId, t.id, false)}
            >
              ×
            </button>
          </li>
        ))}
      </ul>
      {addable.length > 0 && (
        <>
          <label htmlFor={selectId}>Add a tag</label>{' '}
          <select
            id={selectId}
            value=""
            disabled={pending?.busy}
            onChange={(e) => {
              if (e.target.value) void setTag(callId, Number(e.target.value), true);
            }}
          >
            <option value="">Choose…</option>
            {addable.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </select>
        </>
      )}
      {pending && <p role="status">{pending.message}</p>}
    </div>
  );
}

/** HS-OUT-4: the agent picks the call's HubSpot outcome, even after it was logged. */
function OutcomePicker({ callId }: { callId: string }) {
  const outcomes = usePanel((s) => s.outcomes);
  const pending = usePanel((s) => s.pending[`outcome:${callId}`]);
  const setOutcome = usePanel((s) => s.setOutcome);
  const id = useId();
  if (outcomes.length === 0) return null;
  return (
    <div className="outcome">
      <label htmlFor={id}>Set the outcome</label>{' '}
      <select
        id={id}
        value=""
        disabled={pending?.busy}
        onChange={(e) => {
          if (e.target.value) void setOutcome(callId, e.target.value);
        }}
      >
        <option value="">Choose…</option>
        {outcomes.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      {pending && <p role="status">{pending.message}</p>}
    </div>
  );
}

/** EXT-NOTE-1: the typed note lives in the store until the backend took it (EXT-OFF-1). */
function NoteForm({ callId }: { callId: string }) {
  const draft = usePanel((s) => s.drafts[callId] ?? '');
  const pending = usePanel((s) => s.pending[`note:${callId}`]);
  const setDraft = usePanel((s) => s.setDraft);
  const sendNote = usePanel((s) => s.sendNote);
  const id = useId();
  return (
    <form
      className="note"
      onSubmit={(e) => {
        e.preventDefault();
        void sendNote(callId);
      }}
    >
      <label htmlFor={id}>Add a note to call {callId}</label>
      <textarea
        id={id}
        rows={2}
        maxLength={5000}
        value={draft}
        onChange={(e) => setDraft(callId, e.target.value)}
      />
      <button type="submit" disabled={pending?.busy}>
        Add note
      </button>
      {pending && <p role="status">{pending.message}</p>}
    </form>
  );
}
