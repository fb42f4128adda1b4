/**
 * The shapes of a call or SMS and its decision trace, as the agent routes
 * (contract-agent.ts) and the HubSpot app card give them. Apart from
 * schemas.ts so that the extension builds only these (issue 8: the panel's
 * module evaluates every zod schema it imports when it loads).
 */
import { z } from 'zod';

export const traceStepSchema = z.object({
  rule: z.string(),
  outcome: z.enum(['applied', 'stopped', 'skipped']),
  detail: z.string(),
});

/** One integration's view of a call or SMS: where it was logged and why (GEN-TRACE-1). */
export const loggingSchema = z.object({
  integrationId: z.string(),
  crm: z.string(),
  outcome: z.enum(['write', 'wait', 'nothing']),
  recordId: z.string().nullable(),
  unmatched: z.boolean(),
  /** CRM ids of what was written, by ref ("activity", "ticket", "record"...). */
  written: z.record(z.string(), z.object({ target: z.string(), id: z.string() })),
  trace: z.array(traceStepSchema),
  updatedAt: z.number(),
});

/** A call or SMS as the panel lists it (EXT-LIST-1). */
export const activitySchema = z.object({
  kind: z.enum(['call', 'message']),
  id: z.string(),
  summary: z.record(z.string(), z.unknown()),
  external: z.string().nullable(),
  agentUserId: z.number().nullable(),
  startedAt: z.number().nullable(),
  logging: z.array(loggingSchema),
});

/**
 * A call or SMS as the agent API gives it to the panel: the activity, plus the
 * call's outcome label as logged in the CRM that has call outcomes (HubSpot's
 * `hs_call_disposition`, HS-OUT-1..4), so the panel never reads it out of a
 * trace. Null for SMS, for calls logged without an outcome ("None"), when no
 * CRM with outcomes logged the call, and on the list of a record of a CRM
 * without outcomes (a Salesforce or JobAdder page).
 */
export const agentActivitySchema = activitySchema.extend({ outcome: z.string().nullable() });
