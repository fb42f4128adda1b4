/**
 * The backend's REST contract, defined once (STYLE.md 9): method, path,
 * auth, and zod schemas of params, query, body and reply. The server
 * registers its routes from it (server/http/register.ts), the OpenAPI
 * document is generated from it (openapi.ts), and the extension's client
 * uses the same schemas: it imports the agent routes' own file
 * (contract-agent.ts), not this one, so that it builds only those (issue 8).
 */
import { z } from 'zod';
import { companyParams, crm, integrationParams, ok, route, type RouteDef } from './route.ts';
import { AGENT_API } from './contract-agent.ts';
import { DASHBOARD_API } from './contract-dashboard.ts';
import { DOCTOR_API } from './contract-doctor.ts';
import { CARD_API } from './contract-card.ts';
import { SETTINGS_API } from './contract-settings.ts';

export type { Auth, RouteDef } from './route.ts';

import {
  companySchema,
  connectionSchema,
  integrationSchema,
  activitySchema,
  workSchema,
  agentTokenSchema,
} from './schemas.ts';

export {
  traceStepSchema,
  companySchema,
  connectionSchema,
  integrationSchema,
  loggingSchema,
  activitySchema,
  agentActivitySchema,
  workSchema,
  agentTokenSchema,
} from './schemas.ts';

