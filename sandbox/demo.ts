/**
 * A demo company in the sandbox, used by `npm start` and by the end-to-end
 * tests: seeds the Aircall simulator (two agents, a French support line,
 * tags) and each CRM's simulator (its users and a known contact, Claire:
 * sandbox/<crm>/demo.ts for Salesforce and JobAdder), then connects the
 * company to the backend the way an admin would (admin API, Aircall API key,
 * each CRM's OAuth through its simulator's consent redirect).
 */
import { ALICE, BOB, SUPPORT_LINE } from '../lib/aircall/scenarios.ts';
import type { Crm } from '../lib/logging/plan-types.ts';
import { JOBADDER_DEMO } from './jobadder/demo.ts';
import { SALESFORCE_DEMO } from './salesforce/demo.ts';

export const DEMO_HUBSPOT_APP = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };

export interface DemoIds {
  /** The backend's company id. */
  companyId: string;
  aircallCompanyId: number;
  portalId: number;
  apiId: string;
  apiToken: string;
  /** The Salesforce org (15-character id, key prefix 00D). */
  salesforceOrgId: string;
  /** The JobAdder account. */
  jobadderAccountId: number;
}

/** Ids for the n-th demo company (tests use several per run). */
export function demoIds(n: number, companyId = `demo-${n}`): DemoIds {
  return {
    companyId,
    aircallCompanyId: 100 + n,
    portalId: 5000 + n,
    apiId: `api-id-${n}`,
    apiToken: `api-token-${n}-${companyId}`,
    salesforceOrgId: `00D${String(n).padStart(12, '0')}`,
    jobadderAccountId: 7000 + n,
  };
}

/** HubSpot owners for the cast (ids as HubSpot gives them: numeric strings). */
export const HUBSPOT_OWNERS = [
  { id: '9001', email: ALICE.email, firstName: 'Alice', lastName: 'Martin', userId: 7001 },
  { id: '9002', email: BOB.email, firstName: 'Bob', lastName: 'Durand', userId: 7002 },
];

/** The known caller: Claire Dupont, +33 6 12 34 56 78, stored in national format (GEN-PHONE-1). */
export const CLAIRE = { id: '501', phone: '06 12 34 56 78', e164: '+33612345678', owner: '9002' };

export const DEMO_TAGS = [
  { id: 31, name: 'General_Inquiries', color: '#00B388' },
  { id: 32, name: 'Refund', color: '#FF6B6B' },
  { id: 33, name: 'VIP', color: '#FFD166' },
];

export function aircallSeed(ids: DemoIds) {
  return {
    companies: [
      {
        id: ids.aircallCompanyId,
        name: `Company ${ids.companyId}`,
        apiKeys: [{ apiId: ids.apiId, apiToken: ids.apiToken }],
        users: [ALICE, BOB].map((u) => ({ ...u, available: true, time_zone: 'Europe/Paris' })),
        numbers: [
          {
            id: SUPPORT_LINE.id,
            name: SUPPORT_LINE.name,
            digits: SUPPORT_LINE.digits,
            country: SUPPORT_LINE.country,
            time_zone: SUPPORT_LINE.time_zone,
            businessHours: {
              timeZone: 'Europe/Paris',
              days: Object.fromEntries(
                ['mon', 'tue', 'wed', 'thu', 'fri'].map((d) => [d, [['09:00', '18:00']]]),
              ),
            },
          },
          {
            id: 2,
            name: 'Sales US',
            digits: '+1 415-555-0100',
            country: 'US',
            time_zone: 'America/Los_Angeles',
          },
        ],
        tags: DEMO_TAGS,
      },
    ],
  };
}

/** A HubSpot private app token of the demo portal, for reading back through HubSpot's API. */
export function readToken(ids: DemoIds): string {
  return `pat-sandbox-${ids.portalId}`;
}

export function hubspotSeed(ids: DemoIds, redirectUri: string) {
  return {
    oauthApps: [{ ...DEMO_HUBSPOT_APP, redirectUris: [redirectUri] }],
    portals: [
      {
        portalId: ids.portalId,
        defaultCountry: 'FR',
        // For reading back what the backend wrote, as a person would with a private app.
        privateAppTokens: [readToken(ids)],
        owners: HUBSPOT_OWNERS,
        objects: {
          contacts: [
            {
              id: CLAIRE.id,
              properties: {
                firstname: 'Claire',
                lastname: 'Dupont',
                email: 'claire@example.fr',
                phone: CLAIRE.phone,
                hubspot_owner_id: CLAIRE.owner,
              },
            },
          ],
        },
      },
    ],
  };
}

