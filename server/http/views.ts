/** Store rows to the contract's shapes (lib/api/contract.ts). */
import type { z } from 'zod';
import type { activitySchema, companySchema, integrationSchema, workSchema } from '../../lib/api/contract.ts';
import type { Company, Integration } from '../store/companies.ts';
import type { Queryable } from '../store/db.ts';
import type { WorkItem } from '../store/work.ts';
import type { LoggedRow, WriteRow } from '../store/writes.ts';

export function companyView(c: Company): z.infer<typeof companySchema> {
  return {
    id: c.id,
    name: c.name,
    defaultCountry: c.default_country,
    webhookConnected: c.webhook_token_hash !== null,
    createdAt: c.created_at,
  };
}

export function integrationView(i: Integration): z.infer<typeof integrationSchema> {
  return { id: i.id, crm: i.crm, settings: i.settings, warnings: i.warnings ?? [], updatedAt: i.updated_at };
}

export function workView(w: WorkItem): z.infer<typeof workSchema> {
  return {
    integrationId: w.integration_id,
    kind: w.subject_kind,
    id: w.subject_id,
    state: w.state,
    attempts: w.attempts,
    lastError: w.last_error,
    runAfter: w.run_after,
    updatedAt: w.updated_at,
  };
}

/** Group logged rows (one per integration) into activities, with their CRM writes. */
export async function activities(q: Queryable, rows: LoggedRow[]): Promise<z.infer<typeof activitySchema>[]> {
  const bySubject = new Map<string, LoggedRow[]>();
  for (const r of rows) {
    const key = `${r.subject_kind}:${r.subject_id}`;
    bySubject.set(key, [...(bySubject.get(key) ?? []), r]);
  }
  const out: z.infer<typeof activitySchema>[] = [];
  for (const group of bySubject.values()) {
    const first = group[0];
    if (!first) continue;
    const logging = [];
    for (const r of group) {
      const writes = await q.query<WriteRow>(
        'select * from crm_writes where integration_id = $1 and subject_kind = $2 and subject_id = $3 and crm_id is not null',
        [r.integration_id, r.subject_kind, r.subject_id],
      );
      logging.push({
        integrationId: r.integration_id,
        crm: String(r.summary?.crm ?? r.integration_id.split(':').at(-1)),
        outcome: r.outcome,
        recordId: r.record_id,
        unmatched: r.unmatched,
        written: Object.fromEntries(writes.map((w) => [w.ref, { target: w.target, id: w.crm_id ?? '' }])),
        trace: r.trace,
        updatedAt: r.updated_at,
      });
    }
    out.push({
      kind: first.subject_kind,
      id: first.subject_id,
      summary: first.summary ?? {},
      external: first.external_e164,
      agentUserId: first.agent_user_id,
      startedAt: first.started_at,
      logging,
    });
  }
  return out.sort((a, b) => (b.startedAt ?? 0) - (a.startedAt ?? 0));
}
