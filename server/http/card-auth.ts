/**
 * Auth 'hubspot' (lib/api/route.ts): the HubSpot app card (hubspot-app/)
 * calls this backend with `hubspot.fetch`, which cannot carry our bearer
 * tokens ("hubspot.fetch() does not support request and response headers.
 * The HubSpot signature must be used to perform authentication/authorization
 * in your back-end", developers.hubspot.com/docs/apps/developer-platform/
 * add-features/ui-extensibility/fetching-data). So a request is accepted when:
 *
 * 1. HubSpot signed it with the app's client secret (HUBSPOT_CLIENT_SECRET,
 *    the same app as OAuth): signature v3, developers.hubspot.com/docs/apps/
 *    developer-platform/build-apps/authentication/request-validation:
 *    "Reject the request if the timestamp is older than 5 minutes"; decode
 *    %3A %2F %3F %40 %21 %24 %27 %28 %29 %2A %2C %3B in the request URI;
 *    HMAC SHA-256 of `requestMethod + requestUri + requestBody + timestamp`
 *    (utf-8) keyed with the client secret, base64; compare with
 *    X-HubSpot-Signature-v3. The URI is the full one HubSpot called, so it is
 *    rebuilt from PUBLIC_URL (the URL the card's permittedUrls name).
 * 2. The portal HubSpot names (`portalId`, appended by HubSpot to the URL, so
 *    signed) is the HubSpot account a company connected (connections.account).
 * 3. That company has an Aircall user with the HubSpot user's email
 *    (`userEmail`), compared case-insensitively (GEN-EMAIL-1): the card then
 *    acts as that agent, exactly as an agent token would.
 *
 * `appId` needs no comparison of its own: only the app holding the client
 * secret can produce the signature, and the signature covers the URL.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AircallUser } from '../../lib/aircall/schemas.ts';
import { ApiError } from '../../lib/api/errors.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import { normaliseEmail } from '../../lib/logging/users.ts';
import type { Services } from '../services.ts';
import type { AgentToken } from '../store/tokens.ts';

/** "Reject the request if the timestamp is older than 5 minutes" (request-validation, v3). */
export const MAX_REQUEST_AGE_MS = 5 * 60_000;
/** Aircall users are read at most once a minute per company for the card's requests. */
const USERS_TTL_MS = 60_000;

/** The encoded characters HubSpot's v3 validation decodes in the request URI (and only those). */
const DECODED: Record<string, string> = {
  '%3A': ':',
  '%2F': '/',
  '%3F': '?',
  '%40': '@',
  '%21': '!',
  '%24': '$',
  '%27': "'",
  '%28': '(',
  '%29': ')',
  '%2A': '*',
  '%2C': ',',
  '%3B': ';',
};

/** The v3 signature of a request, as HubSpot computes it (see the file comment). */
export function hubspotSignatureV3(
  secret: string,
  req: { method: string; uri: string; body: string; timestamp: string },
): string {
  const uri = req.uri.replace(
    /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi,
    (m) => DECODED[m.toUpperCase()] ?? m,
  );
  return createHmac('sha256', secret)
    .update(`${req.method.toUpperCase()}${uri}${req.body}${req.timestamp}`, 'utf8')
    .digest('base64');
}

/** The raw JSON body of the card's routes, kept for the signature (registered by keepRawBody). */
interface WithRawBody {
  rawBody?: string;
}

/**
 * In the card routes' own Fastify scope (content-type parsers are scoped to
 * it), JSON bodies are kept as received: the signature covers the exact
 * bytes HubSpot sent, not a re-serialisation of the parsed object.
 */
export function keepRawBody(scope: FastifyInstance): void {
  scope.removeContentTypeParser('application/json');
  scope.addContentTypeParser('application/json', { parseAs: 'string' }, (req, body, done) => {
    const text = String(body);
    (req as WithRawBody).rawBody = text;
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(Object.assign(err as Error, { statusCode: 400 }), undefined);
    }
  });
}

const unsigned = (message: string, fix: string) => new ApiError(401, 'unauthorized', message, { fix });

/** Step 1: the request is HubSpot's, fresh, for this app. */
function verifySignature(svc: Services, req: FastifyRequest): void {
  const secret = svc.config.HUBSPOT_CLIENT_SECRET;
  if (!secret) {
    throw new ApiError(503, 'hubspot_card_not_configured', 'This backend has no HUBSPOT_CLIENT_SECRET.', {
      fix: 'Set HUBSPOT_CLIENT_SECRET to the client secret of the HubSpot app that holds the card, and restart the backend.',
    });
  }
  const signature = req.headers['x-hubspot-signature-v3'];
  const timestamp = req.headers['x-hubspot-request-timestamp'];
  if (typeof signature !== 'string' || typeof timestamp !== 'string') {
    throw unsigned(
      'This route only answers requests HubSpot signed (X-HubSpot-Signature-v3 and X-HubSpot-Request-Timestamp are missing).',
      'Call it from the HubSpot app card with hubspot.fetch; HubSpot signs the request.',
    );
  }
  if (!/^\d+$/.test(timestamp)) {
    throw unsigned(
      `X-HubSpot-Request-Timestamp "${timestamp}" is not a time in milliseconds.`,
      'Call this route from the HubSpot app card with hubspot.fetch; HubSpot sets the timestamp.',
    );
  }
  const age = svc.clock.now() - Number(timestamp);
  if (age > MAX_REQUEST_AGE_MS || age < -MAX_REQUEST_AGE_MS) {
    throw unsigned(
      `The request's HubSpot timestamp (${timestamp}) is more than 5 minutes ${age < 0 ? 'ahead of' : 'older than'} this backend's clock: it is refused as a possible replay.`,
      "Reload the card to send a new request; if it keeps failing, check this server's clock (NTP).",
    );
  }
  const expected = hubspotSignatureV3(secret, {
    method: req.method,
    uri: `${svc.publicUrl.replace(/\/+$/, '')}${req.url}`,
    body: (req as WithRawBody).rawBody ?? '',
    timestamp,
  });
  const given = Buffer.from(signature);
  const wanted = Buffer.from(expected);
  if (given.length !== wanted.length || !timingSafeEqual(given, wanted)) {
    throw unsigned(
      'The HubSpot signature (X-HubSpot-Signature-v3) does not match this request.',
      "Check that HUBSPOT_CLIENT_SECRET is the client secret of the card's HubSpot app, and that PUBLIC_URL is the backend URL the card fetches (the signature covers the full URL).",
    );
  }
}

