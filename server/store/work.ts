/**
 * The durable work queue, one item per (integration, call or message)
 * (STYLE.md 8). States and their transitions:
 *
 *   pending --claim--> running --finish--> done | waiting | pending (newer events arrived)
 *   running --retry--> pending (run_after = now + wait: 429, 5xx), for RETRY_HOURS from the first failure
 *   running --fail---> failed, the dead letter (not retryable, or retried for RETRY_HOURS), with
 *                      the last error --admin retry (replay)--> pending
 *   running --pause--> paused (the CRM connection needs reconnecting) --reconnect--> pending
 *   running, lease expired --claim--> running (a crashed worker's item is resumed)
 *   any --new event--> pending (running stays running, with a bumped version)
 *
 * Claims use FOR UPDATE SKIP LOCKED, so several backend processes on one
 * PostgreSQL share the queue; each claim takes a lease, renewed (and checked)
 * before every CRM write, so a worker that lost its lease stops writing.
 */
import type { Db, Queryable } from './db.ts';

export type WorkState = 'pending' | 'running' | 'waiting' | 'done' | 'failed' | 'paused';
export type SubjectKind = 'call' | 'message';
export interface Subject {
  kind: SubjectKind;
  id: string;
}

export interface WorkItem {
  integration_id: string;
  subject_kind: SubjectKind;
  subject_id: string;
  company_id: string;
  state: WorkState;
  version: number;
  run_after: number;
  attempts: number;
  lease_owner: string | null;
  lease_until: number | null;
  last_error: string | null;
  /** When the current run of retryable failures began (the retry window's start); null when not failing. */
  first_failed_at: number | null;
  backfill: { from: number; to: number } | null;
  updated_at: number;
}

const KEY = 'integration_id = $1 and subject_kind = $2 and subject_id = $3';
const keyOf = (w: Pick<WorkItem, 'integration_id' | 'subject_kind' | 'subject_id'>) => [
  w.integration_id,
  w.subject_kind,
  w.subject_id,
];

/**
 * What a new event does to its subject's existing work row (enqueueWork, and
 * the intake's single statement, server/store/intake.ts).
 */
export const ON_WORK_CONFLICT = `on conflict (integration_id, subject_kind, subject_id) do update set
       version = work.version + 1,
       -- a running item keeps running (its worker sees the new version when it finishes);
       -- a paused one waits for its connection; a pending one keeps its backoff.
       state = case when work.state in ('running', 'paused') then work.state else 'pending' end,
       run_after = case when work.state = 'pending' then work.run_after else excluded.run_after end,
       attempts = case when work.state in ('failed', 'done', 'waiting') then 0 else work.attempts end,
       first_failed_at = case when work.state in ('failed', 'done', 'waiting') then null else work.first_failed_at end,
       backfill = coalesce(excluded.backfill, work.backfill),
       updated_at = excluded.updated_at`;

export interface WorkInput {
  integrationId: string;
  companyId: string;
  subject: Subject;
  now: number;
  backfill?: { from: number; to: number } | null;
}

/** Queue (or re-queue) the work of one subject for one integration, after a new event. */
export async function enqueueWork(q: Queryable, input: WorkInput): Promise<void> {
  await q.query(
    `insert into work (integration_id, subject_kind, subject_id, company_id, state, version, run_after, updated_at, backfill)
     values ($1, $2, $3, $4, 'pending', 1, $5, $5, $6)
     ${ON_WORK_CONFLICT}`,
    [
      input.integrationId,
      input.subject.kind,
      input.subject.id,
      input.companyId,
      input.now,
      input.backfill ?? null,
    ],
  );
}

/**
 * Claim up to `limit` due items (pending and due, or running with an expired
 * lease). Each claim gets its own lease token (`lease_owner` = worker id and a
 * fresh uuid): a run whose lease expired and was claimed again, even by the
 * same process, no longer holds it and stops before its next CRM write.
 */
export async function claimWork(
  db: Db,
  input: { owner: string; now: number; leaseMs: number; limit: number },
): Promise<WorkItem[]> {
  return db.tx((q) =>
    q.query<WorkItem>(
      `with due as (
         select integration_id, subject_kind, subject_id from work
         where (state = 'pending' and run_after <= $1) or (state = 'running' and lease_until < $1)
         order by run_after
         limit $4
         for update skip locked)
       update work w set state = 'running', lease_owner = $2 || ':' || gen_random_uuid()::text, lease_until = $1 + $3,
         attempts = w.attempts + 1, updated_at = $1
       from due
       where w.integration_id = due.integration_id and w.subject_kind = due.subject_kind
         and w.subject_id = due.subject_id
       returning w.*`,
      [input.now, input.owner, input.leaseMs, input.limit],
    ),
  );
}

/**
 * Renew the lease before a CRM write; false when another worker took the item
 * over (our lease expired), in which case this worker must stop.
 */
export async function holdLease(db: Queryable, item: WorkItem, owner: string, now: number, leaseMs: number) {
  const rows = await db.query(
    `update work set lease_until = $5 where ${KEY} and lease_owner = $4 and state = 'running' returning 1`,
    [...keyOf(item), owner, now + leaseMs],
  );
  return rows.length === 1;
}

