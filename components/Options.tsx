/**
 * The agent's settings (EXT-AUTH-1): the backend URL and the agent token.
 * They are checked against the backend's `/v1/me` (through the background,
 * the only network client) before being saved. A backend that is not on
 * loopback must be the one this build names (BACKEND_ORIGIN in
 * wxt.config.ts: host permissions are the CRMs and the backend only).
 */
import { useEffect, useState } from 'react';
import { browser } from 'wxt/browser';
import { send } from '../lib/extension/send.ts';
import { backendSettings, normalizeBackendUrl } from '../lib/extension/settings.ts';

type Status =
  { kind: 'idle' } | { kind: 'busy' } | { kind: 'ok'; text: string } | { kind: 'error'; text: string };

export function Options() {
  const [backendUrl, setBackendUrl] = useState('');
  const [token, setToken] = useState('');
  const [status, setStatus] = useState<Status>({ kind: 'idle' });

  useEffect(() => {
    void backendSettings.getValue().then((s) => {
      if (s) {
        setBackendUrl(s.backendUrl);
        setToken(s.token);
      }
    });
  }, []);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    const url = normalizeBackendUrl(backendUrl);
    let origin: string;
    try {
      origin = new URL(url).origin;
    } catch {
      setStatus({
        kind: 'error',
        text: 'The backend URL is not a URL: write it like https://calls.example.com.',
      });
      return;
    }
    setStatus({ kind: 'busy' });
    const allowed = await browser.permissions.contains({ origins: [`${origin}/*`] }).catch(() => false);
    if (!allowed) {
      setStatus({
        kind: 'error',
        text: `This build of the extension may only talk to its own backend, and ${origin} is not it; nothing was saved. Ask your admin for the extension built for ${origin} (BACKEND_ORIGIN, see the README).`,
      });
      return;
    }
    const r = await send('checkBackend', { backendUrl: url, token });
    if (!r.ok) {
      setStatus({ kind: 'error', text: `Not saved: ${r.failure.message} ${r.failure.fix ?? ''}`.trim() });
      return;
    }
    await backendSettings.setValue({ backendUrl: url, token: token.trim() });
    setStatus({
      kind: 'ok',
      text: `Saved. Connected as Aircall user ${r.data.aircallUserId} of company ${r.data.companyId} (CRMs: ${r.data.crms.join(', ') || 'none yet'}).`,
    });
  }

  return (
    <main>
      <h1>Aircall CRM bridge</h1>
      <p>Your admin gives you the backend URL and your agent token.</p>
      <form onSubmit={(e) => void save(e)}>
        <label htmlFor="backend-url">Backend URL</label>
        <input
          id="backend-url"
          type="url"
          required
          placeholder="https://calls.example.com"
          value={backendUrl}
          onChange={(e) => setBackendUrl(e.target.value)}
        />
        <label htmlFor="token">Agent token</label>
        <input
          id="token"
          type="password"
          required
          autoComplete="off"
          value={token}
          onChange={(e) => setToken(e.target.value)}
        />
        <button type="submit" disabled={status.kind === 'busy'}>
          Check and save
        </button>
      </form>
      <p role="status" className={status.kind === 'error' ? 'error' : status.kind === 'ok' ? 'ok' : ''}>
        {status.kind === 'busy'
          ? 'Checking with the backend…'
          : status.kind === 'ok' || status.kind === 'error'
            ? status.text
            : ''}
      </p>
    </main>
  );
}
