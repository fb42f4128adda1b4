/** The CRMs the dashboard's screens name, in the order they are listed. */
import { CRMS, type Crm } from '../lib/logging/plan-types.ts';

export { CRMS, type Crm };

export const CRM_LABELS: Record<Crm, string> = {
  hubspot: 'HubSpot',
  salesforce: 'Salesforce',
  jobadder: 'JobAdder',
};

/** "HubSpot" for "hubspot", and for an integration id "demo-1:hubspot"; the raw name for anything else. */
export function crmLabel(crmOrIntegration: string): string {
  const crm = crmOrIntegration.split(':').at(-1) ?? crmOrIntegration;
  return (CRM_LABELS as Record<string, string>)[crm] ?? crm;
}
