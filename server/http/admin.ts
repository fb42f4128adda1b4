/** The admin API (issue 3): companies, connections, integrations, work, backfill, agent tokens. */
import { randomBytes } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../lib/api/errors.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { settingsIssues } from '../../lib/logging/settings.ts';
import { integrationSettingsSchema } from '../../lib/logging/settings-union.ts';
import { CONNECTORS } from '../connectors/index.ts';
import type { Services } from '../services.ts';
import {
  type Company,
  createCompany,
  deleteConnection,
  deleteIntegration,
  getCompany,
  getIntegration,
  type Integration,
  integrationOf,
  listCompanies,
  listConnections,
  listIntegrations,
  saveConnection,
  saveIntegration,
  saveReconciled,
  setWebhook,
} from '../store/companies.ts';
import { sha256 } from '../store/secrets.ts';
import { issueAgentToken, listAgentTokens, revokeAgentToken, saveOauthState } from '../store/tokens.ts';
import { enqueueWork, listWork, retryFailed } from '../store/work.ts';
import { loggedOf } from '../store/writes.ts';
import { handle } from './register.ts';
import { activities, companyView, integrationView, workView } from './views.ts';
import { AircallClient } from '../../lib/aircall/client.ts';
import { AI_EVENTS, CALL_EVENTS, MESSAGE_EVENTS } from '../../lib/aircall/webhook.ts';
import { VendorError } from '../../lib/http/vendor.ts';

/**
 * What this backend subscribes to (API-CONTRACTS 1.3): every call, SMS and
 * AI event, and the installer's deletion (GEN-ADM-1).
 */
const WEBHOOK_EVENTS = [...CALL_EVENTS, ...MESSAGE_EVENTS, ...AI_EVENTS, 'user.deleted.v2'];

export async function companyOr404(svc: Services, id: string): Promise<Company> {
  const c = await getCompany(svc.db, id);
  if (!c)
    throw new ApiError(404, 'not_found', `No company "${id}".`, {
      fix: 'Create it with POST /admin/companies.',
    });
  return c;
}

async function integrationOr404(svc: Services, companyId: string, crm: Crm): Promise<Integration> {
  const i = await integrationOf(svc.db, companyId, crm);
  if (!i) {
    throw new ApiError(404, 'not_found', `Company "${companyId}" has no ${crm} integration.`, {
      fix: `Create it with PUT /admin/companies/${companyId}/integrations/${crm}.`,
    });
  }
  return i;
}

/** Validate with the engine's schema; the error lists each field with the reason and the allowed values. */
function validSettings(crm: Crm, input: Record<string, unknown>) {
  const parsed = integrationSettingsSchema.safeParse({ ...input, crm });
  if (!parsed.success) {
    const fields = settingsIssues(parsed.error);
    throw new ApiError(
      400,
      'invalid_settings',
      `The settings are invalid: ${fields.map((f) => f.message).join('; ')}`,
      {
        fields,
        fix: 'Correct the fields listed; nothing was saved.',
      },
    );
  }
  return parsed.data;
}

async function updateSettings(svc: Services, companyId: string, crm: Crm, patch: Record<string, unknown>) {
  const current = await integrationOr404(svc, companyId, crm);
  const settings = validSettings(crm, { ...current.settings, ...patch });
  return integrationView(await saveIntegration(svc.db, { companyId, crm, settings, now: svc.clock.now() }));
}

/**
 * HS-TIX-2 "when the settings are read": compare them with the CRM now and
 * save what a deleted pipeline or stage changed, with its warning. A CRM that
 * cannot be reached leaves them as they are (the next call checks again).
 */
async function checked(svc: Services, integration: Integration): Promise<Integration> {
  try {
    const update = await (await svc.adapter(integration)).checkSettings(integration.settings);
    if (!update) return integration;
    const now = svc.clock.now();
    const warnings = update.warnings.map((w) => ({ rule: w.rule, message: w.message, at: now }));
    await saveReconciled(svc.db, integration.id, update.settings, warnings, now);
    return (await getIntegration(svc.db, integration.id)) ?? integration;
  } catch (err) {
    svc.log.warn(
      { integration: integration.id, err: (err as Error).message },
      'settings not checked against the CRM',
    );
    return integration;
  }
}

