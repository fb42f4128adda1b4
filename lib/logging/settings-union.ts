/** The settings of any integration: one schema per CRM, told apart by `crm`. */
import { z } from 'zod';
import { hubspotSettingsSchema } from '../crm/hubspot/settings.ts';
import { jobadderSettingsSchema } from '../crm/jobadder/settings.ts';
import { salesforceSettingsSchema } from '../crm/salesforce/settings.ts';

export const integrationSettingsSchema = z.discriminatedUnion(
  'crm',
  [hubspotSettingsSchema, salesforceSettingsSchema, jobadderSettingsSchema],
  {
    error: (issue) =>
      `${JSON.stringify((issue.input as { crm?: unknown } | undefined)?.crm)} is not a supported CRM; allowed: hubspot, salesforce, jobadder`,
  },
);
export type IntegrationSettings = z.infer<typeof integrationSettingsSchema>;
/** What an admin submits: defaults fill the rest. */
export type IntegrationSettingsInput = z.input<typeof integrationSettingsSchema>;
