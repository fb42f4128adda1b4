// PLACEHOLDER: replaced by the hubspot planner.
import { type CrmPlanner, nothing } from '../../logging/crm-planner.ts';
import type { HubspotSettings } from './settings.ts';

export const hubspotPlanner: CrmPlanner<HubspotSettings> = {
  crm: 'hubspot',
  planCall: () => nothing(),
  planMessage: () => nothing(),
};
