/**
 * A demo company in the sandbox, used by `npm start` and by the end-to-end
 * tests: seeds the Aircall and HubSpot simulators (two agents, a French
 * support line, tags, a known HubSpot contact), then connects the company to
 * the backend the way an admin would (admin API, Aircall API key, HubSpot
 * OAuth through the simulator's consent redirect).
 */
import { ALICE, BOB, SUPPORT_LINE } from '../lib/aircall/scenarios.ts';

export const DEMO_HUBSPOT_APP = { clientId: 'sandbox-client', clientSecret: 'sandbox-secret' };

export interface DemoIds {
  /** The backend's company id. */
  companyId: string;
  aircallCompanyId: number;
  portalId: number;
  apiId: string;
  apiToken: string;
}

/** Ids for the n-th demo company (tests use several per run). */
export function demoIds(n: number, companyId = `demo-${n}`): DemoIds {
  return {
    companyId,
    aircallCompanyId: 100 + n,
    portalId: 5000 + n,
    apiId: `api-id-${n}`,
    apiToken: `api-token-${n}-${companyId}`,
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

export interface Connected {
  ids: DemoIds;
  agentTokens: { alice: string; bob: string };
}

/**
 * Seed both simulators for the company and connect it to the backend with
 * `settings` for its HubSpot integration (connected numbers default to the
 * support line).
 */
export async function connectDemoCompany(input: {
  backendUrl: string;
  adminToken: string;
  aircallUrl: string;
  hubspotUrl: string;
  ids: DemoIds;
  settings?: Record<string, unknown>;
}): Promise<Connected> {
  const { backendUrl: base, adminToken: admin, ids } = input;
  await post(`${input.aircallUrl}/_sandbox/seed`, aircallSeed(ids));
  await post(`${input.hubspotUrl}/_sandbox/seed`, hubspotSeed(ids, `${base}/oauth/hubspot/callback`));

  await call(base, admin, 'POST', '/admin/companies', {
    id: ids.companyId,
    name: `Company ${ids.companyId}`,
    defaultCountry: 'FR',
  });
  await call(base, admin, 'PUT', `/admin/companies/${ids.companyId}/connections/aircall`, {
    apiId: ids.apiId,
    apiToken: ids.apiToken,
  });
  const { url } = (await call(
    base,
    admin,
    'GET',
    `/admin/companies/${ids.companyId}/connections/hubspot/authorize`,
  )) as {
    url: string;
  };
  const consent = new URL(url);
  consent.searchParams.set('portal_id', String(ids.portalId));
  const redirect = await fetch(consent, { redirect: 'manual' });
  const location = redirect.headers.get('location');
  if (!location)
    throw new Error(`HubSpot consent did not redirect (${redirect.status}: ${await redirect.text()})`);
  const back = await fetch(location);
  if (!back.ok) throw new Error(`OAuth callback failed: ${back.status} ${await back.text()}`);

  await call(base, admin, 'PUT', `/admin/companies/${ids.companyId}/integrations/hubspot`, {
    name: 'HubSpot (sandbox)',
    connectedNumbers: [SUPPORT_LINE.id],
    defaultCountry: 'FR',
    ...input.settings,
  });
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
