/**
 * Helpers for tests that talk to the HubSpot simulator over real HTTP.
 */
import { type HubspotSimulator, startHubspotSimulator } from './server.ts';

export interface HttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** The JSON object answered ({} when the body is not a JSON object). */
  body: Record<string, unknown>;
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
    put: (path: string, body?: unknown) => call('PUT', path, body),
    del: (path: string) => call('DELETE', path),
  };
}

export const PORTAL_ID = 4242;
export const TOKEN = 'pat-na1-test-4242';

/** Starts a simulator on port 0; `reset` clears it and seeds one portal with a private app token. */
export async function startTestHubspot(): Promise<{
  url: string;
  sim: HubspotSimulator;
  close(): Promise<void>;
  reset(portal?: Record<string, unknown>): Promise<void>;
}> {
  const started = await startHubspotSimulator();
  const admin = caller(started.url, null);
  return {
    ...started,
    async reset(portal = {}) {
      await admin.post('/_sandbox/reset', {});
      const seeded = await admin.post('/_sandbox/seed', {
        portals: [{ portalId: PORTAL_ID, privateAppTokens: [TOKEN], ...portal }],
      });
      if (seeded.status !== 200) throw new Error(`seed refused: ${seeded.text}`);
    },
  };
}

/** An association spec of API-CONTRACTS 2.3. */
export function hs(typeId: number) {
  return { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId };
}
