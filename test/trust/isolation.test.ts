/**
 * Issue 8 "Tenant isolation": two demo companies with calls, tokens, work,
 * agent choices and CRM data in one world; then more than 1,000 randomised
 * cross-company reads and writes, through every route of the contract
 * (lib/api/contract.ts: admin routes on company A's path naming B's calls,
 * tokens and work; agent and HubSpot-card routes as A's agent on B's calls
 * and records) and through every exported function of server/store/*.ts
 * (A's company or integration with B's object ids). Not one of B's rows may
 * come back in an answer or change in the store, in Aircall or in B's CRM.
 *
 * Routes and store functions are enumerated: a new route or store function
 * that this file cannot probe fails the coverage tests, naming what to add.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE, BOB, callWebhooks, inboundAnsweredScript } from '../../lib/aircall/scenarios.ts';
import { parseWebhook, type WebhookEnvelope } from '../../lib/aircall/webhook.ts';
import { API, type RouteDef } from '../../lib/api/contract.ts';
import { pathOf } from '../../lib/api/route.ts';
import { CRMS } from '../../lib/logging/plan-types.ts';
import type { Db, Queryable } from '../../server/store/db.ts';
import type { WorkItem } from '../../server/store/work.ts';
import {
  connectDemoCompany,
  type Connected,
  DEMO_HUBSPOT_APP,
  demoIds,
  readToken,
} from '../../sandbox/demo.ts';
import { hubspotFetch } from '../support/hubspot-signature.ts';
import { ADMIN_TOKEN, sandboxUrls, STORES, startWorld, type World } from '../support/world.ts';
import { aircallWebhookToken, raw, type Reply } from './support.ts';

/** Randomised cross-company probes (issue 8: at least 1,000 of each kind). */
const ROUTE_PROBES = 1_100;
const STORE_PROBES = 1_100;

const STORE_DIR = join(import.meta.dirname, '..', '..', 'server', 'store');

/** What company B owns, by which A's requests must never reach it. */
interface Tenant {
  companyId: string;
  integrationId: string;
  callIds: number[];
  tokenIds: string[];
  tokens: string[];
  /** HubSpot records only B's portal has. */
  recordIds: string[];
  externals: string[];
  webhookToken: string;
  events: WebhookEnvelope[];
}

/** A probe's request, built from B's objects. */
interface Probe {
  route: string;
  method: string;
  path: string;
  query: Record<string, string>;
  body?: unknown;
}

/** Admin routes that are backend-wide by design (no company in the path): why each is allowed. */
const GLOBAL_ADMIN: Record<string, string> = {
  createCompany: 'creates a company; probed with B’s id, which must be refused (409) and B left as it was',
  listCompanies: 'the backend operator’s list of every company (ADMIN_TOKEN is backend-wide)',
};
/** Public routes: why each holds no company's data. */
const PUBLIC: Record<string, string> = {
  health: 'process liveness',
  ready: 'store and worker readiness, with backend-wide work counts',
  openapi: 'the contract',
  webhook: 'Aircall intake, authenticated by the company’s webhook token (probed with B’s token on A’s URL)',
  oauthCallback: 'OAuth redirect, keyed by its single-use random state (probed with states that are not B’s)',
};
/** Answers that may name B by design (checked for "nothing changed" only). */
const MAY_NAME_B = new Set(['listCompanies']);

