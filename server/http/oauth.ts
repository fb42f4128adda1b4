/**
 * The CRMs' OAuth redirect (`/oauth/<crm>/callback`: authorization code, then
 * refresh tokens; HubSpot API-CONTRACTS 2, Salesforce 3.1, JobAdder 4.1).
 * Connecting (or reconnecting) resumes the work that waited for it, oldest
 * first: nothing received meanwhile is lost. An admin's browser (Accept
 * text/html) is sent back to the dashboard's Connections screen with the
 * result or the error and its fix; API clients get the JSON answer.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { ApiError } from '../../lib/api/errors.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import { CONNECTORS } from '../connectors/index.ts';
import type { Services } from '../services.ts';
import { saveConnection } from '../store/companies.ts';
import { takeOauthState } from '../store/tokens.ts';
import { resumePaused } from '../store/work.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { type Call, handle } from './register.ts';

type CallbackQuery = Call<'oauthCallback'>['query'];

/** A browser (the admin who went through the consent page) rather than an API client. */
function isBrowser(req: FastifyRequest): boolean {
  return (req.headers.accept ?? '').includes('text/html');
}

/**
 * Where the admin's browser goes back to: the dashboard's Connections screen,
 * with the result in the query string (the screen shows it, then drops it).
 */
function dashboardResult(svc: Services, result: Record<string, string>): string {
  // PUBLIC_URL: the address the CRM redirected the browser to (the redirect_uri's base), path prefix included.
  return `${svc.publicUrl}/dashboard/?${new URLSearchParams(result).toString()}#/connections`;
}

export function oauthRoutes(app: FastifyInstance, svc: Services): void {
  handle(app, svc, 'oauthCallback', async ({ params, query, req, reply }) => {
    // API clients get the JSON answer (and its errors); a browser goes back to the dashboard with either.
    if (!isBrowser(req)) return connect(svc, params.crm, query);
    let target: string;
    try {
      const r = await connect(svc, params.crm, query);
      target = dashboardResult(svc, {
        connected: r.crm,
        company: r.companyId,
        account: r.account ?? '',
        resumed: String(r.resumed),
      });
    } catch (err) {
      const known = err instanceof ApiError;
      if (!known) svc.log.error({ err, crm: params.crm }, 'OAuth callback failed');
      target = dashboardResult(svc, {
        failed: params.crm,
        error: known ? err.message : 'The backend failed while connecting; it was logged.',
        fix: (known ? err.fix : undefined) ?? 'Start the connection again from the dashboard.',
      });
    }
    // `handle` sends nothing more once the reply is sent; the route's JSON shape is for API clients.
    reply.redirect(target, 303);
    return reply as never;
  });
}

/** Take the state, exchange the code, save the connection and resume the work that waited for it. */
async function connect(svc: Services, crm: Crm, query: CallbackQuery) {
  const connector = CONNECTORS[crm];
  if (!connector) throw new ApiError(404, 'unsupported', `This backend cannot connect ${crm}.`);
  const { label } = connector;
  if (query.error) {
    const why = query.error_description ? `${query.error} (${query.error_description})` : query.error;
    throw new ApiError(400, 'oauth_denied', `${label} did not grant access: ${why}.`, {
      fix: 'Start the connection again from the dashboard and accept the requested access.',
    });
  }
  if (!query.code || !query.state) {
    throw new ApiError(400, 'oauth_incomplete', 'The redirect carries no `code` or no `state`.', {
      fix: 'Start the connection again from the dashboard.',
    });
  }
  const now = svc.clock.now();
  const pending = await takeOauthState(svc.db, query.state, now);
  if (!pending || pending.provider !== connector.crm) {
    throw new ApiError(400, 'oauth_state', 'The OAuth `state` is unknown or older than 10 minutes.', {
      fix: 'Start the connection again from the dashboard.',
    });
  }
  const missing = connector.missingConfig(svc.config);
  if (missing.length > 0)
    throw new ApiError(409, 'not_configured', `This backend has no ${label} app credentials.`, {
      fix: `Set ${missing.join(' and ')} and restart.`,
    });
  let exchanged;
  try {
    exchanged = await connector.exchange(svc.connectorContext(connector), query.code, query);
  } catch (err) {
    if (err instanceof VendorError) {
      throw new ApiError(400, 'oauth_exchange', `${label} refused the authorization code: ${err.message}`, {
        fix: 'Start the connection again from the dashboard.',
      });
    }
    throw err;
  }
  await saveConnection(svc.db, svc.secrets, {
    companyId: pending.company_id,
    provider: connector.crm,
    credentials: exchanged.credentials,
    account: exchanged.account,
    now,
  });
  svc.forget(pending.company_id);
  const resumed = await resumePaused(svc.db, pending.company_id, now);
  if (resumed > 0) svc.kick();
  svc.log.info({ company: pending.company_id, crm: connector.crm, resumed }, `${label} connected`);
  return {
    ok: true as const,
    companyId: pending.company_id,
    crm: connector.crm,
    account: exchanged.account,
    resumed,
  };
}
