// PLACEHOLDER: replaced by the salesforce settings schema.
import { z } from 'zod';
import { generalSettingsShape } from '../../logging/settings.ts';

export const salesforceSettingsSchema = z.object({ crm: z.literal('salesforce'), ...generalSettingsShape });
export type SalesforceSettings = z.infer<typeof salesforceSettingsSchema>;
