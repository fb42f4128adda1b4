/** Each CRM's name and the description of its settings (one file per CRM in this folder). */
import type { Crm } from '../../lib/logging/plan-types.ts';
import type { SectionSpec } from './describe.ts';
import { HUBSPOT_SECTIONS } from './hubspot.ts';
import { JOBADDER_SECTIONS } from './jobadder.ts';
import { SALESFORCE_SECTIONS } from './salesforce.ts';

export const CRM_SETTINGS: Record<Crm, { label: string; sections: SectionSpec[] }> = {
  hubspot: { label: 'HubSpot', sections: HUBSPOT_SECTIONS },
  salesforce: { label: 'Salesforce', sections: SALESFORCE_SECTIONS },
  jobadder: { label: 'JobAdder', sections: JOBADDER_SECTIONS },
};

export const isCrm = (v: string): v is Crm => v in CRM_SETTINGS;
