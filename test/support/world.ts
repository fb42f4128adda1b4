/**
 * An end-to-end world for one test file: the sandbox (Aircall and HubSpot
 * simulators), the backend on a real store (embedded PGlite, or a fresh
 * PostgreSQL database), real HTTP between them, and helpers to play
 * scenarios and read HubSpot back through its own API.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import { type Backend, startBackend } from '../../server/app.ts';
import { SettableClock } from '../../server/clock.ts';
import { configFrom } from '../../server/config.ts';
import { type Db, openDb } from '../../server/store/db.ts';
import { workCounts } from '../../server/store/work.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import {
  type Connected,
  connectDemoCompany,
  DEMO_CRMS,
  demoIds,
  readToken,
  sandboxEnv,
} from '../../sandbox/demo.ts';
import { type Sandbox, sandboxUrls, startSandbox } from '../../sandbox/start.ts';

export { sandboxUrls };

export type StoreKind = 'embedded' | 'postgres';

/** Both stores by default; `TEST_STORES=embedded` narrows it for a quick local run. */
export const STORES: StoreKind[] = (process.env.TEST_STORES?.split(',') as StoreKind[] | undefined) ?? [
  'embedded',
  'postgres',
];

export const PG_ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
export const ADMIN_TOKEN = 'admin-token-for-tests-0123456789';
export const SECRET_KEY = randomBytes(32).toString('base64');

