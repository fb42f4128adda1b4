/**
 * GEN-DOC-6: the decision trace of any call id (`doctorCall`): what each
 * integration did with it and why, or what Aircall says about a call this
 * backend never received. The article's "collect call IDs and send them to
 * support", made self-serve (GEN-TRACE-1).
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ReplyOf } from '../api.ts';
import { CallTrace } from '../components-trace.tsx';
import { ErrorNote } from '../ui.tsx';
import { FindingCard } from './findings.tsx';

export function CallLookup({ companyId }: { companyId: string }): ReactNode {
  const [callId, setCallId] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [found, setFound] = useState<ReplyOf<'doctorCall'> | null>(null);

  async function look(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      setFound(await api('doctorCall', { params: { companyId, callId: callId.trim() } }));
    } catch (err) {
      setError(err);
      setFound(null);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="doctor-call" aria-labelledby="doctor-call">
      <h3 id="doctor-call">One call, step by step</h3>
      <p className="hint">
        The id of an Aircall call (the number at the end of its link): what each integration did with it, and
        why.
      </p>
      <form onSubmit={look} aria-label="Look up a call">
        <label>
          Aircall call id
          <input
            name="callId"
            inputMode="numeric"
            value={callId}
            onChange={(e) => setCallId(e.target.value)}
            required
          />
        </label>
        <button type="submit" disabled={busy || callId.trim() === ''}>
          {busy ? 'Looking…' : 'Show the trace'}
        </button>
      </form>
      <ErrorNote error={error} />
      {found ? (
        <section aria-label={`Call ${found.callId}`}>
          {found.findings.map((f, i) => (
            <FindingCard key={`${f.title}-${i}`} f={f} />
          ))}
          {found.activity ? <CallTrace call={found.activity} /> : null}
        </section>
      ) : null}
    </section>
  );
}