/** End a run: `done`/`waiting`, or `pending` again when newer events arrived meanwhile. */
export async function finishWork(
  db: Queryable,
  item: WorkItem,
  owner: string,
  input: { state: 'done' | 'waiting'; now: number },
): Promise<void> {
  await db.query(
    `update work set state = case when version = $5 then $6 else 'pending' end,
       run_after = $7, attempts = 0, lease_owner = null, lease_until = null, last_error = null,
       first_failed_at = null, updated_at = $7
     where ${KEY} and lease_owner = $4`,
    [...keyOf(item), owner, item.version, input.state, input.now],
  );
}

/**
 * After a failed attempt: put the item back with a delay (429, 5xx) while its
 * retry window lasts (issue 8 "Retries": at least 24 h from the first
 * failure, `retryForMs`), otherwise dead-letter it: `failed`, keeping the last
 * error, until an admin replays it. `maxAttempts` (optional) dead-letters
 * sooner. Not retryable errors are dead-lettered at once.
 */
export async function retryOrFail(
  db: Queryable,
  item: WorkItem,
  owner: string,
  input: {
    retry: boolean;
    waitMs: number;
    error: string;
    now: number;
    retryForMs: number;
    maxAttempts?: number | undefined;
  },
): Promise<{ state: WorkState; error: string }> {
  const since = item.first_failed_at ?? input.now;
  const windowLeft = since + input.retryForMs > input.now;
  const attemptsLeft = input.maxAttempts === undefined || item.attempts < input.maxAttempts;
  const state: WorkState = input.retry && windowLeft && attemptsLeft ? 'pending' : 'failed';
  const error =
    state === 'failed' && input.retry
      ? `gave up after ${item.attempts} attempts over ${hours(input.now - since)}: ${input.error}`
      : input.error;
  await db.query(
    `update work set state = $5, run_after = $6, last_error = $7, lease_owner = null, lease_until = null,
       first_failed_at = $9, updated_at = $8
     where ${KEY} and lease_owner = $4`,
    [...keyOf(item), owner, state, input.now + input.waitMs, error, input.now, since],
  );
  return { state, error };
}

function hours(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 1000)} s`;
}

/**
 * The CRM answered again after failing: the integration's other items still
 * in backoff are due now (issue 8: a backlog drains in minutes after an
 * outage, not at the end of each item's jittered wait, up to an hour). Pacing
 * still spaces their requests (lib/http/pace.ts). Returns how many woke.
 */
export async function wakeRetrying(db: Queryable, integrationId: string, now: number): Promise<number> {
  const rows = await db.query(
    `update work set run_after = $2, updated_at = $2
     where integration_id = $1 and state = 'pending' and first_failed_at is not null and run_after > $2
     returning 1`,
    [integrationId, now],
  );
  return rows.length;
}

/** The connection needs an admin: keep the work, untouched, until it is reconnected. */
export async function pauseWork(db: Queryable, item: WorkItem, owner: string, error: string, now: number) {
  await db.query(
    `update work set state = 'paused', last_error = $5, attempts = 0, first_failed_at = null, lease_owner = null,
       lease_until = null, updated_at = $6
     where ${KEY} and lease_owner = $4`,
    [...keyOf(item), owner, error, now],
  );
}

/** After a reconnection: every paused item of the company is due now, oldest first. */
export async function resumePaused(db: Queryable, companyId: string, now: number): Promise<number> {
  const rows = await db.query(
    `update work set state = 'pending', run_after = $2, updated_at = $2
     where company_id = $1 and state = 'paused' returning 1`,
    [companyId, now],
  );
  return rows.length;
}

/**
 * Admin retry (replay) of dead-lettered work, all of the company's or one item:
 * due now, with a new retry window. Writes already made are not made again
 * (server/store/writes.ts keeps each CRM write's id and idempotency key).
 */
export async function retryFailed(
  db: Queryable,
  companyId: string,
  now: number,
  one?: { integrationId: string; kind: SubjectKind; id: string },
): Promise<number> {
  const rows = one
    ? await db.query(
        `update work set state = 'pending', attempts = 0, first_failed_at = null, run_after = $5, updated_at = $5
         where ${KEY} and company_id = $4 and state = 'failed' returning 1`,
        [one.integrationId, one.kind, one.id, companyId, now],
      )
    : await db.query(
        `update work set state = 'pending', attempts = 0, first_failed_at = null, run_after = $2, updated_at = $2
         where company_id = $1 and state = 'failed' returning 1`,
        [companyId, now],
      );
  return rows.length;
}

export async function listWork(db: Queryable, companyId: string, state?: WorkState): Promise<WorkItem[]> {
  return state
    ? db.query<WorkItem>(
        'select * from work where company_id = $1 and state = $2 order by updated_at desc limit 500',
        [companyId, state],
      )
    : db.query<WorkItem>('select * from work where company_id = $1 order by updated_at desc limit 500', [
        companyId,
      ]);
}

/** Counts per state, for readiness and the tests that wait for the queue to drain. */
export async function workCounts(db: Queryable): Promise<Record<string, number>> {
  const rows = await db.query<{ state: string; n: number }>(
    'select state, count(*)::int as n from work group by state',
  );
  return Object.fromEntries(rows.map((r) => [r.state, r.n]));
}