/** One value of a query parameter HubSpot appends, or a 401 naming it. */
function appended(req: FastifyRequest, name: 'portalId' | 'userId' | 'userEmail' | 'appId'): string {
  const value = (req.query as Record<string, unknown> | undefined)?.[name];
  const ok = typeof value === 'string' && (name === 'userEmail' ? value.includes('@') : /^\d+$/.test(value));
  if (!ok) {
    throw unsigned(
      `The request lacks a valid \`${name}\`: HubSpot appends portalId, userId, userEmail and appId to every hubspot.fetch URL.`,
      'Call this route from the HubSpot app card with hubspot.fetch, not directly.',
    );
  }
  return value;
}

/** The company's Aircall users, read at most once a minute per backend and company. */
const usersCache = new WeakMap<Services, Map<string, { at: number; users: AircallUser[] }>>();

async function aircallUsers(svc: Services, companyId: string): Promise<AircallUser[] | null> {
  let cache = usersCache.get(svc);
  if (!cache) usersCache.set(svc, (cache = new Map()));
  const hit = cache.get(companyId);
  const now = svc.clock.now();
  if (hit && now - hit.at < USERS_TTL_MS) return hit.users;
  const aircall = await svc.aircall(companyId);
  if (!aircall) return null;
  try {
    const users = await aircall.listUsers();
    cache.set(companyId, { at: now, users });
    return users;
  } catch (err) {
    if (err instanceof VendorError) {
      throw new ApiError(502, 'aircall_error', `Reading the Aircall users failed: ${err.message}`, {
        fix: 'Try again in a moment.',
      });
    }
    throw err;
  }
}

/** The Aircall user a card request acts as (read within the minute by hubspotCaller, so no new Aircall request). */
export async function aircallUserOf(svc: Services, agent: AgentToken): Promise<AircallUser | null> {
  const users = await aircallUsers(svc, agent.company_id);
  return users?.find((u) => u.id === agent.aircall_user_id) ?? null;
}

/**
 * The agent a HubSpot-signed request acts as (steps 2 and 3 above), shaped as
 * an agent token so the agent API's logic serves the card unchanged.
 */
export async function hubspotCaller(svc: Services, req: FastifyRequest): Promise<AgentToken> {
  verifySignature(svc, req);
  const portalId = appended(req, 'portalId');
  const userId = appended(req, 'userId');
  const userEmail = appended(req, 'userEmail');
  appended(req, 'appId');

  const companies = await svc.db.query<{ company_id: string }>(
    `select company_id from connections where provider = 'hubspot' and account = $1 order by company_id`,
    [portalId],
  );
  if (companies.length === 0) {
    throw new ApiError(
      403,
      'unknown_portal',
      `HubSpot account ${portalId} is not connected to any company on this backend.`,
      {
        fix: "Ask an admin to connect this HubSpot account to your company (the admin API's HubSpot connection), then reload the card.",
      },
    );
  }
  const email = normaliseEmail(userEmail);
  let withoutAircall: string | null = null;
  for (const { company_id: companyId } of companies) {
    const users = await aircallUsers(svc, companyId);
    if (!users) {
      withoutAircall = companyId;
      continue;
    }
    const user = users.find((u) => normaliseEmail(u.email) === email);
    if (user) {
      return {
        id: `hubspot:${portalId}:${userId}`,
        company_id: companyId,
        aircall_user_id: user.id,
        label: `HubSpot user ${userEmail}`,
        created_at: svc.clock.now(),
        revoked_at: null,
      };
    }
  }
  if (withoutAircall && companies.length === 1) {
    throw new ApiError(409, 'aircall_not_connected', 'Aircall is not connected for your company.', {
      fix: 'Ask an admin to connect Aircall.',
    });
  }
  throw new ApiError(
    403,
    'unknown_user',
    `No Aircall user of the company connected to HubSpot account ${portalId} has the email ${userEmail} (emails are compared ignoring case, GEN-EMAIL-1).`,
    {
      fix: 'Use the same email in HubSpot and in Aircall, or ask an admin to add you as an Aircall user with this email.',
    },
  );
}