async function call(base: string, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path} -> ${res.status}: ${JSON.stringify(json)}`);
  return json;
}

async function post(url: string, body: unknown) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (!res.ok) throw new Error(`POST ${url} -> ${res.status}: ${await res.text()}`);
  return res.json();
}

/** One CRM's part of the demo: its simulator's OAuth app, seed, consent and read-back token. */
export interface DemoCrm {
  crm: Crm;
  /** The integration's name in the demo ("HubSpot (sandbox)"). */
  label: string;
  /** The OAuth app the simulator knows, used as the backend's client id and secret in the sandbox. */
  app: { clientId: string; clientSecret: string };
  /** Body for the simulator's `POST /_sandbox/seed`: the app (with the backend's redirect), the account, its users, Claire. */
  seed(ids: DemoIds, redirectUri: string): unknown;
  /** Sandbox parameters of the consent page that pick the account (and the consenting user). */
  consent(ids: DemoIds): Record<string, string>;
  /** A token that reads the account back through the CRM's own API, as a person would. */
  readToken(ids: DemoIds): string;
}

export const HUBSPOT_DEMO: DemoCrm = {
  crm: 'hubspot',
  label: 'HubSpot',
  app: DEMO_HUBSPOT_APP,
  seed: hubspotSeed,
  consent: (ids) => ({ portal_id: String(ids.portalId) }),
  readToken,
};

export const DEMO_CRMS: Record<Crm, DemoCrm> = {
  hubspot: HUBSPOT_DEMO,
  salesforce: SALESFORCE_DEMO,
  jobadder: JOBADDER_DEMO,
};

/** The backend's environment against the sandbox: each vendor's URL and the demo OAuth apps. */
export function sandboxEnv(urls: SandboxUrls): Record<string, string> {
  const env: Record<string, string> = {
    AIRCALL_API_URL: urls.aircall,
    HUBSPOT_API_URL: urls.hubspot,
    HUBSPOT_APP_URL: urls.hubspot,
    HUBSPOT_CLIENT_ID: DEMO_HUBSPOT_APP.clientId,
    HUBSPOT_CLIENT_SECRET: DEMO_HUBSPOT_APP.clientSecret,
  };
  const sf = DEMO_CRMS.salesforce;
  if (urls.salesforce) {
    Object.assign(env, {
      SALESFORCE_LOGIN_URL: urls.salesforce,
      SALESFORCE_CLIENT_ID: sf.app.clientId,
      SALESFORCE_CLIENT_SECRET: sf.app.clientSecret,
    });
  }
  const ja = DEMO_CRMS.jobadder;
  if (urls.jobadder) {
    Object.assign(env, {
      JOBADDER_ID_URL: urls.jobadder,
      JOBADDER_CLIENT_ID: ja.app.clientId,
      JOBADDER_CLIENT_SECRET: ja.app.clientSecret,
    });
  }
  return env;
}

/** Base URLs of the simulators. */
export interface SandboxUrls {
  aircall: string;
  hubspot: string;
  salesforce?: string;
  jobadder?: string;
}

export interface Connected {
  ids: DemoIds;
  agentTokens: { alice: string; bob: string };
}

/**
 * Seed the simulators for the company and connect it to the backend the way
 * an admin would: company, Aircall API key, then each CRM of `crms` through
 * its OAuth consent and the integration with those settings (connected
 * numbers default to the support line). Default: HubSpot only.
 */
export async function connectDemoCompany(input: {
  backendUrl: string;
  adminToken: string;
  urls: SandboxUrls;
  ids: DemoIds;
  crms?: Partial<Record<Crm, Record<string, unknown>>>;
}): Promise<Connected> {
  const { backendUrl: base, adminToken: admin, ids } = input;
  await post(`${input.urls.aircall}/_sandbox/seed`, aircallSeed(ids));
  await call(base, admin, 'POST', '/admin/companies', {
    id: ids.companyId,
    name: `Company ${ids.companyId}`,
    defaultCountry: 'FR',
  });
  await call(base, admin, 'PUT', `/admin/companies/${ids.companyId}/connections/aircall`, {
    apiId: ids.apiId,
    apiToken: ids.apiToken,
  });
  for (const [crm, settings] of Object.entries(input.crms ?? { hubspot: {} }) as [
    Crm,
    Record<string, unknown>,
  ][]) {
    await connectDemoCrm({ ...input, crm, settings });
  }
  const alice = (await call(base, admin, 'POST', `/admin/companies/${ids.companyId}/agent-tokens`, {
    aircallUserId: ALICE.id,
    label: 'Alice',
  })) as { token: string };
  const bob = (await call(base, admin, 'POST', `/admin/companies/${ids.companyId}/agent-tokens`, {
    aircallUserId: BOB.id,
    label: 'Bob',
  })) as { token: string };
  return { ids, agentTokens: { alice: alice.token, bob: bob.token } };
}

/** Seed one CRM's simulator, connect it through its OAuth consent, and save its integration. */
export async function connectDemoCrm(input: {
  backendUrl: string;
  adminToken: string;
  urls: SandboxUrls;
  ids: DemoIds;
  crm: Crm;
  settings: Record<string, unknown>;
}): Promise<void> {
  const { backendUrl: base, adminToken: admin, ids, crm } = input;
  const demo = DEMO_CRMS[crm];
  const simUrl = input.urls[crm];
  if (!simUrl) throw new Error(`the sandbox has no ${crm} simulator`);
  await post(`${simUrl}/_sandbox/seed`, demo.seed(ids, `${base}/oauth/${crm}/callback`));
  const { url } = (await call(
    base,
    admin,
    'GET',
    `/admin/companies/${ids.companyId}/connections/${crm}/authorize`,
  )) as { url: string };
  const consent = new URL(url);
  for (const [k, v] of Object.entries(demo.consent(ids))) consent.searchParams.set(k, v);
  const redirect = await fetch(consent, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (!location)
    throw new Error(`${crm} consent did not redirect (${redirect.status}: ${await redirect.text()})`);
  const back = await fetch(location);
  if (!back.ok) throw new Error(`${crm} OAuth callback failed: ${back.status} ${await back.text()}`);
  await call(base, admin, 'PUT', `/admin/companies/${ids.companyId}/integrations/${crm}`, {
    name: `${demo.label} (sandbox)`,
    connectedNumbers: [SUPPORT_LINE.id],
    defaultCountry: 'FR',
    ...input.settings,
  });
}
