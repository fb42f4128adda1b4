/** Agent bearer tokens (issued once, stored hashed) and OAuth states. */
import { randomUUID } from 'node:crypto';
import type { Queryable } from './db.ts';
import { newToken, sha256 } from './secrets.ts';

export interface AgentToken {
  id: string;
  company_id: string;
  aircall_user_id: number;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}

export async function issueAgentToken(
  q: Queryable,
  input: { companyId: string; aircallUserId: number; label: string | null; now: number },
): Promise<{ token: string; record: AgentToken }> {
  const token = newToken('agt');
  const rows = await q.query<AgentToken>(
    `insert into agent_tokens (id, company_id, aircall_user_id, token_hash, label, created_at)
     values ($1, $2, $3, $4, $5, $6) returning id, company_id, aircall_user_id, label, created_at, revoked_at`,
    [randomUUID(), input.companyId, input.aircallUserId, sha256(token), input.label, input.now],
  );
  const record = rows[0];
  if (!record) throw new Error('token was not stored');
  return { token, record };
}

/** The live token holding this value; lookup by hash (the hash is the index key, so no timing leak on the secret). */
export async function agentByToken(q: Queryable, token: string): Promise<AgentToken | null> {
  return (
    (
      await q.query<AgentToken>(
        `select id, company_id, aircall_user_id, label, created_at, revoked_at from agent_tokens
         where token_hash = $1 and revoked_at is null`,
        [sha256(token)],
      )
    )[0] ?? null
  );
}

export async function listAgentTokens(q: Queryable, companyId: string): Promise<AgentToken[]> {
  return q.query<AgentToken>(
    `select id, company_id, aircall_user_id, label, created_at, revoked_at from agent_tokens
     where company_id = $1 order by created_at`,
    [companyId],
  );
}

export async function revokeAgentToken(q: Queryable, companyId: string, id: string, now: number) {
  const rows = await q.query(
    'update agent_tokens set revoked_at = $3 where company_id = $1 and id = $2 and revoked_at is null returning 1',
    [companyId, id, now],
  );
  return rows.length > 0;
}

export async function saveOauthState(
  q: Queryable,
  state: string,
  companyId: string,
  provider: string,
  now: number,
) {
  await q.query(
    'insert into oauth_states (state, company_id, provider, created_at) values ($1, $2, $3, $4)',
    [state, companyId, provider, now],
  );
}

/** Take (and delete) a state no older than 10 minutes. */
export async function takeOauthState(q: Queryable, state: string, now: number) {
  const rows = await q.query<{ company_id: string; provider: string }>(
    'delete from oauth_states where state = $1 and created_at > $2 returning company_id, provider',
    [state, now - 10 * 60_000],
  );
  return rows[0] ?? null;
}
