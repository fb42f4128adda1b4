// PLACEHOLDER: replaced by the jobadder settings schema.
import { z } from 'zod';
import { generalSettingsShape } from '../../logging/settings.ts';

export const jobadderSettingsSchema = z.object({ crm: z.literal('jobadder'), ...generalSettingsShape });
export type JobadderSettings = z.infer<typeof jobadderSettingsSchema>;