/** A fresh PostgreSQL database for one world, dropped at the end. */
export async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `t_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** A fresh store of this kind, migrated, outside any world (tests of the store itself). */
export async function freshStore(store: StoreKind): Promise<{ db: Db; close(): Promise<void> }> {
  const pgdb = store === 'postgres' ? await freshPostgres() : null;
  const db = await openDb({ databaseUrl: pgdb?.url ?? null, dataDir: null });
  return {
    db,
    async close() {
      await db.close();
      await pgdb?.drop();
    },
  };
}

/** The backend's environment against this sandbox (tests' secrets, fast polling). */
export function backendEnv(sandbox: Sandbox, extra: Record<string, string> = {}): Record<string, string> {
  return {
    PORT: '0',
    SECRET_KEY,
    ADMIN_TOKEN,
    ...sandboxEnv(sandboxUrls(sandbox)),
    POLL_MS: '50',
    ...extra,
  };
}

export interface World {
  sandbox: Sandbox;
  backend: Backend;
  db: Db;
  clock: SettableClock;
  company: Connected;
  /** Backend admin API. */
  admin(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Backend agent API, as Alice (default) or Bob. */
  agent(
    method: string,
    path: string,
    body?: unknown,
    who?: 'alice' | 'bob',
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** HubSpot's REST API, read back with the portal's private app token. */
  hubspot(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Salesforce's REST API under `/services/data/v60.0`, read back with the demo org's read token. */
  salesforce(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** JobAdder's API under the demo account's api base (`/v2`), read back with its read token. */
  jobadder(
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Play a scenario through the Aircall simulator (webhooks to the backend). */
  play(body: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Time passes for everyone: the backend and both simulators. */
  advance(ms: number): Promise<void>;
  /** Add to the demo company's Aircall company (seed body of sandbox/aircall/seed.ts, without `id`). */
  seedAircall(company: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Add to the demo company's HubSpot portal (seed body of sandbox/hubspot/seed.ts, without `portalId`). */
  seedHubspot(portal: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Add to the demo Salesforce org (an org of sandbox/salesforce/seed.ts, without `orgId`). */
  seedSalesforce(org: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Add to the demo JobAdder account (an account of sandbox/jobadder/seed.ts, without `accountId`). */
  seedJobadder(account: Record<string, unknown>): Promise<{ status: number; json: Record<string, unknown> }>;
  /** Wait until Aircall's deliveries are done and the backend's queue is idle. */
  settle(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

async function http(base: string, token: string | null, method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json };
}

export async function startWorld(opts: {
  store: StoreKind;
  /** The CRM the demo company is connected to (default HubSpot); `settings` are its integration's. */
  crm?: Crm;
  settings?: Record<string, unknown>;
  n?: number;
  env?: Record<string, string>;
  /** Keep HubSpot's published rate limits (default: raised, see below). */
  realLimits?: boolean;
  /** Capture the backend's log (test/trust/logs.test.ts checks no secret is written). */
  logStream?: DestinationStream;
}): Promise<World> {
  const sandbox = await startSandbox();
  const pgdb = opts.store === 'postgres' ? await freshPostgres() : null;
  const db = await openDb({ databaseUrl: pgdb?.url ?? null, dataDir: null });
  const clock = new SettableClock();
  const config = configFrom(
    backendEnv(sandbox, { LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent', ...opts.env }),
  );
  const backend = await startBackend(config, {
    clock,
    db,
    ...(opts.logStream ? { logStream: opts.logStream } : {}),
  });
  const ids = demoIds(opts.n ?? 1);
  if (!opts.realLimits) {
    // Tests read HubSpot back through its API on the portal's budget, which the backend
    // shares; HubSpot's limits are proven in the simulator's and reliability tests, so
    // here they are raised so the reads never throttle the backend (or themselves).
    const r = await http(sandbox.hubspot.url, null, 'POST', '/_sandbox/limits', {
      tenSecondly: 10_000,
      searchPerSecond: 1_000,
    });
    if (r.status !== 200) throw new Error(`HubSpot simulator refused limits: ${JSON.stringify(r.json)}`);
  }
  const company = await connectDemoCompany({
    backendUrl: backend.url,
    adminToken: ADMIN_TOKEN,
    urls: sandboxUrls(sandbox),
    ids,
    crms: { [opts.crm ?? 'hubspot']: opts.settings ?? {} },
  });

  const world: World = {
    sandbox,
    backend,
    db,
    clock,
    company,
    admin: (m, p, b) => http(backend.url, ADMIN_TOKEN, m, p, b),
    agent: (m, p, b, who = 'alice') => http(backend.url, company.agentTokens[who], m, p, b),
    hubspot: (m, p, b) => http(sandbox.hubspot.url, readToken(ids), m, p, b),
    salesforce: (m, p, b) =>
      http(`${sandbox.salesforce.url}/services/data/v60.0`, DEMO_CRMS.salesforce.readToken(ids), m, p, b),
    jobadder: (m, p, b) => http(`${sandbox.jobadder.url}/v2`, DEMO_CRMS.jobadder.readToken(ids), m, p, b),
    async play(body) {
      const r = await http(sandbox.aircall.url, null, 'POST', '/_sandbox/scenarios/play', {
        company: ids.aircallCompanyId,
        ...body,
      });
      if (r.status >= 400) throw new Error(`play failed: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json;
    },
    seedAircall: (company) =>
      http(sandbox.aircall.url, null, 'POST', '/_sandbox/seed', {
        companies: [{ id: ids.aircallCompanyId, ...company }],
      }),
    seedHubspot: (portal) =>
      http(sandbox.hubspot.url, null, 'POST', '/_sandbox/seed', {
        portals: [{ portalId: ids.portalId, ...portal }],
      }),
    seedSalesforce: (org) =>
      http(sandbox.salesforce.url, null, 'POST', '/_sandbox/seed', {
        orgs: [{ orgId: ids.salesforceOrgId, ...org }],
      }),
    seedJobadder: (account) =>
      http(sandbox.jobadder.url, null, 'POST', '/_sandbox/seed', {
        accounts: [{ accountId: ids.jobadderAccountId, ...account }],
      }),
    async advance(ms) {
      clock.set(clock.now() + ms);
      for (const sim of Object.values(sandboxUrls(sandbox))) {
        const r = await http(sim, null, 'POST', '/_sandbox/clock', { advanceMs: ms });
        if (r.status !== 200) throw new Error(`${sim} refused to move its clock: ${JSON.stringify(r.json)}`);
      }
    },
    async settle(timeoutMs = 15_000) {
      const end = Date.now() + timeoutMs;
      for (;;) {
        await sandbox.aircall.sim.flush();
        const counts = await workCounts(db);
        const now = clock.now();
        const due = await db.query<{ n: number }>(
          `select count(*)::int as n from work where state = 'running' or (state = 'pending' and run_after <= $1)`,
          [now],
        );
        if ((due[0]?.n ?? 0) === 0) return;
        if (Date.now() > end) throw new Error(`work did not settle: ${JSON.stringify(counts)}`);
        await new Promise((r) => setTimeout(r, 40));
      }
    },
    async close() {
      await backend.close();
      await db.close();
      await sandbox.close();
      await pgdb?.drop();
    },
  };
  return world;
}
