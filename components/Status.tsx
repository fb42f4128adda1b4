/** What the panel is doing or why it cannot (EXT-OFF-1), said plainly, with a retry. */
import { useEffect, useState } from 'react';
import { usePanel } from './context.ts';

const TITLES = {
  offline: 'The backend cannot be reached.',
  unauthorized: 'Your agent token was refused.',
  not_configured: 'The extension is not set up yet.',
  api: 'The backend could not answer.',
  extension: 'The extension needs attention.',
  interrupted: 'The browser stopped the extension before it answered.',
} as const;

export function Status() {
  const activity = usePanel((s) => s.activity);
  const notice = usePanel((s) => s.notice);
  const refresh = usePanel((s) => s.refresh);
  const now = useNow(activity.state === 'failed' && activity.retryAt !== null);

  return (
    <>
      <p className="notice" role="status" aria-live="polite">
        {notice}
      </p>
      {activity.state === 'failed' && (
        <div className={`alert ${activity.failure.kind}`} role="alert" data-testid="failure">
          <strong>{TITLES[activity.failure.kind]}</strong>
          <p>{activity.failure.message}</p>
          {activity.failure.fix && <p>{activity.failure.fix}</p>}
          {activity.retryAt !== null && (
            <p>Retrying in {Math.max(0, Math.ceil((activity.retryAt - now) / 1000))} s.</p>
          )}
          <button type="button" onClick={() => void refresh()}>
            Retry now
          </button>
        </div>
      )}
    </>
  );
}

/** The wall clock, ticking each second while `on`. */
function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}
