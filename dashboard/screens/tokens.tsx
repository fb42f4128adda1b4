/** Agent tokens: each agent's key to the extension; issued once, listed, revoked. */
import { type ReactNode, useState } from 'react';
import { api } from '../api.ts';
import { useAircallUsers } from '../calls-agents.ts';
import { type Issued, IssuedToken, IssueTokenForm, TokenList } from '../components-tokens.tsx';
import { ErrorNote, useLoad } from '../ui.tsx';
import type { ScreenProps } from './index.ts';

export function Tokens({ company }: ScreenProps): ReactNode {
  const users = useAircallUsers(company.id);
  const tokens = useLoad(() => api('listAgentTokens', { params: { companyId: company.id } }), [company.id]);
  const [issued, setIssued] = useState<Issued | null>(null);
  const userList = users.data?.users ?? null;
  return (
    <>
      <h2>Agent tokens of {company.name}</h2>
      <p>
        An agent&apos;s token lets the browser extension read that agent&apos;s calls. Issue one per agent;
        revoke it when a laptop is lost or the agent leaves.
      </p>
      {issued ? (
        <IssuedToken issued={issued} users={userList} onDone={() => setIssued(null)} />
      ) : (
        <IssueTokenForm
          companyId={company.id}
          users={users.loading ? [] : userList}
          usersError={users.error}
          onIssued={(t) => {
            setIssued(t);
            tokens.reload();
          }}
        />
      )}
      <h3>Tokens</h3>
      <ErrorNote error={tokens.error} />
      {tokens.loading && !tokens.data ? (
        <p role="status">Loading tokens…</p>
      ) : (
        <TokenList
          companyId={company.id}
          tokens={tokens.data?.tokens ?? []}
          users={userList}
          onRevoked={tokens.reload}
        />
      )}
    </>
  );
}