describe.each(STORES)('tenant isolation (%s store)', (store) => {
  let w: World;
  let other: Connected;
  let b: Tenant;
  let a: { companyId: string; integrationId: string; callIds: number[]; portalId: number };
  /** Tables and how to find B's rows in each. */
  let tables: { name: string; where: string }[] = [];

  async function playFor(aircallCompanyId: number, callId: number, external: string) {
    const r = await raw(`${w.sandbox.aircall.url}/_sandbox/scenarios/play`, {
      body: JSON.stringify({ company: aircallCompanyId, scenario: 'inbound-answered', callId, external }),
    });
    if (r.status >= 400) throw new Error(`play failed: ${r.text}`);
  }

  /** Every row of B's, per table, in a stable order. */
  async function snapshotB(q: Queryable): Promise<Record<string, string[]>> {
    const out: Record<string, string[]> = {};
    for (const t of tables) {
      const rows = await q.query(`select * from ${t.name} where ${t.where}`, [b.companyId]);
      out[t.name] = rows.map((r) => JSON.stringify(r)).sort();
    }
    return out;
  }
  function changedTables(before: Record<string, string[]>, after: Record<string, string[]>): string[] {
    return Object.keys(before).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
  }

  /** B's side outside the store: its Aircall calls (comments, tags) and its HubSpot portal. */
  async function outsideB(): Promise<string> {
    const basic = `Basic ${Buffer.from(`${other.ids.apiId}:${other.ids.apiToken}`).toString('base64')}`;
    const calls = [];
    for (const id of b.callIds) {
      const r = await raw(`${w.sandbox.aircall.url}/v1/calls/${id}`, {
        method: 'GET',
        headers: { authorization: basic },
      });
      const call = r.json.call as { comments?: unknown; tags?: unknown } | undefined;
      calls.push({ id, comments: call?.comments, tags: call?.tags });
    }
    const search = async (type: string, properties: string[]) => {
      const r = await raw(`${w.sandbox.hubspot.url}/crm/v3/objects/${type}/search`, {
        body: JSON.stringify({ limit: 100, properties }),
        headers: { authorization: `Bearer ${readToken(other.ids)}`, 'content-type': 'application/json' },
      });
      if (r.status !== 200) throw new Error(`HubSpot search of ${type}: ${r.text}`);
      return r.json.results;
    };
    const contacts = await search('contacts', ['firstname', 'lastname', 'phone', 'mobilephone']);
    const engagements = await search('calls', ['hs_call_body', 'hs_call_disposition']);
    return JSON.stringify({ calls, contacts, engagements });
  }

  /**
   * Values in an answer that belong to B. Ids and numbers are compared as
   * whole values (a timestamp cannot match by accident); B's company id (in
   * its integration ids and name), tokens and contact name anywhere. What the
   * request itself carried is an echo ("No call 840001 ..."), not a leak: a
   * real leak of B's rows still names B's company through its integration id.
   */
  function bLeaks(value: unknown, request = ''): string[] {
    const found: string[] = [];
    const fresh = (m: string) => !request.includes(m);
    const exact = new Set(
      [...b.callIds.map(String), ...b.tokenIds, ...b.tokens, ...b.recordIds, b.webhookToken].filter(fresh),
    );
    const within = [b.companyId, ...b.externals, 'Isolée'].filter(fresh);
    const walk = (v: unknown) => {
      if (v === null || v === undefined) return;
      if (Array.isArray(v)) return v.forEach(walk);
      if (typeof v === 'object') return Object.entries(v).forEach(([k, x]) => (walk(k), walk(x)));
      const s = String(v);
      if (exact.has(s) || within.some((m) => s.includes(m))) found.push(s);
    };
    walk(value);
    return found;
  }

  beforeAll(async () => {
    w = await startWorld({ store, n: 83 });
    other = await connectDemoCompany({
      backendUrl: w.backend.url,
      adminToken: ADMIN_TOKEN,
      urls: sandboxUrls(w.sandbox),
      ids: demoIds(84),
    });
    // The probes call Aircall far more than a company would in a minute (connectAircall, tags, users).
    await raw(`${w.sandbox.aircall.url}/_sandbox/limits`, { body: JSON.stringify({ perMinute: 100_000 }) });
    // B has a contact A's portal does not: "Bérénice Isolée".
    const seeded = await raw(`${w.sandbox.hubspot.url}/_sandbox/seed`, {
      body: JSON.stringify({
        portals: [
          {
            portalId: other.ids.portalId,
            objects: {
              contacts: [
                {
                  id: '84990001',
                  properties: { firstname: 'Bérénice', lastname: 'Isolée', phone: '+33 6 84 99 00 01' },
                },
              ],
            },
          },
        ],
      }),
    });
    const onlyB =
      (seeded.json as { portals: { ids: { contacts: string[] } }[] }).portals[0]?.ids.contacts ?? [];
    expect(onlyB).toHaveLength(1);

    // Calls for both: A's 83xxxx, B's 84xxxx (B's numbers appear nowhere in A's data).
    const aCalls = [830_001, 830_002, 830_003];
    const bCalls = [840_001, 840_002, 840_003];
    const bExternals = ['+33684000001', '+33684000002', '+33684990001'];
    for (const [i, id] of aCalls.entries())
      await playFor(w.company.ids.aircallCompanyId, id, `+3368300000${i + 1}`);
    await playFor(other.ids.aircallCompanyId, bCalls[0] as number, '06 12 34 56 78'); // B's Claire
    await playFor(other.ids.aircallCompanyId, bCalls[1] as number, bExternals[0] as string);
    await playFor(other.ids.aircallCompanyId, bCalls[2] as number, bExternals[2] as string); // B's Bérénice
    await w.settle(30_000);

    // B's agent choices, a failed work item of B's, and an OAuth state of B's in flight.
    const bAgent = (m: string, p: string, body?: unknown) =>
      raw(`${w.backend.url}${p}`, {
        method: m,
        body: body === undefined ? undefined : JSON.stringify(body),
        headers: {
          authorization: `Bearer ${other.agentTokens.alice}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
      });
    const outcomes = (await bAgent('GET', '/v1/outcomes/hubspot')).json.outcomes as { id: string }[];
    expect(
      (await bAgent('PUT', `/v1/calls/${bCalls[0]}/outcome`, { outcomeId: outcomes[1]?.id })).status,
    ).toBe(200);
    await w.settle(30_000);
    const companyB = other.ids.companyId;
    await w.db.query(
      `update work set state = 'failed', last_error = 'made failed for the isolation test' where company_id = $1 and subject_id = $2`,
      [companyB, String(bCalls[1])],
    );
    const authorize = await w.admin('GET', `/admin/companies/${companyB}/connections/hubspot/authorize`);
    expect(authorize.status).toBe(200);

    const bTokens = (await w.admin('GET', `/admin/companies/${companyB}/agent-tokens`)).json.tokens as {
      id: string;
    }[];
    b = {
      companyId: companyB,
      integrationId: `${companyB}:hubspot`,
      callIds: bCalls,
      tokenIds: bTokens.map((t) => t.id),
      tokens: [other.agentTokens.alice, other.agentTokens.bob],
      recordIds: onlyB,
      externals: bExternals,
      webhookToken: await aircallWebhookToken(w, other.ids),
      events: bCalls.flatMap((callId) =>
        callWebhooks(
          inboundAnsweredScript({ token: 'x', callId, startedAt: Math.floor(w.clock.now() / 1000) }),
        ),
      ),
    };
    a = {
      companyId: w.company.ids.companyId,
      integrationId: `${w.company.ids.companyId}:hubspot`,
      callIds: aCalls,
      portalId: w.company.ids.portalId,
    };

    // Whose rows each table holds: by company, or by integration (ids are "<company>:<crm>").
    const columns = await w.db.query<{ table_name: string; column_name: string }>(
      `select table_name, column_name from information_schema.columns where table_schema = 'public'`,
    );
    const byTable = new Map<string, Set<string>>();
    for (const c of columns)
      byTable.set(c.table_name, (byTable.get(c.table_name) ?? new Set()).add(c.column_name));
    tables = [...byTable].flatMap(([name, cols]) => {
      if (name === 'schema_migrations') return [];
      if (name === 'companies') return [{ name, where: 'id = $1' }];
      if (cols.has('company_id')) return [{ name, where: 'company_id = $1' }];
      if (cols.has('integration_id')) return [{ name, where: `integration_id like $1 || ':%'` }];
      throw new Error(
        `table ${name} has neither company_id nor integration_id: say whose rows it holds here`,
      );
    });

    // B really has data everywhere the probes aim.
    const snap = await snapshotB(w.db);
    for (const t of [
      'events',
      'work',
      'logged',
      'crm_writes',
      'agent_choices',
      'agent_tokens',
      'oauth_states',
    ])
      expect(snap[t]?.length ?? 0, t).toBeGreaterThan(0);
    expect(snap.work?.some((r) => r.includes('"failed"'))).toBe(true);
  }, 180_000);
  afterAll(async () => w?.close());

  // ---- routes ----

  /** A value for each path parameter, naming B's objects (A's company in the path). */
  const PARAMS: Record<string, (r: () => number) => string> = {
    companyId: () => a.companyId,
    callId: (r) => String(b.callIds[r() % b.callIds.length]),
    tokenId: (r) => b.tokenIds[r() % b.tokenIds.length] as string,
    crm: (r) => CRMS[r() % CRMS.length] as string,
    tagId: (r) => String(31 + (r() % 3)),
    objectType: (r) => (r() % 2 ? 'contacts' : 'companies'),
    recordId: (r) => b.recordIds[r() % b.recordIds.length] as string,
  };
  /** Query values naming B's objects; other optional ones are left out. */
  const QUERY: Record<string, (r: () => number) => string> = {
    callId: (r) => String(b.callIds[r() % b.callIds.length]),
    number: (r) => b.externals[r() % b.externals.length] as string,
    agentUserId: (r) => String([ALICE.id, BOB.id][r() % 2]),
    agent: () => 'Alice',
    from: () => '0',
    to: () => String(w.clock.now() + 86_400_000),
    state: (r) => ['pending', 'failed', 'done', 'paused'][r() % 4] as string,
    crm: () => 'hubspot',
  };
  /** A body for each route that takes one, naming B's objects where it can. */
  const BODIES: Record<string, (r: () => number) => unknown> = {
    webhook: (r) => ({ ...(b.events[r() % b.events.length] as WebhookEnvelope), token: b.webhookToken }),
    createCompany: () => ({ id: b.companyId, name: 'Taken over', defaultCountry: 'US' }),
    connectAircall: () => ({ apiId: w.company.ids.apiId, apiToken: w.company.ids.apiToken }),
    putIntegration: () => ({ name: 'Probe', connectedNumbers: [1], defaultCountry: 'FR' }),
    setNumbers: () => ({ connectedNumbers: [1, 2] }),
    backfill: () => ({ from: 0, to: w.clock.now() + 86_400_000 }),
    retryWork: (r) =>
      r() % 3 === 0 ? {} : { integrationId: b.integrationId, kind: 'call', id: String(b.callIds[r() % 3]) },
    issueAgentToken: () => ({ aircallUserId: ALICE.id, label: 'probe' }),
    linkCall: (r) => ({
      crm: 'hubspot',
      objectType: 'contacts',
      recordId: b.recordIds[0],
      addNumber: r() % 2 === 0,
    }),
    addNote: () => ({ content: 'cross-company note' }),
    addTag: () => ({ tagId: 32 }),
    setOutcome: () => ({ outcomeId: 'f240bbac-87c9-4f6e-bf70-924b57d47db7' }),
    phoneFix: (r) => ({ apply: r() % 2 === 0 }),
    doctorPhoneRewrite: () => ({
      records: b.recordIds.map((recordId) => ({ objectType: 'contacts', recordId })),
    }),
    cardAddNote: () => ({ content: 'cross-company note from the card' }),
  };
  /** Routes that undo A's own setup: probed last, once per CRM. */
  const LAST = new Set(['deleteIntegration']);

  function paramNames(def: RouteDef): string[] {
    return [...def.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1] as string);
  }
  function queryNames(def: RouteDef): string[] {
    return def.query ? Object.keys(def.query.shape) : [];
  }

  function probeFor(name: string, r: () => number): Probe {
    const def = API[name as keyof typeof API] as RouteDef;
    const params = Object.fromEntries(
      paramNames(def).map((p) => [p, (PARAMS[p] as (r: () => number) => string)(r)]),
    );
    const query: Record<string, string> = {};
    if (def.auth !== 'hubspot')
      for (const k of queryNames(def))
        if (QUERY[k] && r() % 4 !== 0) query[k] = (QUERY[k] as (r: () => number) => string)(r);
    if (name === 'oauthCallback') Object.assign(query, { code: 'not-a-code', state: `not-a-state-${r()}` });
    if (name === 'backfillProgress')
      Object.assign(query, { from: '0', to: String(w.clock.now() + 86_400_000) });
    return {
      route: name,
      method: def.method,
      path: pathOf(def.path, params),
      query,
      ...(def.body ? { body: (BODIES[name] as (r: () => number) => unknown)(r) } : {}),
    };
  }

  async function send(p: Probe, r: () => number): Promise<Reply> {
    const def = API[p.route as keyof typeof API] as RouteDef;
    const qs = new URLSearchParams(p.query).toString();
    const url = `${w.backend.url}${p.path}${qs ? `?${qs}` : ''}`;
    if (def.auth === 'hubspot') {
      // A's HubSpot portal and A's agent (by email), signed as HubSpot signs the card's requests.
      const reply = await hubspotFetch({
        url,
        method: p.method as 'GET' | 'POST',
        ...(p.body === undefined ? {} : { body: p.body }),
        asker: { portalId: a.portalId, userId: 7001, userEmail: ALICE.email, appId: 1 },
        secret: DEMO_HUBSPOT_APP.clientSecret,
        now: w.clock.now(),
      });
      return { ...reply, text: JSON.stringify(reply.json) };
    }
    const token =
      def.auth === 'admin'
        ? ADMIN_TOKEN
        : def.auth === 'agent'
          ? [w.company.agentTokens.alice, w.company.agentTokens.bob][r() % 2]
          : null;
    return raw(url, {
      method: p.method,
      ...(p.body === undefined ? {} : { body: JSON.stringify(p.body) }),
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(p.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
    });
  }

  it('every route of the contract has a cross-company probe (a new route without one fails here)', () => {
    const missing: string[] = [];
    for (const [name, def] of Object.entries(API) as [string, RouteDef][]) {
      for (const p of paramNames(def))
        if (!PARAMS[p]) missing.push(`${name}: path parameter :${p} (add it to PARAMS)`);
      if (def.body && !BODIES[name]) missing.push(`${name}: a body naming B's objects (add it to BODIES)`);
      if (!['public', 'admin', 'agent', 'hubspot'].includes(def.auth))
        missing.push(`${name}: auth "${def.auth}" (teach send() to authenticate as company A)`);
      if (def.auth === 'public' && !PUBLIC[name])
        missing.push(`${name}: public route (say in PUBLIC why it holds no company's data)`);
      if (def.auth === 'admin' && !paramNames(def).includes('companyId') && !GLOBAL_ADMIN[name])
        missing.push(`${name}: admin route without :companyId (say in GLOBAL_ADMIN why it is backend-wide)`);
    }
    expect(missing).toEqual([]);
  });

  it(`${ROUTE_PROBES.toLocaleString('en')} randomised cross-company requests through every route: no row of B's is returned or changed`, async () => {
    const names = Object.keys(API).filter((n) => !LAST.has(n));
    const picks = fc.sample(fc.tuple(fc.constantFrom(...names), fc.infiniteStream(fc.nat())), {
      numRuns: ROUTE_PROBES,
      seed: 8383,
    });
    // Every route at least once, then the random draws; the routes that undo A's setup at the end.
    const plan: [string, () => number][] = [
      ...names.map((n, i): [string, () => number] => [n, seeded(i)]),
      ...picks.map(([n, stream]): [string, () => number] => {
        const it = stream[Symbol.iterator]();
        return [n, () => it.next().value as number];
      }),
      ...[...LAST].flatMap((n) => CRMS.map((_, i): [string, () => number] => [n, seeded(i)])),
    ];
    expect(plan.length).toBeGreaterThanOrEqual(1_000);

    const beforeStore = await snapshotB(w.db);
    const beforeOutside = await outsideB();
    const statuses = new Map<string, Map<number, number>>();
    const leaks: string[] = [];
    const changes: string[] = [];
    for (const [name, r] of plan) {
      const probe = probeFor(name, r);
      const reply = await send(probe, r);
      const byStatus = statuses.get(name) ?? new Map<number, number>();
      byStatus.set(reply.status, (byStatus.get(reply.status) ?? 0) + 1);
      statuses.set(name, byStatus);
      expect(reply.status, `${probe.method} ${probe.path}: ${reply.text}`).toBeLessThan(500);
      if (!MAY_NAME_B.has(name)) {
        const found = bLeaks(reply.json, JSON.stringify(probe));
        if (found.length) leaks.push(`${probe.method} ${probe.path} -> ${found.join(', ')}`);
      }
      if (probe.method !== 'GET' || name === 'oauthCallback') {
        const changed = changedTables(beforeStore, await snapshotB(w.db));
        if (changed.length)
          changes.push(
            `${probe.method} ${probe.path} ${JSON.stringify(probe.body)} changed B's ${changed.join(', ')}`,
          );
      }
    }
    await w.settle(30_000);
    expect(leaks.slice(0, 10)).toEqual([]);
    expect(changes.slice(0, 10)).toEqual([]);
    expect(changedTables(beforeStore, await snapshotB(w.db))).toEqual([]);
    // A's HubSpot integration was deleted last: back, for the store probes that name it.
    const restored = await w.admin('PUT', `/admin/companies/${a.companyId}/integrations/hubspot`, {
      name: 'HubSpot (sandbox)',
      connectedNumbers: [1],
      defaultCountry: 'FR',
    });
    expect(restored.status).toBe(200);
    const afterOutside = await outsideB();
    if (afterOutside !== beforeOutside)
      console.log('OUTSIDE BEFORE', beforeOutside, '\nOUTSIDE AFTER', afterOutside);
    expect(afterOutside).toBe(beforeOutside);
    console.log(
      `[measure] ${store}: ${plan.length} cross-company requests over ${statuses.size} routes; answers: ` +
        [...statuses].map(([n, s]) => `${n} ${[...s].map(([c, k]) => `${c}x${k}`).join('/')}`).join(', '),
    );
    expect(statuses.size).toBe(Object.keys(API).length);
  }, 300_000);

  // ---- store functions ----

  class Rollback extends Error {}

  /** Run `fn` in a transaction that is rolled back, with B's rows as they stand inside it. */
  async function inRollback(
    fn: (q: Queryable, db: Db) => Promise<unknown>,
  ): Promise<{ result: unknown; changed: string[] }> {
    const before = await snapshotB(w.db);
    let out: { result: unknown; changed: string[] } | null = null;
    try {
      await w.db.tx(async (q) => {
        // A Db over this transaction, for the functions that open their own (IntakeBatcher).
        const txDb: Db = {
          kind: w.db.kind,
          query: (s, p) => q.query(s, p),
          tx: (f) => f(q),
          commits: () => 0,
          close: async () => undefined,
        };
        const result = await fn(q, txDb);
        out = { result, changed: changedTables(before, await snapshotB(q)) };
        throw new Rollback();
      });
    } catch (err) {
      if (!(err instanceof Rollback)) throw err;
    }
    if (!out) throw new Error('the probe did not finish');
    return out;
  }

  type StoreCase = (q: Queryable, db: Db, r: () => number) => Promise<unknown>;
  const pick = <T>(xs: readonly T[], r: () => number): T => xs[r() % xs.length] as T;
  const bCall = (r: () => number) => ({ kind: 'call' as const, id: String(pick(b.callIds, r)) });
  const aItem = (r: () => number): WorkItem => ({
    integration_id: a.integrationId,
    subject_kind: 'call',
    subject_id: String(pick(b.callIds, r)),
    company_id: a.companyId,
    state: 'running',
    version: 1,
    run_after: 0,
    attempts: 1,
    lease_owner: 'probe',
    lease_until: null,
    last_error: null,
    backfill: null,
    first_failed_at: null,
    updated_at: 0,
  });
  const write = (r: () => number) => ({
    ref: pick(['activity', 'contact', 'note'], r),
    target: 'calls',
    fields: {},
  });
  const now = () => w.clock.now();
  const provider = (r: () => number) => pick(['aircall', ...CRMS] as const, r);
  const hubspotSettings = () => ({
    crm: 'hubspot',
    name: 'Probe',
    connectedNumbers: [1],
    defaultCountry: 'FR',
  });

  /** One probe per exported store function: A's company (or A's integration) with B's objects. */
  const STORE_CASES: Record<string, StoreCase> = {
    // companies.ts
    createCompany: (q) =>
      import('../../server/store/companies.ts').then((m) =>
        m.createCompany(q, { id: b.companyId, name: 'Taken', defaultCountry: 'US', now: now() }),
      ),
    getCompany: (q) => import('../../server/store/companies.ts').then((m) => m.getCompany(q, a.companyId)),
    setWebhook: (q) =>
      import('../../server/store/companies.ts').then((m) => m.setWebhook(q, a.companyId, 'hook', 'hash')),
    saveConnection: (q, _db, r) =>
      import('../../server/store/companies.ts').then((m) =>
        m.saveConnection(q, w.backend.svc.secrets, {
          companyId: a.companyId,
          provider: provider(r),
          credentials: { accessToken: 'x' },
          account: String(other.ids.portalId),
          now: now(),
        }),
      ),
    getConnection: (q, _db, r) =>
      import('../../server/store/companies.ts').then((m) =>
        m.getConnection(q, w.backend.svc.secrets, a.companyId, provider(r)),
      ),
    listConnections: (q) =>
      import('../../server/store/companies.ts').then((m) => m.listConnections(q, a.companyId)),
    markNeedsReconnection: (q, _db, r) =>
      import('../../server/store/companies.ts').then((m) =>
        m.markNeedsReconnection(q, a.companyId, provider(r), 'probe', now()),
      ),
    deleteConnection: (q, _db, r) =>
      import('../../server/store/companies.ts').then((m) => m.deleteConnection(q, a.companyId, provider(r))),
    getIntegration: (q) =>
      import('../../server/store/companies.ts').then((m) => m.getIntegration(q, a.integrationId)),
    integrationOf: (q, _db, r) =>
      import('../../server/store/companies.ts').then((m) => m.integrationOf(q, a.companyId, pick(CRMS, r))),
    listIntegrations: (q) =>
      import('../../server/store/companies.ts').then((m) => m.listIntegrations(q, a.companyId)),
    saveIntegration: async (q) => {
      const m = await import('../../server/store/companies.ts');
      const { integrationSettingsSchema } = await import('../../lib/logging/settings-union.ts');
      return m.saveIntegration(q, {
        companyId: a.companyId,
        crm: 'hubspot',
        settings: integrationSettingsSchema.parse(hubspotSettings()),
        now: now(),
      });
    },
    deleteIntegration: (q, _db, r) =>
      import('../../server/store/companies.ts').then((m) =>
        m.deleteIntegration(q, a.companyId, pick(CRMS, r)),
      ),
    saveReconciled: async (q) => {
      const m = await import('../../server/store/companies.ts');
      const { integrationSettingsSchema } = await import('../../lib/logging/settings-union.ts');
      return m.saveReconciled(
        q,
        a.integrationId,
        integrationSettingsSchema.parse(hubspotSettings()),
        [{ rule: 'X', message: 'probe', at: now() }],
        now(),
      );
    },
    // events.ts
    eventsOf: (q, _db, r) =>
      import('../../server/store/events.ts').then((m) => m.eventsOf(q, a.companyId, bCall(r))),
    // intake.ts: B's event recorded for A is A's event, and B's own is untouched.
    IntakeBatcher: async (_q, db, r) => {
      const m = await import('../../server/store/intake.ts');
      const body = pick(b.events, r) as unknown as Record<string, unknown>;
      const parsed = parseWebhook(body);
      if (!parsed.ok) throw new Error(parsed.message);
      const result = await new m.IntakeBatcher(db).record({
        companyId: a.companyId,
        event: parsed.event,
        body,
        now: now(),
      });
      // The subject echoes the event given; a "duplicate" would mean B's stored copy was seen.
      if (result.duplicate) throw new Error("B's event was taken for a duplicate of A's");
      return { duplicate: result.duplicate };
    },
    // tokens.ts
    issueAgentToken: (q) =>
      import('../../server/store/tokens.ts').then((m) =>
        m.issueAgentToken(q, { companyId: a.companyId, aircallUserId: ALICE.id, label: null, now: now() }),
      ),
    agentByToken: (q) =>
      import('../../server/store/tokens.ts').then((m) => m.agentByToken(q, w.company.agentTokens.alice)),
    listAgentTokens: (q) =>
      import('../../server/store/tokens.ts').then((m) => m.listAgentTokens(q, a.companyId)),
    revokeAgentToken: (q, _db, r) =>
      import('../../server/store/tokens.ts').then((m) =>
        m.revokeAgentToken(q, a.companyId, pick(b.tokenIds, r), now()),
      ),
    saveOauthState: (q, _db, r) =>
      import('../../server/store/tokens.ts').then((m) =>
        m.saveOauthState(q, `probe-${r()}`, a.companyId, 'hubspot', now()),
      ),
    takeOauthState: (q, _db, r) =>
      import('../../server/store/tokens.ts').then((m) => m.takeOauthState(q, `not-b-state-${r()}`, now())),
    // work.ts
    enqueueWork: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) =>
        m.enqueueWork(q, {
          integrationId: a.integrationId,
          companyId: a.companyId,
          subject: bCall(r),
          now: now(),
        }),
      ),
    holdLease: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) => m.holdLease(q, aItem(r), 'probe', now(), 1000)),
    finishWork: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) =>
        m.finishWork(q, aItem(r), 'probe', { state: 'done', now: now() }),
      ),
    retryOrFail: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) =>
        m.retryOrFail(q, aItem(r), 'probe', {
          retry: true,
          waitMs: 0,
          error: 'probe',
          now: now(),
          retryForMs: 60_000,
        }),
      ),
    pauseWork: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) => m.pauseWork(q, aItem(r), 'probe', 'probe', now())),
    resumePaused: (q) =>
      import('../../server/store/work.ts').then((m) => m.resumePaused(q, a.companyId, now())),
    wakeRetrying: (q) =>
      import('../../server/store/work.ts').then((m) => m.wakeRetrying(q, a.integrationId, now())),
    retryFailed: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) =>
        r() % 3 === 0
          ? m.retryFailed(q, a.companyId, now())
          : m.retryFailed(q, a.companyId, now(), { integrationId: b.integrationId, ...bCall(r) }),
      ),
    listWork: (q, _db, r) =>
      import('../../server/store/work.ts').then((m) =>
        m.listWork(q, a.companyId, r() % 2 ? 'failed' : undefined),
      ),
    // call-search.ts
    searchCalls: (q, _db, r) =>
      import('../../server/store/call-search.ts').then((m) =>
        m.searchCalls(
          q,
          a.companyId,
          pick([{ callId: bCall(r).id }, { numberSuffix: pick(b.externals, r).slice(-6) }, {}], r),
          null,
          50,
        ),
      ),
    workOfCalls: (q) =>
      import('../../server/store/call-search.ts').then((m) =>
        m.workOfCalls(q, a.companyId, b.callIds.map(String)),
      ),
    backfillCounts: (q) =>
      import('../../server/store/call-search.ts').then((m) =>
        m.backfillCounts(q, a.integrationId, { from: 0, to: now() + 86_400_000 }),
      ),
    // writes.ts
    writesOf: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) => m.writesOf(q, a.integrationId, bCall(r))),
    recordIntent: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) =>
        m.recordIntent(q, a.integrationId, bCall(r), write(r) as never, `probe-${r()}`, now()),
      ),
    recordWritten: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) =>
        m.recordWritten(q, a.integrationId, bCall(r), write(r) as never, {
          crmId: '1',
          key: `probe-${r()}`,
          links: [],
          now: now(),
        }),
      ),
    saveLogged: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) =>
        m.saveLogged(q, {
          integration_id: a.integrationId,
          subject_kind: 'call',
          subject_id: bCall(r).id,
          company_id: a.companyId,
          outcome: 'skip',
          record_id: null,
          record_kind: null,
          unmatched: false,
          trace: [],
          external_e164: null,
          agent_user_id: null,
          started_at: null,
          summary: null,
          updated_at: now(),
        } as never),
      ),
    loggedOf: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) => m.loggedOf(q, a.companyId, bCall(r))),
    choiceOf: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) => m.choiceOf(q, a.integrationId, bCall(r))),
    saveChoice: (q, _db, r) =>
      import('../../server/store/writes.ts').then((m) =>
        m.saveChoice(
          q,
          a.integrationId,
          bCall(r),
          { outcome_id: 'probe', linked_record: { id: '1', kind: 'contact' } },
          now(),
        ),
      ),
  };
  /** Exports that touch no company's rows, or every company's by design: why each. */
  const STORE_EXEMPT: Record<string, string> = {
    listCompanies: "the operator's list of every company (listCompanies route)",
    claimWork: 'the workers serve every company: claiming due work across companies is the queue',
    workCounts: 'backend-wide counts per state, for readiness (numbers only)',
    subjectOf: 'pure: reads an event',
    dedupeKey: 'pure: hashes an event',
    existingOf: 'pure: reshapes rows already read',
    openDb: 'opens the store',
    openEmbedded: 'opens the store',
    openPostgres: 'opens the store',
    migrate: 'schema migrations',
    Secrets: 'encryption, no store access',
    sha256: 'hashing, no store access',
    sameSecret: 'comparison, no store access',
    newToken: 'random token, no store access',
  };

  async function storeExports(): Promise<Map<string, string>> {
    const out = new Map<string, string>();
    for (const file of readdirSync(STORE_DIR).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts'))) {
      const mod = (await import(join(STORE_DIR, file))) as Record<string, unknown>;
      for (const [name, value] of Object.entries(mod)) if (typeof value === 'function') out.set(name, file);
    }
    return out;
  }

  it('every exported store function has a cross-company probe or a stated reason (a new one without either fails here)', async () => {
    const exported = await storeExports();
    const missing = [...exported]
      .filter(([name]) => !STORE_CASES[name] && !STORE_EXEMPT[name])
      .map(([name, file]) => `${file}: ${name}`);
    expect(
      missing,
      'add a probe to STORE_CASES (A’s company, B’s objects) or a reason to STORE_EXEMPT',
    ).toEqual([]);
    const stale = [...Object.keys(STORE_CASES), ...Object.keys(STORE_EXEMPT)].filter((n) => !exported.has(n));
    expect(stale, 'probes for functions the store no longer exports').toEqual([]);
  });

  it(`${STORE_PROBES.toLocaleString('en')} randomised cross-company calls of every store function: no row of B's is returned or changed`, async () => {
    const names = Object.keys(STORE_CASES);
    const picks = fc.sample(fc.tuple(fc.constantFrom(...names), fc.infiniteStream(fc.nat())), {
      numRuns: STORE_PROBES,
      seed: 8384,
    });
    const plan: [string, () => number][] = [
      ...names.map((n, i): [string, () => number] => [n, seeded(i)]),
      ...picks.map(([n, stream]): [string, () => number] => {
        const it = stream[Symbol.iterator]();
        return [n, () => it.next().value as number];
      }),
    ];
    expect(plan.length).toBeGreaterThanOrEqual(1_000);
    const leaks: string[] = [];
    const changes: string[] = [];
    const counts = new Map<string, number>();
    for (const [name, r] of plan) {
      const { result, changed } = await inRollback((q, db) => (STORE_CASES[name] as StoreCase)(q, db, r));
      counts.set(name, (counts.get(name) ?? 0) + 1);
      const found = bLeaks(result);
      if (found.length) leaks.push(`${name} returned ${found.join(', ')}`);
      if (changed.length) changes.push(`${name} changed B's ${changed.join(', ')}`);
    }
    expect(leaks.slice(0, 10)).toEqual([]);
    expect(changes.slice(0, 10)).toEqual([]);
    expect(counts.size).toBe(names.length);
    console.log(`[measure] ${store}: ${plan.length} cross-company store calls over ${counts.size} functions`);
  }, 300_000);

  it('the probes can see B when asked as B (the checks above are not vacuous)', async () => {
    const { loggedOf } = await import('../../server/store/writes.ts');
    const { eventsOf } = await import('../../server/store/events.ts');
    const subject = { kind: 'call' as const, id: String(b.callIds[0]) };
    expect(bLeaks(await loggedOf(w.db, b.companyId, subject)).length).toBeGreaterThan(0);
    expect((await eventsOf(w.db, b.companyId, subject)).length).toBeGreaterThan(0);
    const asB = await raw(`${w.backend.url}/v1/calls/${b.callIds[0]}`, {
      method: 'GET',
      headers: { authorization: `Bearer ${other.agentTokens.alice}` },
    });
    expect(asB.status).toBe(200);
    expect(bLeaks(asB.json).length).toBeGreaterThan(0);
    const trace = await w.admin('GET', `/admin/companies/${b.companyId}/calls/${b.callIds[0]}`);
    expect(trace.status).toBe(200);
  });
});

/** A small deterministic stream of numbers, for the first probe of each route or function. */
function seeded(seed: number): () => number {
  let x = seed + 1;
  return () => {
    x = (x * 1_103_515_245 + 12_345) % 2_147_483_648;
    return x;
  };
}
