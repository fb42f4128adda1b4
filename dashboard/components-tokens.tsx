/**
 * Agent tokens: issue one (Aircall user and label; the value is shown once,
 * since only its hash is stored), list them, revoke one after confirming.
 */
import { type FormEvent, type ReactNode, useState } from 'react';
import { api, type ReplyOf } from './api.ts';
import { agentName, type AircallUser } from './calls-agents.ts';
import { ErrorNote, when } from './ui.tsx';

export type Issued = ReplyOf<'issueAgentToken'>;
type TokenView = ReplyOf<'listAgentTokens'>['tokens'][number];

export function IssueTokenForm({
  companyId,
  users,
  usersError,
  onIssued,
}: {
  companyId: string;
  users: AircallUser[] | null;
  usersError: unknown;
  onIssued(t: Issued): void;
}): ReactNode {
  const [userId, setUserId] = useState('');
  const [label, setLabel] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    try {
      const issued = await api('issueAgentToken', {
        params: { companyId },
        body: { aircallUserId: Number(userId), ...(label.trim() ? { label: label.trim() } : {}) },
      });
      setError(null);
      setLabel('');
      onIssued(issued);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} aria-label="Issue an agent token" className="tokens-form">
      {users && users.length > 0 ? (
        <label>
          Aircall user
          <select name="aircallUserId" value={userId} onChange={(e) => setUserId(e.target.value)} required>
            <option value="">Pick the agent…</option>
            {users.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name} ({u.id}){u.email ? `, ${u.email}` : ''}
              </option>
            ))}
          </select>
        </label>
      ) : (
        <>
          <label>
            Aircall user id
            <input
              name="aircallUserId"
              inputMode="numeric"
              pattern="[0-9]+"
              value={userId}
              onChange={(e) => setUserId(e.target.value)}
              required
            />
          </label>
          {usersError ? (
            <p className="hint">
              Aircall&apos;s users could not be listed (
              {usersError instanceof Error ? usersError.message : 'error'}
              ): type the user&apos;s id as Aircall shows it.
            </p>
          ) : null}
        </>
      )}
      <label>
        Label
        <input
          name="label"
          value={label}
          maxLength={100}
          onChange={(e) => setLabel(e.target.value)}
          placeholder="e.g. Alice's laptop"
        />
      </label>
      <button type="submit" disabled={busy || userId === ''}>
        {busy ? 'Issuing…' : 'Issue token'}
      </button>
      <ErrorNote error={error} />
    </form>
  );
}

/** The new token, once: copy it now, it is stored hashed and cannot be shown again. */
export function IssuedToken({
  issued,
  users,
  onDone,
}: {
  issued: Issued;
  users: AircallUser[] | null;
  onDone(): void;
}): ReactNode {
  const [copied, setCopied] = useState<'no' | 'yes' | 'failed'>('no');
  async function copy() {
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopied('yes');
    } catch {
      setCopied('failed');
    }
  }
  return (
    <section aria-labelledby="tokens-issued" className="tokens-issued">
      <h3 id="tokens-issued">
        New token for {agentName(users ?? undefined, issued.aircallUserId)}
        {issued.label ? ` (${issued.label})` : ''}
      </h3>
      <p className="warning" role="alert">
        Copy this token now: it will not be shown again (only its hash is kept). The agent enters it in the
        extension&apos;s options.
      </p>
      <p>
        <code className="tokens-value" aria-label="New agent token">
          {issued.token}
        </code>
      </p>
      <button type="button" onClick={copy}>
        Copy token
      </button>{' '}
      <span role="status">
        {copied === 'yes'
          ? 'Copied to the clipboard.'
          : copied === 'failed'
            ? 'The browser refused the clipboard: select the token and copy it by hand.'
            : ''}
      </span>{' '}
      <button type="button" className="link" onClick={onDone}>
        I have copied it
      </button>
    </section>
  );
}

function TokenRow({
  companyId,
  token,
  users,
  onRevoked,
}: {
  companyId: string;
  token: TokenView;
  users: AircallUser[] | null;
  onRevoked(): void;
}): ReactNode {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const name = token.label ?? agentName(users ?? undefined, token.aircallUserId);
  async function revoke() {
    setBusy(true);
    try {
      await api('revokeAgentToken', { params: { companyId, tokenId: token.id } });
      setError(null);
      setConfirming(false);
      onRevoked();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <tr data-token={token.id}>
      <td>{token.label ?? <span className="hint">no label</span>}</td>
      <td>{agentName(users ?? undefined, token.aircallUserId)}</td>
      <td>{when(token.createdAt)}</td>
      <td>{token.revokedAt ? when(token.revokedAt) : 'In use'}</td>
      <td>
        {token.revokedAt ? null : confirming ? (
          <div role="group" aria-label={`Confirm revoking ${name}`} className="tokens-confirm">
            <p>Revoke &quot;{name}&quot;? The extension using it stops working at once.</p>
            <button type="button" onClick={revoke} disabled={busy} className="tokens-danger">
              Yes, revoke
            </button>{' '}
            <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
              Cancel
            </button>
          </div>
        ) : (
          <button type="button" onClick={() => setConfirming(true)}>
            Revoke<span className="calls-sr-only"> {name}</span>
          </button>
        )}
        <ErrorNote error={error} />
      </td>
    </tr>
  );
}

export function TokenList({
  companyId,
  tokens,
  users,
  onRevoked,
}: {
  companyId: string;
  tokens: TokenView[];
  users: AircallUser[] | null;
  onRevoked(): void;
}): ReactNode {
  if (tokens.length === 0) {
    return <p>No agent token yet: issue one for each agent who uses the browser extension.</p>;
  }
  return (
    <table aria-label="Agent tokens">
      <thead>
        <tr>
          <th scope="col">Label</th>
          <th scope="col">Aircall user</th>
          <th scope="col">Created</th>
          <th scope="col">Revoked</th>
          <th scope="col">Action</th>
        </tr>
      </thead>
      <tbody>
        {tokens.map((t) => (
          <TokenRow key={t.id} companyId={companyId} token={t} users={users} onRevoked={onRevoked} />
        ))}
      </tbody>
    </table>
  );
}
