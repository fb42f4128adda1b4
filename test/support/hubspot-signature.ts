/**
 * Requests as HubSpot sends them for an app card's `hubspot.fetch`: the
 * account, user and app appended to the URL as query parameters, and signed
 * with the app's client secret (signature v3, developers.hubspot.com/docs/
 * apps/developer-platform/build-apps/authentication/request-validation):
 * base64 HMAC SHA-256 of method + URI (with %3A %2F %3F %40 %21 %24 %27 %28
 * %29 %2A %2C %3B decoded) + body + timestamp, in X-HubSpot-Signature-v3,
 * the timestamp (ms) in X-HubSpot-Request-Timestamp.
 *
 * Written from HubSpot's doc, independently of the backend's verifier
 * (server/http/card-auth.ts), so a mistake in one is not mirrored in the other.
 */
import { createHmac } from 'node:crypto';

/** Who HubSpot says is asking (appended to every hubspot.fetch URL). */
export interface HubspotAsker {
  portalId: number;
  userId: number;
  userEmail: string;
  appId: number;
}

const DECODE: [RegExp, string][] = [
  [/%3A/gi, ':'],
  [/%2F/gi, '/'],
  [/%3F/gi, '?'],
  [/%40/gi, '@'],
  [/%21/gi, '!'],
  [/%24/gi, '$'],
  [/%27/gi, "'"],
  [/%28/gi, '('],
  [/%29/gi, ')'],
  [/%2A/gi, '*'],
  [/%2C/gi, ','],
  [/%3B/gi, ';'],
];

export function signV3(secret: string, method: string, url: string, body: string, timestamp: number): string {
  let uri = url;
  for (const [from, to] of DECODE) uri = uri.replace(from, to);
  return createHmac('sha256', secret).update(`${method}${uri}${body}${timestamp}`, 'utf8').digest('base64');
}

/** The URL HubSpot calls: the card's URL with the asker appended. */
export function hubspotUrl(url: string, asker: Partial<HubspotAsker>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(asker)) if (v !== undefined) u.searchParams.set(k, String(v));
  return u.toString();
}

export interface SignedReply {
  status: number;
  json: Record<string, unknown>;
}

/**
 * One request as HubSpot makes it for `hubspot.fetch(url, { method, body })`.
 * `tamper` changes what is sent after signing (a wrong secret, an old clock,
 * a changed body...), for the refusal tests.
 */
export async function hubspotFetch(opts: {
  url: string;
  method?: 'GET' | 'POST';
  body?: unknown;
  asker: Partial<HubspotAsker>;
  secret: string;
  /** HubSpot's clock, ms. */
  now: number;
  tamper?: { secret?: string; timestamp?: number; sentBody?: string; unsigned?: boolean };
}): Promise<SignedReply> {
  const method = opts.method ?? 'GET';
  const url = hubspotUrl(opts.url, opts.asker);
  const body = opts.body === undefined ? '' : JSON.stringify(opts.body);
  const timestamp = opts.tamper?.timestamp ?? opts.now;
  const signature = signV3(opts.tamper?.secret ?? opts.secret, method, url, body, timestamp);
  const sent = opts.tamper?.sentBody ?? body;
  const res = await fetch(url, {
    method,
    headers: {
      ...(opts.tamper?.unsigned
        ? {}
        : { 'X-HubSpot-Signature-v3': signature, 'X-HubSpot-Request-Timestamp': String(timestamp) }),
      ...(sent === '' ? {} : { 'content-type': 'application/json' }),
    },
    ...(sent === '' ? {} : { body: sent }),
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
