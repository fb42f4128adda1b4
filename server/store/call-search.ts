/**
 * The dashboard's reads of the store (issue 7): the company's calls by
 * number, agent, time or id, and a backfill's progress (GEN-ACT-2b).
 *
 * Calls are found in the stored events, not in `logged`: a call whose work
 * failed before it was ever planned has no trace yet, and is exactly the
 * one an admin looks for. Each call's facts are read from its events'
 * bodies (Aircall sends the whole call in each, API-CONTRACTS 1.3).
 */
import type { Queryable } from './db.ts';
import type { WorkItem } from './work.ts';

export interface CallFilters {
  /** Digits the other party's number ends with (a pre-filter; the caller compares in E.164). */
  numberSuffix?: string;
  agentUserId?: number;
  /** Part of the agent's name, any case. */
  agentName?: string;
  /** UNIX ms, both included. */
  from?: number;
  to?: number;
  callId?: string;
}

/** Where a page starts: after this call, in newest-first order. */
export interface CallCursor {
  startedAt: number;
  id: string;
}

export interface FoundCall {
  id: string;
  /** UNIX ms. */
  started_at: number;
  /** The other party as Aircall wrote it (any format). */
  raw_digits: string | null;
}

/** `%` and `_` typed by the admin are matched as themselves. */
function likeEscape(s: string): string {
  return s.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/**
 * Up to `limit` calls matching every given filter, newest first, after `cursor`.
 * A call matches the agent when any of its events names that user (the one who
 * answered, or the one it was transferred to).
 */
export async function searchCalls(
  q: Queryable,
  companyId: string,
  f: CallFilters,
  cursor: CallCursor | null,
  limit: number,
): Promise<FoundCall[]> {
  const params: unknown[] = [companyId];
  const p = (v: unknown) => {
    params.push(v);
    return `$${params.length}`;
  };
  const where: string[] = [];
  const having: string[] = [];
  if (f.callId !== undefined) where.push(`subject_id = ${p(f.callId)}`);
  if (f.agentUserId !== undefined)
    having.push(`bool_or(body->'data'->'user'->>'id' = ${p(String(f.agentUserId))})`);
  if (f.agentName !== undefined)
    having.push(`bool_or(body->'data'->'user'->>'name' ilike ${p(`%${likeEscape(f.agentName)}%`)})`);
  if (f.numberSuffix !== undefined) {
    having.push(
      `bool_or(regexp_replace(coalesce(body->'data'->>'raw_digits', ''), '[^0-9]', '', 'g') like ${p(`%${f.numberSuffix}`)})`,
    );
  }
  const outer: string[] = ['started_at is not null'];
  if (f.from !== undefined) outer.push(`started_at >= ${p(f.from)}`);
  if (f.to !== undefined) outer.push(`started_at <= ${p(f.to)}`);
  if (cursor) {
    const at = p(cursor.startedAt);
    outer.push(`(started_at < ${at} or (started_at = ${at} and id < ${p(cursor.id)}))`);
  }
  return q.query<FoundCall>(
    `select * from (
       select subject_id as id,
         min((body->'data'->>'started_at')::bigint) * 1000 as started_at,
         max(body->'data'->>'raw_digits') as raw_digits
       from events
       where company_id = $1 and subject_kind = 'call' and family = 'call'
         ${where.map((w) => `and ${w}`).join(' ')}
       group by subject_id
       ${having.length > 0 ? `having ${having.join(' and ')}` : ''}
     ) calls
     where ${outer.join(' and ')}
     order by started_at desc, id desc
     limit ${p(limit)}`,
    params,
  );
}

/** The work items of some calls of a company, every integration. */
export async function workOfCalls(q: Queryable, companyId: string, ids: string[]): Promise<WorkItem[]> {
  if (ids.length === 0) return [];
  return q.query<WorkItem>(
    `select * from work where company_id = $1 and subject_kind = 'call' and subject_id = any($2)
     order by integration_id`,
    [companyId, ids],
  );
}

/** Work items of one backfill window of one integration, counted by state (GEN-ACT-2b). */
export async function backfillCounts(
  q: Queryable,
  integrationId: string,
  window: { from: number; to: number },
): Promise<Record<string, number>> {
  const rows = await q.query<{ state: string; n: number }>(
    `select state, count(*)::int as n from work
     where integration_id = $1 and (backfill->>'from')::bigint = $2 and (backfill->>'to')::bigint = $3
     group by state`,
    [integrationId, window.from, window.to],
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
