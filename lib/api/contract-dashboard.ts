/** The admin dashboard's routes beyond the core admin API (issue 7): call search, backfill progress, Aircall users. */
import { z } from 'zod';
import { companyParams, integrationParams, route, type RouteDef } from './route.ts';
import { activitySchema, workSchema } from './schemas.ts';

/** A time in UNIX ms, as a query parameter. */
const msQuery = z.coerce.number().int().nonnegative();

/** One call found by the search: its activity (as callTraces gives it) and its work per integration. */
export const foundCallSchema = activitySchema.extend({
  /** The queue's state per integration: a call that failed before any plan has a work item but no trace. */
  work: z.array(workSchema),
});

/** A backfill's progress: its work items by state (GEN-ACT-2b). */
export const backfillProgressSchema = z.object({
  from: z.number(),
  to: z.number(),
  total: z.number(),
  done: z.number(),
  failed: z.number(),
  /** Queued or running. */
  pending: z.number(),
  /** Waiting for more events of the call, or for a reconnection (see `paused`). */
  waiting: z.number(),
  paused: z.number(),
  /** Nothing left to run: every item is done, failed, waiting or paused. */
  finished: z.boolean(),
});

export const DASHBOARD_API = {
  searchCalls: route({
    method: 'GET',
    path: '/admin/companies/:companyId/calls',
    auth: 'admin',
    summary:
      "Search the company's calls, newest first, by number (any format the company's default country reads; compared in E.164), agent, time window or call id, each with its decision trace per integration (GEN-TRACE-1)",
    params: companyParams,
    query: z.object({
      number: z.string().trim().min(1).optional(),
      /** The Aircall user who handled the call. */
      agentUserId: z.coerce.number().int().positive().optional(),
      /** Part of the agent's name, any case. */
      agent: z.string().trim().min(1).max(100).optional(),
      from: msQuery.optional(),
      to: msQuery.optional(),
      callId: z.string().trim().regex(/^\d+$/, 'an Aircall call id is a number').optional(),
      limit: z.coerce.number().int().min(1).max(100).default(20),
      /** The `next` of the previous page. */
      cursor: z.string().optional(),
    }),
    reply: z.object({
      calls: z.array(foundCallSchema),
      /** Pass as `cursor` for the next page; null on the last page. */
      next: z.string().nullable(),
      /** The number searched, in E.164 (null when no number was given). */
      e164: z.string().nullable(),
    }),
  }),
  backfillProgress: route({
    method: 'GET',
    path: '/admin/companies/:companyId/integrations/:crm/backfill',
    auth: 'admin',
    summary: 'Progress of the backfill of one time window (GEN-ACT-2b): its work items done, failed, pending',
    params: integrationParams,
    query: z.object({ from: msQuery, to: msQuery }),
    reply: backfillProgressSchema,
  }),
  aircallUsers: route({
    method: 'GET',
    path: '/admin/companies/:companyId/aircall/users',
    auth: 'admin',
    summary: "The company's Aircall users (for picking an agent), read from Aircall's API",
    params: companyParams,
    reply: z.object({
      users: z.array(z.object({ id: z.number(), name: z.string(), email: z.string().nullable() })),
    }),
  }),
} as const satisfies Record<string, RouteDef>;
