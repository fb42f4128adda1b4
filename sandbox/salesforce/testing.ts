/**
 * Helpers for tests that talk to the Salesforce simulator over real HTTP.
 */
import { KEY_PREFIXES, ORG_PREFIX, makeId } from './ids.ts';
import type { SeedResult } from './seed.ts';
import { type SalesforceSimulator, startSalesforceSimulator } from './server.ts';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON answered when it is an object or array ({} otherwise), typed loosely for `expect`. */
  body: Record<string, unknown> & unknown[];
  text: string;
}

/** A minimal HTTP caller with a Bearer token (null: none). */
export function caller(url: string, token: string | null) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(url + path, {
      method,
      redirect: 'manual',
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    const out: Record<string, string> = {};
    res.headers.forEach((v, k) => (out[k] = v));
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return {
      status: res.status,
      headers: out,
      body: (json && typeof json === 'object' ? json : {}) as HttpAnswer['body'],
      text,
    } satisfies HttpAnswer;
  };
  return {
    get: (path: string) => call('GET', path),
    post: (path: string, body: unknown, headers?: Record<string, string>) =>
      call('POST', path, body, headers),
    patch: (path: string, body: unknown) => call('PATCH', path, body),
    del: (path: string) => call('DELETE', path),
  };
}

/** The REST root tests use (any version >= 42.0 is served). */
export const V = '/services/data/v60.0';
export const ORG_ID = makeId(ORG_PREFIX, 4242);
export const ADMIN_ID = makeId(KEY_PREFIXES.User, 900_001);
export const AGENT_ID = makeId(KEY_PREFIXES.User, 900_002);
export const TOKEN = 'sf-read-token-4242';

/** `encodeURIComponent` for `?q=` (SOQL/SOSL text). */
export const q = (text: string) => encodeURIComponent(text);

/**
 * Starts a simulator on port 0; `reset` clears it and seeds one org (an
 * admin API user, an agent, a read token) plus whatever `org` adds (its
 * `users` come after those two).
 */
export async function startTestSalesforce(): Promise<{
  url: string;
  sim: SalesforceSimulator;
  close(): Promise<void>;
  reset(org?: Record<string, unknown>): Promise<SeedResult['orgs'][number]>;
}> {
  const started = await startSalesforceSimulator();
  const admin = caller(started.url, null);
  return {
    ...started,
    async reset(org = {}) {
      await admin.post('/_sandbox/reset', {});
      const seeded = await admin.post('/_sandbox/seed', {
        orgs: [
          {
            orgId: ORG_ID,
            readTokens: [TOKEN],
            ...org,
            users: [
              { Id: ADMIN_ID, FirstName: 'Ann', LastName: 'Admin', Email: 'ann@acme.test' },
              { Id: AGENT_ID, FirstName: 'Bob', LastName: 'Agent', Email: 'bob@acme.test', admin: false },
              ...((org.users as unknown[] | undefined) ?? []),
            ],
          },
        ],
      });
      if (seeded.status !== 200) throw new Error(`seed refused: ${seeded.text}`);
      const result = seeded.body.orgs as SeedResult['orgs'];
      const first = result[0];
      if (!first) throw new Error('seed answered no org');
      return first;
    },
  };
}
