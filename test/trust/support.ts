/** Helpers of the trust tests (issue 8 "Bad input and trust"): raw HTTP and the Aircall webhook token. */
import { expect } from 'vitest';
import { apiErrorSchema } from '../../lib/api/errors.ts';
import type { World } from '../support/world.ts';

export interface Reply {
  status: number;
  json: Record<string, unknown>;
  text: string;
}

/** One request with a raw body and chosen headers (the world's helpers always send valid JSON). */
export async function raw(
  url: string,
  init: { method?: string; body?: BodyInit; headers?: Record<string, string> } = {},
): Promise<Reply> {
  const res = await fetch(url, {
    method: init.method ?? 'POST',
    headers: init.headers ?? { 'content-type': 'application/json' },
    ...(init.body === undefined ? {} : { body: init.body }),
    ...(init.body instanceof ReadableStream ? { duplex: 'half' } : {}),
  } as RequestInit);
  const text = await res.text();
  let json: Record<string, unknown>;
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = { text };
  }
  return { status: res.status, json, text };
}

/** POST a JSON body. */
export const post = (url: string, body: unknown, headers: Record<string, string> = {}) =>
  raw(url, { body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } });

/** The reply is the one error shape with this status; returns the error. */
export function errorOf(r: Reply, status: number, code?: string) {
  expect(r.status, r.text).toBe(status);
  const parsed = apiErrorSchema.safeParse(r.json);
  expect(parsed.success, r.text).toBe(true);
  if (!parsed.success) throw new Error('not the error shape');
  if (code) expect(parsed.data.error.code, r.text).toBe(code);
  return parsed.data.error;
}

/** The token Aircall signs this company's webhooks with, as Aircall's API shows it (API-CONTRACTS 1.3). */
export async function aircallWebhookToken(
  w: World,
  ids: { companyId: string; apiId: string; apiToken: string } = w.company.ids,
): Promise<string> {
  const auth = `Basic ${Buffer.from(`${ids.apiId}:${ids.apiToken}`).toString('base64')}`;
  const hooks = await raw(`${w.sandbox.aircall.url}/v1/webhooks`, {
    method: 'GET',
    headers: { authorization: auth },
  });
  const mine = (hooks.json.webhooks as { url: string; token: string }[] | undefined)?.findLast((h) =>
    h.url.endsWith(`/webhooks/aircall/${ids.companyId}`),
  );
  if (!mine) throw new Error(`no webhook registered for ${ids.companyId}: ${hooks.text}`);
  return mine.token;
}

/** Rows of a table, for "did it change?" checks. */
export async function countRows(w: World, table: string, companyId?: string): Promise<number> {
  const rows = await w.db.query<{ n: number }>(
    `select count(*)::int as n from ${table}${companyId ? ' where company_id = $1' : ''}`,
    companyId ? [companyId] : [],
  );
  return rows[0]?.n ?? -1;
}

/**
 * A loopback relay to the backend that counts the writes (POST, PUT, DELETE) it forwards: what the
 * extension asked the backend to do. Reads are left out: the panel refreshes on its own.
 */
export async function countingRelay(
  target: string,
): Promise<{ url: string; count(): number; close(): Promise<void> }> {
  const { createServer } = await import('node:http');
  let n = 0;
  const server = createServer((req, res) => {
    if (req.method !== 'GET') n += 1;
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const headers = Object.fromEntries(
        Object.entries(req.headers).filter(
          ([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'connection',
        ),
      ) as Record<string, string>;
      const upstream = await fetch(`${target}${req.url ?? '/'}`, {
        method: req.method ?? 'GET',
        headers,
        ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
      });
      res.writeHead(upstream.status, {
        'content-type': upstream.headers.get('content-type') ?? 'application/json',
      });
      res.end(Buffer.from(await upstream.arrayBuffer()));
    })().catch((err: Error) => res.writeHead(502).end(err.message));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    count: () => n,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
