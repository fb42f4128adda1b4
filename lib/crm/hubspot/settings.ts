// PLACEHOLDER: replaced by the hubspot settings schema.
import { z } from 'zod';
import { generalSettingsShape } from '../../logging/settings.ts';

export const hubspotSettingsSchema = z.object({ crm: z.literal('hubspot'), ...generalSettingsShape });
export type HubspotSettings = z.infer<typeof hubspotSettingsSchema>;
