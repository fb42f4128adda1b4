// PLACEHOLDER: replaced by the salesforce planner.
import { type CrmPlanner, nothing } from '../../logging/crm-planner.ts';
import type { SalesforceSettings } from './settings.ts';

export const salesforcePlanner: CrmPlanner<SalesforceSettings> = {
  crm: 'salesforce',
  planCall: () => nothing(),
  planMessage: () => nothing(),
};