const CORE_API = {
  health: route({
    method: 'GET',
    path: '/health',
    auth: 'public',
    summary: 'The process is up',
    reply: z.object({ status: z.literal('ok') }),
  }),
  ready: route({
    method: 'GET',
    path: '/ready',
    auth: 'public',
    summary: 'The store answers and the workers run',
    reply: z.object({
      status: z.enum(['ready', 'not_ready']),
      store: z.string(),
      /** Commits this process made since it started (server/store/db.ts; issue 8 commits per event). */
      commits: z.number().int(),
      work: z.record(z.string(), z.number()),
    }),
  }),
  openapi: route({
    method: 'GET',
    path: '/openapi.json',
    auth: 'public',
    summary: 'This document',
    reply: z.unknown(),
  }),
  webhook: route({
    method: 'POST',
    path: '/webhooks/aircall/:companyId',
    auth: 'public',
    summary: 'Aircall webhook intake: checks the token, stores the event durably, answers, works afterwards',
    params: companyParams,
    body: z.unknown(),
    reply: z.object({ ok: z.literal(true), duplicate: z.boolean() }),
  }),
  oauthCallback: route({
    method: 'GET',
    path: '/oauth/:crm/callback',
    auth: 'public',
    summary: "A CRM's OAuth redirect target (HubSpot, Salesforce, JobAdder)",
    params: z.object({ crm }),
    query: z.object({
      code: z.string().optional(),
      state: z.string().optional(),
      error: z.string().optional(),
      error_description: z.string().optional(),
    }),
    reply: z.object({
      ok: z.literal(true),
      companyId: z.string(),
      crm,
      account: z.string().nullable(),
      /** Work that waited for this connection and was resumed. */
      resumed: z.number(),
    }),
  }),

  // ---- admin ----
  createCompany: route({
    method: 'POST',
    path: '/admin/companies',
    auth: 'admin',
    summary: 'Create a company',
    body: z.object({
      id: z
        .string()
        .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'lower-case letters, digits and dashes, 2 to 63 characters'),
      name: z.string().trim().min(1),
      defaultCountry: z.string().length(2).default('US'),
    }),
    reply: companySchema,
    status: 201,
  }),
  listCompanies: route({
    method: 'GET',
    path: '/admin/companies',
    auth: 'admin',
    summary: 'Companies',
    reply: z.object({ companies: z.array(companySchema) }),
  }),
  getCompany: route({
    method: 'GET',
    path: '/admin/companies/:companyId',
    auth: 'admin',
    summary: 'One company',
    params: companyParams,
    reply: companySchema,
  }),
  connectAircall: route({
    method: 'PUT',
    path: '/admin/companies/:companyId/connections/aircall',
    auth: 'admin',
    summary: "Connect Aircall with an API key; registers this backend's webhook",
    params: companyParams,
    body: z.object({ apiId: z.string().min(1), apiToken: z.string().min(1) }),
    reply: connectionSchema,
  }),
  crmAuthorize: route({
    method: 'GET',
    path: '/admin/companies/:companyId/connections/:crm/authorize',
    auth: 'admin',
    summary: "The CRM's OAuth consent URL for this company (connect or reconnect)",
    params: integrationParams,
    reply: z.object({ url: z.string() }),
  }),
  listConnections: route({
    method: 'GET',
    path: '/admin/companies/:companyId/connections',
    auth: 'admin',
    summary: 'Connections and their health (credentials are never returned)',
    params: companyParams,
    reply: z.object({ connections: z.array(connectionSchema) }),
  }),
  putIntegration: route({
    method: 'PUT',
    path: '/admin/companies/:companyId/integrations/:crm',
    auth: 'admin',
    summary: "Create or replace an integration's settings (validated by the engine's schemas)",
    params: integrationParams,
    body: z.record(z.string(), z.unknown()),
    reply: integrationSchema,
  }),
  listIntegrations: route({
    method: 'GET',
    path: '/admin/companies/:companyId/integrations',
    auth: 'admin',
    summary: 'Integrations',
    params: companyParams,
    reply: z.object({ integrations: z.array(integrationSchema) }),
  }),
  setNumbers: route({
    method: 'PUT',
    path: '/admin/companies/:companyId/integrations/:crm/numbers',
    auth: 'admin',
    summary: 'Connected Aircall numbers (GEN-NUM-1)',
    params: integrationParams,
    body: z.object({ connectedNumbers: z.array(z.number().int().positive()) }),
    reply: integrationSchema,
  }),
  activate: route({
    method: 'POST',
    path: '/admin/companies/:companyId/integrations/:crm/activate',
    auth: 'admin',
    summary: 'Activate (GEN-ACT-1); calls made while inactive stay unlogged (GEN-ACT-2)',
    params: integrationParams,
    reply: integrationSchema,
  }),
  deactivate: route({
    method: 'POST',
    path: '/admin/companies/:companyId/integrations/:crm/deactivate',
    auth: 'admin',
    summary: 'Deactivate (GEN-ACT-1)',
    params: integrationParams,
    reply: integrationSchema,
  }),
  deleteIntegration: route({
    method: 'DELETE',
    path: '/admin/companies/:companyId/integrations/:crm',
    auth: 'admin',
    summary: 'Delete settings, CRM credentials and work; what is in the CRM stays (GEN-DEL-1)',
    params: integrationParams,
    reply: ok,
  }),
  backfill: route({
    method: 'POST',
    path: '/admin/companies/:companyId/integrations/:crm/backfill',
    auth: 'admin',
    summary: 'Log the stored calls and SMS of a time window (GEN-ACT-2b); nothing is written twice',
    params: integrationParams,
    body: z.object({ from: z.number().int(), to: z.number().int() }).refine((b) => b.from <= b.to, {
      message: '`from` must not be after `to`',
    }),
    reply: z.object({ queued: z.number() }),
  }),
  callTraces: route({
    method: 'GET',
    path: '/admin/companies/:companyId/calls/:callId',
    auth: 'admin',
    summary: 'A call with its decision trace per integration (GEN-TRACE-1)',
    params: companyParams.extend({ callId: z.string().min(1) }),
    reply: activitySchema,
  }),
  listWork: route({
    method: 'GET',
    path: '/admin/companies/:companyId/work',
    auth: 'admin',
    summary: 'Work items (e.g. ?state=failed) with their last error',
    params: companyParams,
    query: z.object({
      state: z.enum(['pending', 'running', 'waiting', 'done', 'failed', 'paused']).optional(),
    }),
    reply: z.object({ work: z.array(workSchema) }),
  }),
  retryWork: route({
    method: 'POST',
    path: '/admin/companies/:companyId/work/retry',
    auth: 'admin',
    summary: 'Retry failed work (one item, or all)',
    params: companyParams,
    body: z
      .object({ integrationId: z.string(), kind: z.enum(['call', 'message']), id: z.string() })
      .partial(),
    reply: z.object({ retried: z.number() }),
  }),
  issueAgentToken: route({
    method: 'POST',
    path: '/admin/companies/:companyId/agent-tokens',
    auth: 'admin',
    summary: 'Issue an agent token (shown once; stored hashed)',
    params: companyParams,
    body: z.object({ aircallUserId: z.number().int().positive(), label: z.string().max(100).optional() }),
    reply: agentTokenSchema.extend({ token: z.string() }),
    status: 201,
  }),
  listAgentTokens: route({
    method: 'GET',
    path: '/admin/companies/:companyId/agent-tokens',
    auth: 'admin',
    summary: 'Agent tokens (without their values)',
    params: companyParams,
    reply: z.object({ tokens: z.array(agentTokenSchema) }),
  }),
  revokeAgentToken: route({
    method: 'DELETE',
    path: '/admin/companies/:companyId/agent-tokens/:tokenId',
    auth: 'admin',
    summary: 'Revoke an agent token',
    params: companyParams.extend({ tokenId: z.string() }),
    reply: ok,
  }),
} as const satisfies Record<string, RouteDef>;

/** Every route: the core, and one file per area (agent, dashboard, settings, doctor, HubSpot app card). */
export const API = {
  ...CORE_API,
  ...AGENT_API,
  ...DASHBOARD_API,
  ...SETTINGS_API,
  ...DOCTOR_API,
  ...CARD_API,
} as const satisfies Record<string, RouteDef>;

export type Api = typeof API;
export type RouteName = keyof Api;
export type Reply<N extends RouteName> = z.infer<Api[N]['reply']>;
