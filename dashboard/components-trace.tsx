/**
 * A call's decision trace per integration (GEN-TRACE-1): the rules in the
 * order the engine applied them, each with its outcome, then what was written
 * (with the CRM's ids) or why nothing was, and the work item's last error.
 */
import type { ReactNode } from 'react';
import { type FoundCall, type IntegrationOutcome, outcomesOf } from './calls-status.ts';
import { crmLabel } from './connections-crms.ts';
import { when } from './ui.tsx';

const OUTCOME_WORDS = { applied: 'applied', stopped: 'stopped', skipped: 'skipped' } as const;

function Verdict({ o }: { o: IntegrationOutcome }): ReactNode {
  const written = Object.entries(o.logging?.written ?? {});
  if (written.length > 0) {
    return (
      <>
        <p>Written to {crmLabel(o.integrationId)}:</p>
        <ul className="trace-written">
          {written.map(([ref, w]) => (
            <li key={ref}>
              {ref}: {w.target} <code>{w.id}</code>
            </li>
          ))}
        </ul>
      </>
    );
  }
  const stop = o.logging?.trace.findLast((s) => s.outcome === 'stopped');
  if (o.logging?.outcome === 'nothing') {
    return <p>Nothing was written{stop ? `: ${stop.detail} (${stop.rule})` : '.'}</p>;
  }
  if (o.logging?.outcome === 'wait')
    return <p>Nothing written yet: the call waits for more of its events.</p>;
  return <p>Nothing written yet.</p>;
}

function WorkLine({ o }: { o: IntegrationOutcome }): ReactNode {
  const w = o.work;
  if (!w) return null;
  return (
    <p className={w.state === 'failed' ? 'trace-work trace-failed' : 'trace-work'}>
      Work: {w.state}
      {w.attempts > 0 ? `, ${w.attempts} attempt${w.attempts === 1 ? '' : 's'}` : ''}
      {w.lastError ? ` · last error: ${w.lastError}` : ''} · updated {when(w.updatedAt)}
    </p>
  );
}

export function CallTrace({ call }: { call: FoundCall }): ReactNode {
  const outcomes = outcomesOf(call);
  if (outcomes.length === 0) {
    return (
      <p>
        No integration has worked on this call: the company had no integration when it was received. Backfill
        its time window to log it.
      </p>
    );
  }
  return (
    <div className="trace">
      {outcomes.map((o) => (
        <section key={o.integrationId} aria-label={`Trace in ${crmLabel(o.integrationId)}`}>
          <h4>
            {crmLabel(o.integrationId)}: {o.word}
          </h4>
          <Verdict o={o} />
          <WorkLine o={o} />
          {o.logging ? (
            <ol className="trace-steps">
              {o.logging.trace.map((s, i) => (
                <li key={i} className={`trace-${s.outcome}`}>
                  <code>{s.rule}</code> <strong>{OUTCOME_WORDS[s.outcome]}</strong>: {s.detail}
                </li>
              ))}
            </ol>
          ) : (
            <p className="hint">No decision trace yet: the call was never planned in this integration.</p>
          )}
        </section>
      ))}
    </div>
  );
}
