/**
 * EXT-LIST-1 "outcome" for the agent API: the label of the outcome a call was
 * logged with, in the CRM that has call outcomes (HubSpot, HS-OUT-1..4), so
 * the panel shows it without reading the decision trace.
 *
 * The value is what the backend last wrote on the HubSpot call engagement
 * (`hs_call_disposition`, kept in crm_writes.fields of the `activity` write),
 * named with the portal's outcomes, default and custom (API-CONTRACTS 2.2,
 * cached by the adapter). When HubSpot cannot be read now, default outcomes
 * keep their label and a custom one shows its id: listing calls never fails
 * because of the label.
 */
import type { z } from 'zod';
import type { activitySchema, agentActivitySchema } from '../../lib/api/contract.ts';
import { defaultOutcomeLabel } from '../../lib/crm/hubspot/mapper.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import type { Services } from '../services.ts';
import { type Integration, integrationOf } from '../store/companies.ts';

type Activity = z.infer<typeof activitySchema>;
type AgentActivity = z.infer<typeof agentActivitySchema>;

/** HubSpot's call property holding the outcome id (API-CONTRACTS 2.2; lib/crm/hubspot/mapper.ts writes it). */
const OUTCOME_PROPERTY = 'hs_call_disposition';

/**
 * The activities with `outcome` set from the company's HubSpot integration,
 * null elsewhere. `listedIn`: the CRM whose record the list is for; a CRM
 * without outcomes gets none (a Salesforce page does not show HubSpot's).
 */
export async function withOutcomes(
  svc: Services,
  companyId: string,
  list: Activity[],
  listedIn?: Crm,
): Promise<AgentActivity[]> {
  const none = list.map((a) => ({ ...a, outcome: null }));
  if (listedIn && listedIn !== 'hubspot') return none;
  const hubspot = await integrationOf(svc.db, companyId, 'hubspot');
  const callIds = list.filter((a) => a.kind === 'call').map((a) => a.id);
  if (!hubspot || callIds.length === 0) return none;
  const rows = await svc.db.query<{ subject_id: string; outcome_id: string | null }>(
    `select subject_id, fields->>'${OUTCOME_PROPERTY}' as outcome_id from crm_writes
      where integration_id = $1 and subject_kind = 'call' and ref = 'activity' and crm_id is not null
        and subject_id = any($2::text[])`,
    [hubspot.id, callIds],
  );
  const ids = new Map(rows.flatMap((r) => (r.outcome_id ? [[r.subject_id, r.outcome_id] as const] : [])));
  if (ids.size === 0) return none;
  const known = await portalOutcomes(svc, hubspot);
  const labelOf = (id: string) => known.find((o) => o.id === id)?.label ?? defaultOutcomeLabel(id) ?? id;
  return list.map((a) => {
    const id = a.kind === 'call' ? ids.get(a.id) : undefined;
    return { ...a, outcome: id ? labelOf(id) : null };
  });
}

async function portalOutcomes(
  svc: Services,
  integration: Integration,
): Promise<{ id: string; label: string }[]> {
  try {
    return await (await svc.adapter(integration)).outcomes();
  } catch {
    return [];
  }
}
