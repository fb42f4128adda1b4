/**
 * The agent API (auth 'agent'): the routes the browser extension's background
 * calls with an agent token (lib/extension/backend.ts), and nothing else.
 * A file of its own so that the extension imports only these routes and the
 * schemas they reach (schemas-agent.ts): the panel's module builds every zod
 * schema it imports when it loads, and the whole contract (admin, dashboard,
 * settings, doctor, card) cost ~15 ms of its mount time (issue 8, content
 * script start to panel mounted). lib/api/contract.ts puts it in API.
 */
import { z } from 'zod';
import { callParams, crm, ok, route, type RouteDef } from './route.ts';
import { agentActivitySchema } from './schemas-agent.ts';

export const AGENT_API = {
  me: route({
    method: 'GET',
    path: '/v1/me',
    auth: 'agent',
    summary: "Who the token belongs to, and the agent's time zone (EXT-LIST-1)",
    reply: z.object({
      companyId: z.string(),
      aircallUserId: z.number(),
      crms: z.array(crm),
      /** The Aircall user's `time_zone` (IANA, API-CONTRACTS 1.6); null when Aircall does not say. */
      timeZone: z.string().nullable(),
    }),
  }),
  recordActivity: route({
    method: 'GET',
    path: '/v1/records/:crm/:objectType/:recordId/activity',
    auth: 'agent',
    summary: 'Calls and SMS logged on a CRM record (EXT-LIST-1)',
    params: z.object({ crm, objectType: z.string().min(1), recordId: z.string().min(1) }),
    reply: z.object({ activity: z.array(agentActivitySchema) }),
  }),
  getCall: route({
    method: 'GET',
    path: '/v1/calls/:callId',
    auth: 'agent',
    summary: 'One call with its decision trace per integration (EXT-WHY-1)',
    params: callParams,
    reply: agentActivitySchema,
  }),
  inbox: route({
    method: 'GET',
    path: '/v1/inbox',
    auth: 'agent',
    summary: "The agent's recent calls that matched no record (EXT-LINK-1)",
    reply: z.object({ activity: z.array(agentActivitySchema) }),
  }),
  linkCall: route({
    method: 'POST',
    path: '/v1/calls/:callId/link',
    auth: 'agent',
    summary:
      "Log an unmatched call on this record; with `addNumber`, also write the call's number (E.164) into the record's first empty phone field (EXT-LINK-1)",
    params: callParams,
    body: z.object({
      crm,
      objectType: z.string().min(1),
      recordId: z.string().min(1),
      addNumber: z.boolean().default(false),
    }),
    reply: z.object({
      ok: z.literal(true),
      /** With `addNumber`: the phone field that holds the number now, and whether this request wrote it. */
      number: z.object({ field: z.string(), value: z.string(), added: z.boolean() }).nullable(),
    }),
  }),
  addNote: route({
    method: 'POST',
    path: '/v1/calls/:callId/notes',
    auth: 'agent',
    summary: 'Add a note to the call in Aircall; the CRM activity follows (EXT-NOTE-1)',
    params: callParams,
    body: z.object({ content: z.string().trim().min(1, 'the note is empty').max(5000) }),
    reply: ok,
  }),
  listTags: route({
    method: 'GET',
    path: '/v1/tags',
    auth: 'agent',
    summary: "The company's Aircall tags",
    reply: z.object({
      tags: z.array(z.object({ id: z.number(), name: z.string(), color: z.string().nullable().optional() })),
    }),
  }),
  addTag: route({
    method: 'POST',
    path: '/v1/calls/:callId/tags',
    auth: 'agent',
    summary: 'Tag the call in Aircall (EXT-TAG-1)',
    params: callParams,
    body: z.object({ tagId: z.number().int().positive() }),
    reply: ok,
  }),
  removeTag: route({
    method: 'DELETE',
    path: '/v1/calls/:callId/tags/:tagId',
    auth: 'agent',
    summary: 'Untag the call in Aircall (EXT-TAG-1)',
    params: callParams.extend({ tagId: z.coerce.number().int().positive() }),
    reply: ok,
  }),
  listOutcomes: route({
    method: 'GET',
    path: '/v1/outcomes/hubspot',
    auth: 'agent',
    summary: "The HubSpot portal's call outcomes, default and custom (HS-OUT-4)",
    reply: z.object({ outcomes: z.array(z.object({ id: z.string(), label: z.string() })) }),
  }),
  setOutcome: route({
    method: 'PUT',
    path: '/v1/calls/:callId/outcome',
    auth: 'agent',
    summary: 'Pick the HubSpot outcome of a call, even after it was logged (HS-OUT-4)',
    params: callParams,
    body: z.object({ outcomeId: z.string().min(1) }),
    reply: ok,
  }),
  phoneFix: route({
    method: 'POST',
    path: '/v1/records/:crm/:objectType/:recordId/phone-fix',
    auth: 'agent',
    summary: "Rewrite the record's phone numbers to E.164 (EXT-FIX-1)",
    params: z.object({ crm, objectType: z.string().min(1), recordId: z.string().min(1) }),
    body: z.object({ apply: z.boolean().default(true) }).default({ apply: true }),
    reply: z.object({
      fixes: z.array(z.object({ field: z.string(), from: z.string(), to: z.string() })),
      applied: z.boolean(),
      /** Null when the backend may rewrite them; otherwise why not and what to do instead. */
      manual: z.string().nullable(),
    }),
  }),
} as const satisfies Record<string, RouteDef & { auth: 'agent' }>;

export type AgentApi = typeof AGENT_API;
/** The agent routes the extension may call. */
export type AgentRoute = keyof AgentApi;
