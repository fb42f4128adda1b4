/**
 * What was written to the CRM for each call and ref, the decision trace of
 * the latest plan, and the agents' choices (EXT-LINK-1, HS-OUT-4).
 */
import type { ExistingWrites, Plan, PlannedWrite } from '../../lib/logging/plan-types.ts';
import type { ResolvedLink } from '../../lib/crm/adapter.ts';
import type { Queryable } from './db.ts';
import type { Subject } from './work.ts';

export interface WriteRow {
  ref: string;
  target: string;
  crm_id: string | null;
  idempotency_key: string;
  fields: Record<string, unknown> | null;
  basis: Record<string, unknown> | null;
  links: ResolvedLink[] | null;
}

const KEY = 'integration_id = $1 and subject_kind = $2 and subject_id = $3';

export async function writesOf(q: Queryable, integrationId: string, subject: Subject): Promise<WriteRow[]> {
  return q.query<WriteRow>(`select * from crm_writes where ${KEY}`, [
    integrationId,
    subject.kind,
    subject.id,
  ]);
}

/** The planner's view: only writes that reached the CRM. */
export function existingOf(rows: WriteRow[]): ExistingWrites {
  const out: ExistingWrites = {};
  for (const r of rows) {
    if (r.crm_id === null) continue;
    out[r.ref] = {
      id: r.crm_id,
      target: r.target,
      ...(r.fields ? { fields: r.fields } : {}),
      ...(r.basis ? { basis: r.basis } : {}),
    };
  }
  return out;
}

/** Record the intent to create, before the CRM request (see crm_writes in the migration). */
export async function recordIntent(
  q: Queryable,
  integrationId: string,
  subject: Subject,
  write: PlannedWrite,
  key: string,
  now: number,
) {
  await q.query(
    `insert into crm_writes (integration_id, subject_kind, subject_id, ref, target, crm_id, idempotency_key, updated_at)
     values ($1, $2, $3, $4, $5, null, $6, $7) on conflict do nothing`,
    [integrationId, subject.kind, subject.id, write.ref, write.target, key, now],
  );
}

export async function recordWritten(
  q: Queryable,
  integrationId: string,
  subject: Subject,
  write: PlannedWrite,
  input: { crmId: string; key: string; links: ResolvedLink[]; now: number },
) {
  await q.query(
    `insert into crm_writes (integration_id, subject_kind, subject_id, ref, target, crm_id, idempotency_key, fields, basis, links, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     on conflict (integration_id, subject_kind, subject_id, ref) do update set
       target = $5, crm_id = $6, fields = coalesce(crm_writes.fields, '{}'::jsonb) || $8, basis = $9, links = $10, updated_at = $11`,
    [
      integrationId,
      subject.kind,
      subject.id,
      write.ref,
      write.target,
      input.crmId,
      input.key,
      write.fields,
      write.basis ?? null,
      JSON.stringify(input.links),
      input.now,
    ],
  );
}

export interface LoggedRow {
  integration_id: string;
  subject_kind: Subject['kind'];
  subject_id: string;
  company_id: string;
  outcome: Plan['outcome'];
  record_id: string | null;
  record_kind: string | null;
  unmatched: boolean;
  trace: Plan['trace'];
  external_e164: string | null;
  agent_user_id: number | null;
  started_at: number | null;
  summary: Record<string, unknown> | null;
  updated_at: number;
}

export async function saveLogged(q: Queryable, row: LoggedRow): Promise<void> {
  await q.query(
    `insert into logged (integration_id, subject_kind, subject_id, company_id, outcome, record_id, record_kind, unmatched,
       trace, external_e164, agent_user_id, started_at, summary, updated_at)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
     on conflict (integration_id, subject_kind, subject_id) do update set outcome = $5, record_id = $6,
       record_kind = $7, unmatched = $8, trace = $9, external_e164 = $10, agent_user_id = $11, started_at = $12,
       summary = $13, updated_at = $14`,
    [
      row.integration_id,
      row.subject_kind,
      row.subject_id,
      row.company_id,
      row.outcome,
      row.record_id,
      row.record_kind,
      row.unmatched,
      JSON.stringify(row.trace),
      row.external_e164,
      row.agent_user_id,
      row.started_at,
      row.summary,
      row.updated_at,
    ],
  );
}

export async function loggedOf(q: Queryable, companyId: string, subject: Subject): Promise<LoggedRow[]> {
  return q.query<LoggedRow>(
    'select * from logged where company_id = $1 and subject_kind = $2 and subject_id = $3 order by integration_id',
    [companyId, subject.kind, subject.id],
  );
}

export interface AgentChoice {
  linked_record: { id: string; kind: string } | null;
  outcome_id: string | null;
}

export async function choiceOf(
  q: Queryable,
  integrationId: string,
  subject: Subject,
): Promise<AgentChoice | null> {
  return (
    (
      await q.query<AgentChoice>(`select linked_record, outcome_id from agent_choices where ${KEY}`, [
        integrationId,
        subject.kind,
        subject.id,
      ])
    )[0] ?? null
  );
}

export async function saveChoice(
  q: Queryable,
  integrationId: string,
  subject: Subject,
  choice: Partial<AgentChoice>,
  now: number,
) {
  await q.query(
    `insert into agent_choices (integration_id, subject_kind, subject_id, linked_record, outcome_id, updated_at)
     values ($1, $2, $3, $4, $5, $6)
     on conflict (integration_id, subject_kind, subject_id) do update set
       linked_record = coalesce($4, agent_choices.linked_record),
       outcome_id = coalesce($5, agent_choices.outcome_id), updated_at = $6`,
    [integrationId, subject.kind, subject.id, choice.linked_record ?? null, choice.outcome_id ?? null, now],
  );
}