/** A call with its decision trace per integration (GEN-TRACE-1); null when none of its events was processed. */
export async function callActivity(svc: Services, companyId: string, callId: string) {
  const rows = await loggedOf(svc.db, companyId, { kind: 'call', id: callId });
  const [activity] = await activities(svc.db, rows);
  return activity ?? null;
}

export function adminRoutes(app: FastifyInstance, svc: Services): void {
  handle(app, svc, 'createCompany', async ({ body }) => {
    const created = await createCompany(svc.db, { ...body, now: svc.clock.now() });
    if (!created) throw new ApiError(409, 'exists', `A company "${body.id}" already exists.`);
    return companyView(created);
  });
  handle(app, svc, 'listCompanies', async () => ({
    companies: (await listCompanies(svc.db)).map(companyView),
  }));
  handle(app, svc, 'getCompany', async ({ params }) =>
    companyView(await companyOr404(svc, params.companyId)),
  );

  handle(app, svc, 'connectAircall', async ({ params, body }) => {
    const company = await companyOr404(svc, params.companyId);
    const client = new AircallClient({ baseUrl: svc.config.AIRCALL_API_URL, ...body });
    try {
      const numbers = await client.listNumbers();
      if (company.aircall_webhook_id)
        await client.deleteWebhook(company.aircall_webhook_id).catch(() => undefined);
      const hook = await client.createWebhook({
        url: `${svc.publicUrl}/webhooks/aircall/${company.id}`,
        events: WEBHOOK_EVENTS,
        customName: 'CRM bridge',
      });
      await setWebhook(svc.db, company.id, hook.webhook_id, sha256(hook.token));
      await saveConnection(svc.db, svc.secrets, {
        companyId: company.id,
        provider: 'aircall',
        credentials: body,
        account: numbers.length > 0 ? `numbers:${numbers.length}` : null,
        now: svc.clock.now(),
      });
    } catch (err) {
      if (err instanceof VendorError) {
        throw new ApiError(
          err.status === 401 ? 400 : 502,
          'aircall_refused',
          `Aircall refused the API key: ${err.message}`,
          {
            fix: 'Check the API ID and token in Aircall (Integrations > API keys).',
          },
        );
      }
      throw err;
    }
    svc.forget(company.id);
    const conn = (await listConnections(svc.db, company.id)).find((c) => c.provider === 'aircall');
    if (!conn) throw new Error('connection not saved');
    return {
      provider: conn.provider,
      account: conn.account,
      status: conn.status,
      statusReason: conn.status_reason,
      updatedAt: conn.updated_at,
    };
  });

  handle(app, svc, 'crmAuthorize', async ({ params }) => {
    const company = await companyOr404(svc, params.companyId);
    const connector = CONNECTORS[params.crm];
    if (!connector) throw new ApiError(404, 'unsupported', `This backend cannot connect ${params.crm}.`);
    const missing = connector.missingConfig(svc.config);
    if (missing.length > 0) {
      throw new ApiError(409, 'not_configured', `This backend has no ${connector.label} app credentials.`, {
        fix: `Set ${missing.join(' and ')} and restart.`,
      });
    }
    const state = randomBytes(24).toString('base64url');
    await saveOauthState(svc.db, state, company.id, connector.crm, svc.clock.now());
    return { url: connector.authorizeUrl(svc.connectorContext(connector), state) };
  });

  handle(app, svc, 'listConnections', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    const rows = await listConnections(svc.db, params.companyId);
    return {
      connections: rows.map((c) => ({
        provider: c.provider,
        account: c.account,
        status: c.status,
        statusReason: c.status_reason,
        updatedAt: c.updated_at,
      })),
    };
  });

  handle(app, svc, 'putIntegration', async ({ params, body }) => {
    await companyOr404(svc, params.companyId);
    const settings = validSettings(params.crm, body);
    return integrationView(
      await saveIntegration(svc.db, {
        companyId: params.companyId,
        crm: params.crm,
        settings,
        now: svc.clock.now(),
      }),
    );
  });
  handle(app, svc, 'listIntegrations', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    const integrations = await listIntegrations(svc.db, params.companyId);
    return {
      integrations: await Promise.all(integrations.map((i) => checked(svc, i).then(integrationView))),
    };
  });
  handle(app, svc, 'setNumbers', async ({ params, body }) =>
    updateSettings(svc, params.companyId, params.crm, { connectedNumbers: body.connectedNumbers }),
  );
  handle(app, svc, 'activate', async ({ params }) => {
    const current = await integrationOr404(svc, params.companyId, params.crm);
    // GEN-ACT-2: calls from before this moment stay unlogged (unless backfilled).
    const patch = current.settings.active
      ? {}
      : { active: true, inactiveReason: null, activatedAt: svc.clock.now() };
    return updateSettings(svc, params.companyId, params.crm, patch);
  });
  handle(app, svc, 'deactivate', async ({ params }) =>
    updateSettings(svc, params.companyId, params.crm, { active: false, inactiveReason: null }),
  );
  handle(app, svc, 'deleteIntegration', async ({ params }) => {
    // GEN-DEL-1: the settings and the CRM's credentials go together; what is in the CRM stays.
    const deleted = await svc.db.tx(async (q) => {
      const gone = await deleteIntegration(q, params.companyId, params.crm);
      if (gone) await deleteConnection(q, params.companyId, params.crm);
      return gone;
    });
    if (!deleted) {
      await integrationOr404(svc, params.companyId, params.crm);
    }
    svc.forget(params.companyId);
    return { ok: true as const };
  });

  handle(app, svc, 'backfill', async ({ params, body }) => {
    const integration = await integrationOr404(svc, params.companyId, params.crm);
    const now = svc.clock.now();
    // The stored events are the source (GEN-ACT-2b); crm_writes keeps every write single.
    const subjects = await svc.db.query<{ subject_kind: 'call' | 'message'; subject_id: string }>(
      `select distinct subject_kind, subject_id from events
       where company_id = $1 and subject_kind is not null
         and ((subject_kind = 'call' and (body->'data'->>'started_at')::bigint * 1000 between $2 and $3)
           or (subject_kind = 'message' and received_at between $2 and $3))`,
      [params.companyId, body.from, body.to],
    );
    await svc.db.tx(async (q) => {
      for (const s of subjects) {
        await enqueueWork(q, {
          integrationId: integration.id,
          companyId: params.companyId,
          subject: { kind: s.subject_kind, id: s.subject_id },
          now,
          backfill: { from: body.from, to: body.to },
        });
      }
    });
    svc.kick();
    return { queued: subjects.length };
  });

  handle(app, svc, 'callTraces', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    const activity = await callActivity(svc, params.companyId, params.callId);
    if (!activity) {
      throw new ApiError(
        404,
        'not_found',
        `No event of call ${params.callId} has been processed for this company.`,
        {
          fix: 'Check the call id, that Aircall is connected, and that the call was on a number of this company.',
        },
      );
    }
    return activity;
  });

  handle(app, svc, 'listWork', async ({ params, query }) => {
    await companyOr404(svc, params.companyId);
    return { work: (await listWork(svc.db, params.companyId, query.state)).map(workView) };
  });
  handle(app, svc, 'retryWork', async ({ params, body }) => {
    await companyOr404(svc, params.companyId);
    const one =
      body.integrationId && body.kind && body.id
        ? { integrationId: body.integrationId, kind: body.kind, id: body.id }
        : undefined;
    const retried = await retryFailed(svc.db, params.companyId, svc.clock.now(), one);
    svc.kick();
    return { retried };
  });

  handle(app, svc, 'issueAgentToken', async ({ params, body }) => {
    await companyOr404(svc, params.companyId);
    const { token, record } = await issueAgentToken(svc.db, {
      companyId: params.companyId,
      aircallUserId: body.aircallUserId,
      label: body.label ?? null,
      now: svc.clock.now(),
    });
    return { ...tokenView(record), token };
  });
  handle(app, svc, 'listAgentTokens', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    return { tokens: (await listAgentTokens(svc.db, params.companyId)).map(tokenView) };
  });
  handle(app, svc, 'revokeAgentToken', async ({ params }) => {
    if (!(await revokeAgentToken(svc.db, params.companyId, params.tokenId, svc.clock.now()))) {
      throw new ApiError(
        404,
        'not_found',
        `No live agent token "${params.tokenId}" in company "${params.companyId}".`,
      );
    }
    return { ok: true as const };
  });
}

function tokenView(t: {
  id: string;
  aircall_user_id: number;
  label: string | null;
  created_at: number;
  revoked_at: number | null;
}) {
  return {
    id: t.id,
    aircallUserId: t.aircall_user_id,
    label: t.label,
    createdAt: t.created_at,
    revokedAt: t.revoked_at,
  };
}
