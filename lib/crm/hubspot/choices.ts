/**
 * The choices of a HubSpot integration's settings (SPEC section 4), read live
 * for the dashboard: owners (HS-GEN-4 default owner), the portal's call
 * outcomes (HS-OUT-3 tag mapping) and ticket pipelines with their stages
 * (HS-TIX-1). Archived pipelines and stages are left out: HS-TIX-2 counts
 * them as deleted.
 */
import type { HubspotChoices } from '../../api/contract-settings.ts';
import type { HubspotClient } from './client.ts';

export async function readHubspotChoices(client: HubspotClient): Promise<HubspotChoices> {
  const [owners, outcomes, pipelines] = await Promise.all([
    client.owners(),
    client.callOutcomes(),
    client.ticketPipelines(),
  ]);
  return {
    crm: 'hubspot',
    owners: owners
      .filter((o) => !o.archived)
      .map((o) => ({
        id: String(o.id),
        name: [o.firstName, o.lastName].filter(Boolean).join(' ') || (o.email ?? `Owner ${o.id}`),
        email: o.email ?? null,
      })),
    outcomes: outcomes.map((o) => ({ id: o.id, label: o.label })),
    pipelines: pipelines
      .filter((p) => !p.archived)
      .map((p) => ({
        id: p.id,
        label: p.label || p.id,
        stages: p.stages
          .filter((s) => !s.archived)
          .map((s) => ({ id: s.id, label: s.label || s.id, state: s.metadata?.ticketState ?? null })),
      })),
  };
}
