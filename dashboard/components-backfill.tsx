/**
 * Backfill (GEN-ACT-2b): the form (integration, window in the admin's zone)
 * and the progress of the started backfill, read until it has finished.
 */
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, type ReplyOf } from './api.ts';
import { browserZone, endOfMinute, fromLocalInput, toLocalInput } from './backfill-window.ts';
import { type Crm, CRM_LABELS } from './connections-crms.ts';
import { ErrorNote, when } from './ui.tsx';

export interface Started {
  crm: Crm;
  from: number;
  to: number;
  queued: number;
  /** When the admin started it (two runs of one window are two progress views). */
  at: number;
}

type Progress = ReplyOf<'backfillProgress'>;
const POLL_MS = 700;
const DAY = 24 * 3600_000;

export function BackfillForm({
  companyId,
  crms,
  onStarted,
}: {
  companyId: string;
  crms: Crm[];
  onStarted(s: Started): void;
}): ReactNode {
  const [crm, setCrm] = useState<Crm | ''>(crms[0] ?? '');
  const [from, setFrom] = useState(() => toLocalInput(Date.now() - DAY));
  const [to, setTo] = useState(() => toLocalInput(Date.now()));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    const f = fromLocalInput(from);
    const t = fromLocalInput(to);
    if (!crm || f === null || t === null) {
      setError(new Error('Pick an integration, and a date and time for "From" and "To".'));
      return;
    }
    if (f > t) {
      setError(new Error('"From" is after "To": swap them.'));
      return;
    }
    setBusy(true);
    try {
      const window = { from: f, to: endOfMinute(t) };
      const { queued } = await api('backfill', { params: { companyId, crm }, body: window });
      setError(null);
      onStarted({ crm, ...window, queued, at: Date.now() });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-label="Backfill" className="backfill-form">
      <label>
        Integration
        <select name="crm" value={crm} onChange={(e) => setCrm(e.target.value as Crm)} required>
          {crms.map((c) => (
            <option key={c} value={c}>
              {CRM_LABELS[c]}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input
          name="from"
          type="datetime-local"
          value={from}
          onChange={(e) => setFrom(e.target.value)}
          required
        />
      </label>
      <label>
        To
        <input name="to" type="datetime-local" value={to} onChange={(e) => setTo(e.target.value)} required />
      </label>
      <p className="hint">
        Times are in your zone ({browserZone()}); &quot;To&quot; includes its whole minute.
      </p>
      <button type="submit" disabled={busy || crms.length === 0}>
        {busy ? 'Starting…' : 'Start backfill'}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

function useProgress(companyId: string, s: Started): { progress: Progress | null; error: unknown } {
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (s.queued === 0) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const tick = async () => {
      try {
        const p = await api('backfillProgress', {
          params: { companyId, crm: s.crm },
          query: { from: s.from, to: s.to },
        });
        if (!live) return;
        setProgress(p);
        setError(null);
        if (p.finished) return;
      } catch (err) {
        if (live) setError(err);
      }
      if (live) timer = setTimeout(tick, POLL_MS);
    };
    void tick();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [companyId, s]);
  return { progress, error };
}

export function BackfillProgress({ companyId, started }: { companyId: string; started: Started }): ReactNode {
  const { progress: p, error } = useProgress(companyId, started);
  const label = CRM_LABELS[started.crm];
  const window = `from ${when(started.from)} to ${when(started.to)}`;
  if (started.queued === 0) {
    return (
      <p role="status" className="backfill-status">
        Nothing to backfill: no call or SMS was stored {window}. Pick a wider window, or check that Aircall
        was connected then.
      </p>
    );
  }
  return (
    <section aria-label="Backfill progress" className="backfill-status">
      <p>
        {label}, {window}: {started.queued} call{started.queued === 1 ? '' : 's'} or SMS queued.
      </p>
      {p ? (
        <>
          <progress max={p.total} value={p.total - p.pending} aria-label="Backfill progress" />
          <p role="status">
            {p.finished ? 'Finished: ' : 'Running: '}
            {p.done} done, {p.failed} failed, {p.pending} pending
            {p.waiting > 0 ? `, ${p.waiting} waiting for more events` : ''}
            {p.paused > 0 ? `, ${p.paused} paused until ${label} is reconnected` : ''}.
          </p>
          {p.finished && p.failed > 0 ? (
            <p className="hint">
              The failed ones are listed with their error on the Calls screen, where they can be retried.
            </p>
          ) : null}
        </>
      ) : (
        <p role="status">Reading progress…</p>
      )}
      <ErrorNote error={error} />
    </section>
  );
}
