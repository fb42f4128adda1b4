/**
 * HubSpot's OAuth redirect (API-CONTRACTS 2: authorization code, then
 * refresh tokens). Connecting (or reconnecting) resumes the work that waited
 * for it, oldest first: nothing received meanwhile is lost.
 */
import type { FastifyInstance } from 'fastify';
import { ApiError } from '../../lib/api/errors.ts';
import { exchangeHubspotCode } from '../../lib/crm/hubspot/client.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import type { Services } from '../services.ts';
import { saveConnection } from '../store/companies.ts';
import { takeOauthState } from '../store/tokens.ts';
import { resumePaused } from '../store/work.ts';
import { handle } from './register.ts';

export function oauthRoutes(app: FastifyInstance, svc: Services): void {
  handle(app, svc, 'hubspotCallback', async ({ query }) => {
    if (query.error) {
      throw new ApiError(400, 'oauth_denied', `HubSpot did not grant access: ${query.error}.`, {
        fix: 'Start the connection again from the dashboard and accept the requested scopes.',
      });
    }
    if (!query.code || !query.state) {
      throw new ApiError(400, 'oauth_incomplete', 'The redirect carries no `code` or no `state`.', {
        fix: 'Start the connection again from the dashboard.',
      });
    }
    const now = svc.clock.now();
    const pending = await takeOauthState(svc.db, query.state, now);
    if (!pending || pending.provider !== 'hubspot') {
      throw new ApiError(400, 'oauth_state', 'The OAuth `state` is unknown or older than 10 minutes.', {
        fix: 'Start the connection again from the dashboard.',
      });
    }
    const { HUBSPOT_CLIENT_ID: clientId, HUBSPOT_CLIENT_SECRET: clientSecret } = svc.config;
    if (!clientId || !clientSecret)
      throw new ApiError(409, 'not_configured', 'This backend has no HubSpot app credentials.');
    let tokens;
    try {
      tokens = await exchangeHubspotCode({
        baseUrl: svc.config.HUBSPOT_API_URL,
        clientId,
        clientSecret,
        redirectUri: `${svc.publicUrl}/oauth/hubspot/callback`,
        code: query.code,
        now,
      });
    } catch (err) {
      if (err instanceof VendorError) {
        throw new ApiError(400, 'oauth_exchange', `HubSpot refused the authorization code: ${err.message}`, {
          fix: 'Start the connection again from the dashboard.',
        });
      }
      throw err;
    }
    const portalId = tokens.portalId ?? null;
    await saveConnection(svc.db, svc.secrets, {
      companyId: pending.company_id,
      provider: 'hubspot',
      credentials: { ...tokens, portalId },
      account: portalId,
      now,
    });
    svc.forget(pending.company_id);
    const resumed = await resumePaused(svc.db, pending.company_id, now);
    if (resumed > 0) svc.kick();
    svc.log.info({ company: pending.company_id, resumed }, 'HubSpot connected');
    return { ok: true as const, companyId: pending.company_id, portalId };
  });
}
