/** The Connections screen's parts: the OAuth result, Aircall's API key form, one row per CRM. */
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, ApiFailure, type ReplyOf } from './api.ts';
import { type Crm, CRM_LABELS, crmLabel } from './connections-crms.ts';
import type { OAuthResult } from './connections-result.ts';
import { ErrorNote, when } from './ui.tsx';

export type ConnectionView = ReplyOf<'listConnections'>['connections'][number];

/** What the CRM's consent page sent back: connected (and the work it resumed), or why not and what to do. */
export function OAuthNotice({ result }: { result: OAuthResult | null }): ReactNode {
  if (!result) return null;
  const label = crmLabel(result.crm);
  if (!result.ok) {
    return (
      <ErrorNote error={new ApiFailure(400, `${label} was not connected: ${result.error}`, result.fix)} />
    );
  }
  return (
    <p className="conn-notice" role="status">
      {label} is connected{result.account ? ` (account ${result.account})` : ''}.
      {result.resumed > 0
        ? ` ${result.resumed} call${result.resumed === 1 ? '' : 's'} or SMS that waited for it ${result.resumed === 1 ? 'is' : 'are'} being logged now.`
        : ''}
    </p>
  );
}

function Status({ conn }: { conn: ConnectionView | undefined }): ReactNode {
  if (!conn) return <span className="conn-status conn-none">Not connected</span>;
  if (conn.status === 'ok') return <span className="conn-status conn-ok">Connected</span>;
  return <span className="conn-status conn-bad">Needs reconnection</span>;
}

/** Aircall's API key: connecting registers this backend's webhook (connectAircall). */
export function AircallConnection({
  companyId,
  conn,
  webhookConnected,
  onSaved,
}: {
  companyId: string;
  conn: ConnectionView | undefined;
  webhookConnected: boolean;
  onSaved(): void;
}): ReactNode {
  const [apiId, setApiId] = useState('');
  const [apiToken, setApiToken] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setSaved(false);
    try {
      await api('connectAircall', {
        params: { companyId },
        body: { apiId: apiId.trim(), apiToken: apiToken.trim() },
      });
      setError(null);
      setSaved(true);
      setApiToken('');
      onSaved();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  const numbers = conn?.account?.startsWith('numbers:') ? conn.account.slice('numbers:'.length) : null;
  return (
    <section aria-labelledby="conn-aircall" className="conn-card">
      <h3 id="conn-aircall">Aircall</h3>
      <p>
        <Status conn={conn} />
        {conn ? (
          <>
            {numbers ? ` · ${numbers} number${numbers === '1' ? '' : 's'}` : ''} · webhook{' '}
            {webhookConnected ? 'registered' : 'not registered'} · since {when(conn.updatedAt)}
          </>
        ) : null}
      </p>
      {conn?.statusReason ? <p className="conn-reason">{conn.statusReason}</p> : null}
      <form onSubmit={submit} aria-label="Aircall API key" className="conn-form">
        <label>
          API ID
          <input
            name="apiId"
            value={apiId}
            onChange={(e) => setApiId(e.target.value)}
            required
            autoComplete="off"
          />
        </label>
        <label>
          API token
          <input
            name="apiToken"
            type="password"
            value={apiToken}
            onChange={(e) => setApiToken(e.target.value)}
            required
            autoComplete="off"
          />
        </label>
        <p className="hint">
          In Aircall: Integrations &gt; API keys. Saving registers this backend&apos;s webhook.
        </p>
        <button type="submit" disabled={busy}>
          {busy ? 'Connecting…' : conn ? 'Update Aircall API key' : 'Connect Aircall'}
        </button>
      </form>
      {saved ? (
        <p role="status" className="conn-notice">
          Aircall is connected and its webhook is registered.
        </p>
      ) : null}
      <ErrorNote error={error} />
    </section>
  );
}

/** One CRM: its health and the button that goes through its OAuth consent page (crmAuthorize). */
export function CrmConnection({
  companyId,
  crm,
  conn,
}: {
  companyId: string;
  crm: Crm;
  conn: ConnectionView | undefined;
}): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const label = CRM_LABELS[crm];
  async function connect() {
    setBusy(true);
    try {
      const { url } = await api('crmAuthorize', { params: { companyId, crm } });
      // The consent page sends the browser back to /oauth/<crm>/callback, which returns here.
      location.assign(url);
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }
  return (
    <tr>
      <th scope="row">{label}</th>
      <td>
        <Status conn={conn} />
        {conn?.statusReason ? <p className="conn-reason">{conn.statusReason}</p> : null}
        <ErrorNote error={error} />
      </td>
      <td>{conn?.account ?? ''}</td>
      <td>{conn ? when(conn.updatedAt) : ''}</td>
      <td>
        <button type="button" onClick={connect} disabled={busy}>
          {busy ? `Opening ${label}…` : `${conn ? 'Reconnect' : 'Connect'} ${label}`}
        </button>
      </td>
    </tr>
  );
}
