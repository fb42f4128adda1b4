/**
 * Salesforce's connection (API-CONTRACTS 3.1: OAuth web server flow at the
 * login host, then refresh tokens; the REST API is at each org's
 * `instance_url`) and its pace (API-CONTRACTS 3.5).
 */
import { SalesforceAdapter } from '../../lib/crm/salesforce/adapter.ts';
import { SalesforceDoctor } from '../../lib/crm/salesforce/doctor.ts';
import { readSalesforceChoices } from '../../lib/crm/salesforce/choices.ts';
import { withSettingsChoices } from '../../lib/crm/choices.ts';
import {
  exchangeSalesforceCode,
  refreshSalesforceToken,
  SalesforceClient,
} from '../../lib/crm/salesforce/client.ts';
import type { Window } from '../../lib/http/pace.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import type { Config } from '../config.ts';
import type { Connector, StoredCredentials } from './types.ts';

export interface SalesforceCredentials extends StoredCredentials {
  /**
   * Always null: Salesforce's token answer gives no lifetime (sessions end
   * after the org's inactivity timeout), so a 401 INVALID_SESSION_ID is what
   * triggers the refresh (lib/crm/salesforce/client.ts).
   */
  expiresAt: null;
  /** The org's REST host (`instance_url`); a refresh may move it. */
  instanceUrl: string;
  orgId: string | null;
  /** The Salesforce user who consented: the API user and the installer (SF-OWN-3, GEN-ADM-1). */
  userId: string | null;
}

/** `api` for the REST API, `refresh_token` for offline access (the backend works while nobody is logged in). */
const SCOPES = 'api refresh_token';

/**
 * The org's rolling 24-hour API allocation is the only published request
 * limit (API-CONTRACTS 3.5: 403 REQUEST_LIMIT_EXCEEDED once it is used up,
 * and it is shared with every other integration and user of the org). The
 * backend paces itself at 80% of the smallest allocation, 15,000 requests
 * (Developer Edition; larger editions get more [unverified figure]), so the
 * org keeps a fifth of it for its people and other apps even when calls pour
 * in; a 403 REQUEST_LIMIT_EXCEEDED is still retried later (decideRetry). The
 * pace is per process and per org, as lib/http/pace.ts explains.
 */
export const SALESFORCE_DAILY_ALLOCATION = 15_000;
export const SALESFORCE_PACE: Record<'api', Window> = {
  api: { max: Math.floor(SALESFORCE_DAILY_ALLOCATION * 0.8), windowMs: 24 * 60 * 60_000 },
};

function app(config: Config) {
  return { clientId: config.SALESFORCE_CLIENT_ID ?? '', clientSecret: config.SALESFORCE_CLIENT_SECRET ?? '' };
}

export const salesforceConnector: Connector<SalesforceCredentials> = {
  crm: 'salesforce',
  label: 'Salesforce',
  missingConfig: (config) =>
    ['SALESFORCE_CLIENT_ID', 'SALESFORCE_CLIENT_SECRET'].filter((k) => !config[k as keyof Config]),

  authorizeUrl(ctx, state) {
    const url = new URL('/services/oauth2/authorize', ctx.config.SALESFORCE_LOGIN_URL);
    url.searchParams.set('response_type', 'code');
    url.searchParams.set('client_id', app(ctx.config).clientId);
    url.searchParams.set('redirect_uri', ctx.redirectUri);
    url.searchParams.set('scope', SCOPES);
    url.searchParams.set('state', state);
    return url.toString();
  },

  async exchange(ctx, code) {
    const t = await exchangeSalesforceCode({
      loginUrl: ctx.config.SALESFORCE_LOGIN_URL,
      ...app(ctx.config),
      redirectUri: ctx.redirectUri,
      code,
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    });
    if (!t.refreshToken) {
      // Without it the connection dies with the first session: the connected app lacks the scope.
      throw new VendorError({
        vendor: 'salesforce',
        status: 400,
        code: 'NO_REFRESH_TOKEN',
        message: `Salesforce granted no refresh token: give the connected app the "${SCOPES}" scopes (offline access) and connect again.`,
      });
    }
    return {
      credentials: {
        accessToken: t.accessToken,
        refreshToken: t.refreshToken,
        expiresAt: null,
        instanceUrl: t.instanceUrl,
        orgId: t.orgId,
        userId: t.installer?.userId ?? t.userId,
        installer: t.installer,
      },
      account: t.orgId,
    };
  },

  async refresh(ctx, credentials) {
    const t = await refreshSalesforceToken({
      loginUrl: ctx.config.SALESFORCE_LOGIN_URL,
      ...app(ctx.config),
      refreshToken: credentials.refreshToken ?? '',
      ...(ctx.fetch ? { fetch: ctx.fetch } : {}),
    });
    // Salesforce answers a refresh without a new refresh token: the old one stays valid.
    return {
      ...credentials,
      accessToken: t.accessToken,
      refreshToken: t.refreshToken ?? credentials.refreshToken,
      instanceUrl: t.instanceUrl,
    };
  },

  pace: { windows: SALESFORCE_PACE, bucketOf: () => 'api' },

  createAdapter({ config, clock, credentials, tokens, fetch }) {
    const client = new SalesforceClient({
      // Read at each request: a refresh may move the org to another instance.
      instanceUrl: () => credentials().instanceUrl,
      apiVersion: config.SALESFORCE_API_VERSION,
      fetch,
      auth: tokens,
    });
    const adapter = new SalesforceAdapter({ client, clock, installer: credentials().installer ?? null });
    return withSettingsChoices(adapter, () => readSalesforceChoices(client));
  },

  createDoctor({ config, credentials, tokens, fetch }) {
    const client = new SalesforceClient({
      instanceUrl: () => credentials().instanceUrl,
      apiVersion: config.SALESFORCE_API_VERSION,
      fetch,
      auth: tokens,
    });
    return new SalesforceDoctor({ client, installer: credentials().installer ?? null });
  },
};
