/** EXT-WHY-1: the decision trace of a call, per integration, behind a disclosure. */
import { notLogged, type Activity } from './view.ts';

export function WhyNotLogged({ activity }: { activity: Activity }) {
  const open = notLogged(activity);
  return (
    <details className="why">
      <summary>{open ? 'Why was this not logged?' : 'How was this logged?'}</summary>
      {activity.logging.length === 0 && <p>No integration has processed this call yet.</p>}
      {activity.logging.map((l) => (
        <div key={l.integrationId}>
          <p>
            {l.crm}:{' '}
            {l.outcome === 'write'
              ? l.unmatched
                ? 'logged without a record'
                : 'logged'
              : l.outcome === 'wait'
                ? 'waiting'
                : 'not logged'}
          </p>
          <ol>
            {l.trace.map((t, i) => (
              <li key={i} className={t.outcome}>
                <code>{t.rule}</code> {t.outcome}: {t.detail}
              </li>
            ))}
          </ol>
        </div>
      ))}
    </details>
  );
}
