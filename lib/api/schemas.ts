/**
 * The shapes the routes of every contract file share (lib/api/contract.ts).
 * Those of the agent routes live in schemas-agent.ts (the extension imports
 * only that file) and are re-exported here.
 */
import { z } from 'zod';
import { crm } from './route.ts';

export { activitySchema, agentActivitySchema, loggingSchema, traceStepSchema } from './schemas-agent.ts';

export const companySchema = z.object({
  id: z.string(),
  name: z.string(),
  defaultCountry: z.string(),
  webhookConnected: z.boolean(),
  createdAt: z.number(),
});

export const connectionSchema = z.object({
  provider: z.string(),
  account: z.string().nullable(),
  status: z.enum(['ok', 'needs_reconnection']),
  statusReason: z.string().nullable(),
  updatedAt: z.number(),
});

export const integrationSchema = z.object({
  id: z.string(),
  crm,
  settings: z.record(z.string(), z.unknown()),
  warnings: z.array(z.object({ rule: z.string(), message: z.string(), at: z.number() })),
  updatedAt: z.number(),
});

export const workSchema = z.object({
  integrationId: z.string(),
  kind: z.enum(['call', 'message']),
  id: z.string(),
  state: z.string(),
  attempts: z.number(),
  lastError: z.string().nullable(),
  runAfter: z.number(),
  updatedAt: z.number(),
});

export const agentTokenSchema = z.object({
  id: z.string(),
  aircallUserId: z.number(),
  label: z.string().nullable(),
  createdAt: z.number(),
  revokedAt: z.number().nullable(),
});
