/**
 * HubSpot's connection (API-CONTRACTS 2 "Auth": OAuth authorization code,
 * then refresh tokens; private app tokens are not refreshable) and its pace
 * (API-CONTRACTS 2.7).
 */
import { HubspotAdapter } from '../../lib/crm/hubspot/adapter.ts';
import { HUBSPOT_SCOPES, HubspotDoctor } from '../../lib/crm/hubspot/doctor.ts';
import { readHubspotChoices } from '../../lib/crm/hubspot/choices.ts';
import { withSettingsChoices } from '../../lib/crm/choices.ts';
import { exchangeHubspotCode, HubspotClient, refreshHubspotToken } from '../../lib/crm/hubspot/client.ts';
import { HUBSPOT_PACE, hubspotBucket } from '../../lib/http/pace.ts';
import type { Config } from '../config.ts';
import type { Connector, ConnectorContext, StoredCredentials } from './types.ts';

export interface HubspotCredentials extends StoredCredentials {
  portalId: string | null;
}

/** The scopes the integration needs, listed where the doctor checks them (GEN-DOC-1). */
const SCOPES = Object.keys(HUBSPOT_SCOPES).join(' ');

function app(config: Config) {
  return { clientId: config.HUBSPOT_CLIENT_ID ?? '', clientSecret: config.HUBSPOT_CLIENT_SECRET ?? '' };
}

export const hubspotConnector: Connector<HubspotCredentials> = {
  crm: 'hubspot',
  label: 'HubSpot',
  missingConfig: (config) =>
    ['HUBSPOT_CLIENT_ID', 'HUBSPOT_CLIENT_SECRET'].filter((k) => !config[k as keyof Config]),

  authorizeUrl(ctx, state) {
    const url = new URL('/oauth/authorize', ctx.config.HUBSPOT_APP_URL);
    url.searchParams.set('client_id', app(ctx.config).clientId);
    url.searchParams.set('redirect_uri', ctx.redirectUri);
    url.searchParams.set('scope', SCOPES);
    url.searchParams.set('state', state);
    return url.toString();
  },

  async exchange(ctx: ConnectorContext, code: string) {
    const tokens = await exchangeHubspotCode({
      baseUrl: ctx.config.HUBSPOT_API_URL,
      ...app(ctx.config),
      redirectUri: ctx.redirectUri,
      code,
      now: ctx.clock.now(),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    });
    return { credentials: tokens, account: tokens.portalId };
  },

  async refresh(ctx, credentials) {
    const next = await refreshHubspotToken({
      baseUrl: ctx.config.HUBSPOT_API_URL,
      ...app(ctx.config),
      refreshToken: credentials.refreshToken ?? '',
      now: ctx.clock.now(),
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    });
    return { ...credentials, ...next };
  },

  pace: { windows: HUBSPOT_PACE, bucketOf: hubspotBucket },

  createAdapter({ config, clock, credentials, tokens, fetch }) {
    const client = new HubspotClient({ baseUrl: config.HUBSPOT_API_URL, fetch, auth: tokens });
    const creds = credentials();
    const adapter = new HubspotAdapter({
      client,
      clock,
      portalId: creds.portalId,
      installer: creds.installer ?? null,
    });
    return withSettingsChoices(adapter, () => readHubspotChoices(client));
  },

  createDoctor({ config, credentials, tokens, fetch }) {
    const client = new HubspotClient({ baseUrl: config.HUBSPOT_API_URL, fetch, auth: tokens });
    return new HubspotDoctor({
      client,
      baseUrl: config.HUBSPOT_API_URL,
      token: () => tokens.token(),
      fetch,
      installer: credentials().installer ?? null,
    });
  },
};
