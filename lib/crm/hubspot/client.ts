/**
 * HubSpot's REST API as this product uses it (API-CONTRACTS 2): records,
 * search, associations, owners, ticket pipelines, call outcomes, custom
 * properties, and the OAuth token calls. Every non-2xx answer is a
 * VendorError (api-errors.ts) that `decideRetry` classifies; the client
 * itself only retries once, after refreshing an expired OAuth token.
 */
import type { z } from 'zod';
import { VendorError, headersOf } from '../../http/vendor.ts';
import { hubspotError, hubspotUnexpected, hubspotUnreachable } from './api-errors.ts';
import {
  type HubspotAssociation,
  type HubspotAssociationInput,
  type HubspotAssociationSpec,
  type HubspotObject,
  type HubspotOwner,
  type HubspotPropertyDef,
  type HubspotSearchPage,
  rawAssociationPageSchema,
  rawBatchSchema,
  rawObjectSchema,
  rawOwnersPageSchema,
  rawPipelinesSchema,
  rawPropertySchema,
  rawSearchPageSchema,
  rawTokenInfoSchema,
  rawUserSchema,
  rawTokenSchema,
  toHubspotAssociation,
  toHubspotObject,
  toHubspotOwner,
  toHubspotSearchPage,
} from './api-schemas.ts';
import type { HubspotOutcome, HubspotTicketPipeline } from './facts.ts';

export type {
  HubspotAssociation,
  HubspotAssociationInput,
  HubspotAssociationSpec,
  HubspotObject,
  HubspotOwner,
  HubspotPropertyDef,
  HubspotSearchPage,
} from './api-schemas.ts';
import { type Answer, parseAnswer, postOAuthForm, readBody, trimSlash } from '../../http/answer.ts';

type Fetch = typeof fetch;

/** Longest wait for one HubSpot answer. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Where the client gets its Bearer token (private app token or OAuth access token). */
export interface HubspotAuth {
  token(): Promise<string>;
  /** Called once when HubSpot says the token expired (401 EXPIRED_AUTHENTICATION); returns the new token. */
  refresh?(): Promise<string>;
}

export interface HubspotClientOptions {
  /** e.g. https://api.hubapi.com, or a simulator's URL. */
  baseUrl: string;
  auth: HubspotAuth;
  fetch?: Fetch;
}

/** A search filter (API-CONTRACTS 2.1 `PublicObjectSearchRequest`). */
export interface HubspotFilter {
  propertyName: string;
  operator: string;
  value?: string;
  highValue?: string;
  values?: string[];
}

export interface HubspotSearchRequest {
  filterGroups?: { filters: HubspotFilter[] }[];
  sorts?: ({ propertyName: string; direction: 'ASCENDING' | 'DESCENDING' } | string)[];
  properties?: string[];
  query?: string;
  /** At most 200; HubSpot's default is 10. */
  limit?: number;
  after?: string;
}

/** HubSpot's digits-only copies of a contact's numbers, without country code (API-CONTRACTS 2.5). */
export const CALCULATED_PHONES = [
  'hs_searchable_calculated_phone_number',
  'hs_searchable_calculated_mobile_number',
];

/** HubSpot caps batch inputs at 100 per request [doc: batch endpoints]. */
export const BATCH_SIZE = 100;

/** One input's outcome in a batch request: its object, or the error HubSpot gave that input alone. */
export type BatchOutcome = { object: HubspotObject; error: null } | { object: null; error: VendorError };

function parsed<S extends z.ZodType>(schema: S, answer: Answer, what: string): z.output<S> {
  return parseAnswer(schema, answer, what, hubspotUnexpected);
}

function chunks<T>(list: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

const seg = encodeURIComponent;

export class HubspotClient {
  private readonly baseUrl: string;
  private readonly auth: HubspotAuth;
  private readonly fetchFn: Fetch;

  constructor(opts: HubspotClientOptions) {
    this.baseUrl = trimSlash(opts.baseUrl);
    this.auth = opts.auth;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** One request; a 401 EXPIRED_AUTHENTICATION refreshes the token and retries once. */
  private async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const what = `${method} ${path.split('?')[0]}`;
    const send = async (token: string): Promise<Answer> => {
      let res: Response;
      try {
        res = await this.fetchFn(`${this.baseUrl}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          // A hung request must not hold a work item's lease forever; a timeout is retried like a 5xx.
          signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
        });
      } catch (err) {
        throw hubspotUnreachable(what, this.baseUrl, err);
      }
      return { status: res.status, json: await readBody(res), headers: headersOf(res) };
    };
    let answer = await send(await this.auth.token());
    if (answer.status === 401 && this.auth.refresh && categoryOf(answer.json) === 'EXPIRED_AUTHENTICATION') {
      answer = await send(await this.auth.refresh());
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw hubspotError(answer.status, answer.json, answer.headers, what);
    }
    return answer;
  }

  /**
   * Contacts whose phone or mobile phone is this number (API-CONTRACTS 2.5):
   * `phone`/`mobilephone` EQ the E.164 form, or HubSpot's calculated
   * searchable numbers (digits without country code) EQ `nationalDigits`,
   * which catches numbers stored in other formats.
   */
  async searchContactsByPhone(
    e164: string,
    nationalDigits: string | null,
    properties: string[],
  ): Promise<HubspotObject[]> {
    const eq = (propertyName: string, value: string) => ({
      filters: [{ propertyName, operator: 'EQ', value }],
    });
    const digits = nationalDigits?.replace(/\D/g, '') ?? '';
    const filterGroups = [eq('phone', e164), eq('mobilephone', e164)];
    if (digits) {
      filterGroups.push(
        eq('hs_searchable_calculated_phone_number', digits),
        eq('hs_searchable_calculated_mobile_number', digits),
      );
    }
    return (await this.search('contacts', { filterGroups, properties, limit: 100 })).results;
  }

  /**
   * The contacts holding any of `numbers` (API-CONTRACTS 2.5), in one search
   * of four filter groups with `IN` (HubSpot allows 5, API-CONTRACTS 2.1 says
   * 6): `phone`/`mobilephone` IN the E.164 forms, or the calculated searchable
   * numbers IN the national digits; every page, in HubSpot's order. The
   * calculated properties come back too, so the caller can tell which number
   * each contact holds.
   */
  async searchContactsByPhones(
    numbers: { e164: string; nationalDigits: string | null }[],
    properties: string[],
  ): Promise<HubspotObject[]> {
    const inList = (propertyName: string, values: string[]) => ({
      filters: [{ propertyName, operator: 'IN', values }],
    });
    const e164s = [...new Set(numbers.map((n) => n.e164))];
    const digits = [...new Set(numbers.flatMap((n) => n.nationalDigits?.replace(/\D/g, '') || []))];
    const filterGroups = [inList('phone', e164s), inList('mobilephone', e164s)];
    if (digits.length > 0) {
      filterGroups.push(
        inList('hs_searchable_calculated_phone_number', digits),
        inList('hs_searchable_calculated_mobile_number', digits),
      );
    }
    const out: HubspotObject[] = [];
    let after: string | undefined;
    do {
      const page = await this.search('contacts', {
        filterGroups,
        properties: [...properties, ...CALCULATED_PHONES],
        limit: 200,
        ...(after ? { after } : {}),
      });
      out.push(...page.results);
      after = page.nextAfter ?? undefined;
    } while (after);
    return out;
  }

  /** One page of `POST /crm/v3/objects/{type}/search` (API-CONTRACTS 2.1). */
  async search(type: string, body: HubspotSearchRequest): Promise<HubspotSearchPage> {
    const what = `search ${type}`;
    const answer = await this.request('POST', `/crm/v3/objects/${seg(type)}/search`, body);
    return toHubspotSearchPage(parsed(rawSearchPageSchema, answer, what));
  }

  /** `POST /crm/v3/objects/{type}` (API-CONTRACTS 2.1): a record, with its associations inline. */
  async create(
    type: string,
    properties: Record<string, string>,
    associations: HubspotAssociationInput[] = [],
  ): Promise<HubspotObject> {
    const answer = await this.request('POST', `/crm/v3/objects/${seg(type)}`, { properties, associations });
    return toHubspotObject(parsed(rawObjectSchema, answer, `create ${type}`));
  }

  /** `PATCH /crm/v3/objects/{type}/{id}` (API-CONTRACTS 2.1); an empty string clears a property. */
  async update(type: string, id: string, properties: Record<string, string>): Promise<HubspotObject> {
    const answer = await this.request('PATCH', `/crm/v3/objects/${seg(type)}/${seg(id)}`, { properties });
    return toHubspotObject(parsed(rawObjectSchema, answer, `update ${type} ${id}`));
  }

  /** `GET /crm/v3/objects/{type}/{id}?properties=&associations=` (API-CONTRACTS 2.1); 404 -> VendorError OBJECT_NOT_FOUND. */
  async read(
    type: string,
    id: string,
    properties?: string[],
    associations?: string[],
  ): Promise<HubspotObject> {
    const q = new URLSearchParams();
    if (properties?.length) q.set('properties', properties.join(','));
    if (associations?.length) q.set('associations', associations.join(','));
    const query = q.size ? `?${q}` : '';
    const answer = await this.request('GET', `/crm/v3/objects/${seg(type)}/${seg(id)}${query}`);
    return toHubspotObject(parsed(rawObjectSchema, answer, `read ${type} ${id}`));
  }

  /**
   * `POST /crm/v3/objects/{type}/batch/read` (API-CONTRACTS 2.1), 100 ids
   * per request. Ids HubSpot does not find (its 207 answer) are left out.
   */
  async batchRead(type: string, ids: string[], properties: string[]): Promise<HubspotObject[]> {
    const out: HubspotObject[] = [];
    for (const part of chunks([...new Set(ids)], BATCH_SIZE)) {
      const answer = await this.request('POST', `/crm/v3/objects/${seg(type)}/batch/read`, {
        inputs: part.map((id) => ({ id })),
        properties,
      });
      out.push(...parsed(rawBatchSchema, answer, `batch read ${type}`).results.map(toHubspotObject));
    }
    return out;
  }

  /**
   * `POST /crm/v3/objects/{type}/batch/create` (API-CONTRACTS 2.1), 100 inputs
   * a request, each with its associations inline. Each input carries an
   * `objectWriteTraceId`: HubSpot then creates the valid inputs and answers
   * 207 with the refused ones in `errors[]`, each naming its trace id in
   * `context.objectWriteTraceId` (HubSpot "Error handling", multi-status
   * errors); results are matched to inputs by that id, not by their order
   * (or, for a result without it, by `matchProperty`, a property unique to
   * each input such as the idempotency key). One outcome per input, in order.
   */
  async batchCreate(
    type: string,
    inputs: {
      traceId: string;
      properties: Record<string, string>;
      associations: HubspotAssociationInput[];
    }[],
    opts: { matchProperty?: string } = {},
  ): Promise<BatchOutcome[]> {
    const what = `POST /crm/v3/objects/${type}/batch/create`;
    const out: BatchOutcome[] = [];
    for (const part of chunks(inputs, BATCH_SIZE)) {
      const answer = await this.request('POST', `/crm/v3/objects/${seg(type)}/batch/create`, {
        inputs: part.map((i) => ({
          properties: i.properties,
          associations: i.associations,
          objectWriteTraceId: i.traceId,
        })),
      });
      const batch = parsed(rawBatchSchema, answer, `batch create ${type}`);
      const created = new Map<string, HubspotObject>();
      const prop = opts.matchProperty;
      for (const r of batch.results) {
        const object = toHubspotObject(r);
        const trace = (r as { objectWriteTraceId?: unknown }).objectWriteTraceId;
        const match = prop ? object.properties[prop] : null;
        const input =
          typeof trace === 'string'
            ? part.find((i) => i.traceId === trace)
            : prop && match
              ? part.find((i) => i.properties[prop] === match)
              : undefined;
        if (input) created.set(input.traceId, object);
      }
      const refused = new Map<string, VendorError>();
      for (const e of batch.errors) {
        for (const trace of contextList(e, 'objectWriteTraceId'))
          refused.set(trace, hubspotError(statusOf(e), e, answer.headers, what));
      }
      for (const i of part) {
        const object = created.get(i.traceId);
        const error = refused.get(i.traceId);
        if (object) out.push({ object, error: null });
        else
          out.push({
            object: null,
            error:
              error ??
              hubspotUnexpected(
                answer.status,
                answer.json,
                what,
                `no result for objectWriteTraceId ${i.traceId}`,
              ),
          });
      }
    }
    return out;
  }

  /**
   * `POST /crm/v3/objects/{type}/batch/update` (API-CONTRACTS 2.1), 100 inputs
   * a request; an empty string clears a property. Invalid values refuse the
   * whole request (400); ids HubSpot does not find come back in a 207's
   * `errors[].context.ids`, each then failing as its own PATCH would (404
   * OBJECT_NOT_FOUND). One outcome per input, in order.
   */
  async batchUpdate(
    type: string,
    inputs: { id: string; properties: Record<string, string> }[],
  ): Promise<BatchOutcome[]> {
    const what = `POST /crm/v3/objects/${type}/batch/update`;
    const out: BatchOutcome[] = [];
    for (const part of chunks(inputs, BATCH_SIZE)) {
      const answer = await this.request('POST', `/crm/v3/objects/${seg(type)}/batch/update`, {
        inputs: part.map((i) => ({ id: i.id, properties: i.properties })),
      });
      const batch = parsed(rawBatchSchema, answer, `batch update ${type}`);
      const updated = new Map(batch.results.map((r) => [r.id, toHubspotObject(r)]));
      const missing = new Map<string, VendorError>();
      for (const e of batch.errors) {
        for (const id of contextList(e, 'ids')) missing.set(id, hubspotError(404, e, answer.headers, what));
      }
      for (const i of part) {
        const object = updated.get(i.id);
        out.push(
          object
            ? { object, error: null }
            : {
                object: null,
                error:
                  missing.get(i.id) ??
                  hubspotUnexpected(answer.status, answer.json, what, `no result for ${type} ${i.id}`),
              },
        );
      }
    }
    return out;
  }

  /**
   * `POST /crm/v3/objects/{type}/batch/upsert` (API-CONTRACTS 2.1): create
   * or update by a unique property; `isNew` says which happened.
   */
  async batchUpsert(
    type: string,
    idProperty: string,
    inputs: { id: string; properties: Record<string, string> }[],
  ): Promise<(HubspotObject & { isNew: boolean })[]> {
    const out: (HubspotObject & { isNew: boolean })[] = [];
    for (const part of chunks(inputs, BATCH_SIZE)) {
      const answer = await this.request('POST', `/crm/v3/objects/${seg(type)}/batch/upsert`, {
        inputs: part.map((i) => ({ idProperty, id: i.id, properties: i.properties })),
      });
      const batch = parsed(rawBatchSchema, answer, `batch upsert ${type}`);
      out.push(...batch.results.map((r) => ({ ...toHubspotObject(r), isNew: r.new ?? false })));
    }
    return out;
  }

  /** `PUT /crm/v4/objects/{from}/{id}/associations/default/{to}/{toId}`: the pair's unlabelled association. */
  async associateDefault(from: string, fromId: string, to: string, toId: string): Promise<void> {
    await this.request(
      'PUT',
      `/crm/v4/objects/${seg(from)}/${seg(fromId)}/associations/default/${seg(to)}/${seg(toId)}`,
    );
  }

  /** `PUT /crm/v4/objects/{from}/{id}/associations/{to}/{toId}` with the given types (API-CONTRACTS 2.3 ids). */
  async associate(
    from: string,
    fromId: string,
    to: string,
    toId: string,
    types: HubspotAssociationSpec[],
  ): Promise<void> {
    await this.request(
      'PUT',
      `/crm/v4/objects/${seg(from)}/${seg(fromId)}/associations/${seg(to)}/${seg(toId)}`,
      types,
    );
  }

  /** Every `GET /crm/v4/objects/{from}/{id}/associations/{to}` page. */
  async associations(from: string, fromId: string, to: string): Promise<HubspotAssociation[]> {
    const out: HubspotAssociation[] = [];
    let after: string | null = null;
    do {
      const q: URLSearchParams = new URLSearchParams({ limit: '500', ...(after ? { after } : {}) });
      const answer = await this.request(
        'GET',
        `/crm/v4/objects/${seg(from)}/${seg(fromId)}/associations/${seg(to)}?${q}`,
      );
      const page: z.output<typeof rawAssociationPageSchema> = parsed(
        rawAssociationPageSchema,
        answer,
        `associations ${from} ${fromId} -> ${to}`,
      );
      out.push(...page.results.map(toHubspotAssociation));
      after = page.paging?.next?.after ?? null;
    } while (after);
    return out;
  }

  /** `DELETE /crm/v3/objects/{type}/{id}` (archive). */
  async deleteObject(type: string, id: string): Promise<void> {
    await this.request('DELETE', `/crm/v3/objects/${seg(type)}/${seg(id)}`);
  }

  /**
   * A HubSpot user with their super admin right, `GET /settings/v3/users/{userId}`
   * (GEN-ADM-1: the installer must still exist and be an admin); null when the
   * user no longer exists. [unverified: `superAdmin` field name, HubSpot settings users API]
   */
  async user(userId: string): Promise<{ id: string; email: string | null; superAdmin: boolean } | null> {
    try {
      const answer = await this.request('GET', `/settings/v3/users/${seg(userId)}`);
      const u = parsed(rawUserSchema, answer, `user ${userId}`);
      return { id: String(u.id), email: u.email ?? null, superAdmin: u.superAdmin };
    } catch (err) {
      if (err instanceof VendorError && err.status === 404) return null;
      throw err;
    }
  }

  /**
   * Every owner, all pages of `GET /crm/v3/owners` (API-CONTRACTS 2.1
   * "Owners"): the active ones, as HubSpot lists by default, and with
   * `includeArchived` the deactivated ones too (a second listing, `archived=true`).
   */
  async owners(opts: { includeArchived?: boolean } = {}): Promise<HubspotOwner[]> {
    const active = await this.ownerPages(false);
    return opts.includeArchived ? [...active, ...(await this.ownerPages(true))] : active;
  }

  private async ownerPages(archived: boolean): Promise<HubspotOwner[]> {
    const out: HubspotOwner[] = [];
    let after: string | null = null;
    do {
      const q: URLSearchParams = new URLSearchParams({
        limit: '500',
        archived: String(archived),
        ...(after ? { after } : {}),
      });
      const page: z.output<typeof rawOwnersPageSchema> = parsed(
        rawOwnersPageSchema,
        await this.request('GET', `/crm/v3/owners?${q}`),
        'owners',
      );
      out.push(...page.results.map(toHubspotOwner));
      after = page.paging?.next?.after ?? null;
    } while (after);
    return out;
  }

  /** `GET /crm/v3/pipelines/tickets` (API-CONTRACTS 2.1, 2.6): HS-TIX-1/2 resolve pipelines and stages from it. */
  async ticketPipelines(): Promise<HubspotTicketPipeline[]> {
    const answer = await this.request('GET', '/crm/v3/pipelines/tickets');
    return parsed(rawPipelinesSchema, answer, 'ticket pipelines').results;
  }

  /**
   * The portal's call outcomes, default and custom (HS-OUT-3/4), from the
   * options of `GET /crm/v3/properties/calls/hs_call_disposition` (API-CONTRACTS 2.2).
   */
  async callOutcomes(): Promise<HubspotOutcome[]> {
    const answer = await this.request('GET', '/crm/v3/properties/calls/hs_call_disposition');
    const property = parsed(rawPropertySchema, answer, 'call outcomes');
    return property.options.filter((o) => !o.hidden).map((o) => ({ id: o.value, label: o.label }));
  }

  /**
   * Creates a custom property (`POST /crm/v3/properties/{objectType}`);
   * HubSpot's 409 means it is already there, which is fine.
   */
  async ensureProperty(objectType: string, def: HubspotPropertyDef): Promise<'created' | 'exists'> {
    try {
      await this.request('POST', `/crm/v3/properties/${seg(objectType)}`, def);
      return 'created';
    } catch (err) {
      if (err instanceof VendorError && err.status === 409) return 'exists';
      throw err;
    }
  }
}

/** The string values of `context[name]` of a batch error (HubSpot lists them: `{ids: ["1", "2"]}`). */
function contextList(error: unknown, name: string): string[] {
  const context = (error as { context?: Record<string, unknown> } | null)?.context;
  const value = context?.[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.flatMap((v) => (typeof v === 'string' || typeof v === 'number' ? [String(v)] : []));
}

/** The HTTP status of one batch error: its `status` when numeric, else 400 (HubSpot writes "error"). */
function statusOf(error: unknown): number {
  const status = Number((error as { status?: unknown } | null)?.status);
  return Number.isInteger(status) && status >= 400 && status < 600 ? status : 400;
}

function categoryOf(json: unknown): string | null {
  return json && typeof json === 'object' && 'category' in json && typeof json.category === 'string'
    ? json.category
    : null;
}

// ---------------------------------------------------------------------------
// OAuth (API-CONTRACTS 2 "Auth": token at /oauth/v1/token, form-encoded)

export interface HubspotTokens {
  accessToken: string;
  refreshToken: string;
  /** UNIX ms, from the `now` passed (the caller's clock) plus `expires_in`. */
  expiresAt: number;
}

interface TokenCallBase {
  baseUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: Fetch;
  /** UNIX ms; default Date.now(). */
  now?: number;
}

async function tokenCall(
  opts: TokenCallBase,
  form: Record<string, string>,
  what: string,
): Promise<HubspotTokens> {
  const now = opts.now ?? Date.now();
  const url = `${trimSlash(opts.baseUrl)}/oauth/v1/token`;
  const answer = await postOAuthForm(
    {
      url,
      form: { client_id: opts.clientId, client_secret: opts.clientSecret, ...form },
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
    },
    (e) => hubspotUnreachable(what, opts.baseUrl, e),
    (a) => hubspotError(a.status, a.json, a.headers, what),
  );
  const t = parsed(rawTokenSchema, answer, what);
  return { accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: now + t.expires_in * 1000 };
}

/**
 * Exchanges an authorization code for tokens, then reads which portal they
 * open (`hub_id`, null when that lookup fails: the code is spent either way).
 */
export async function exchangeHubspotCode(
  opts: TokenCallBase & { redirectUri: string; code: string },
): Promise<
  HubspotTokens & { portalId: string | null; installer: { userId: string; email: string | null } | null }
> {
  const tokens = await tokenCall(
    opts,
    { grant_type: 'authorization_code', redirect_uri: opts.redirectUri, code: opts.code },
    'the authorization code exchange',
  );
  const info = await hubspotTokenInfo({
    baseUrl: opts.baseUrl,
    accessToken: tokens.accessToken,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  }).catch(() => null);
  // The user who consented is the installer (GEN-ADM-1).
  const installer = info?.userId ? { userId: info.userId, email: info.user } : null;
  return { ...tokens, portalId: info?.portalId ?? null, installer };
}

/** A new access token for a refresh token; an invalid or revoked one -> VendorError 400 BAD_REFRESH_TOKEN. */
export async function refreshHubspotToken(
  opts: TokenCallBase & { refreshToken: string; redirectUri?: string },
): Promise<HubspotTokens> {
  return tokenCall(
    opts,
    {
      grant_type: 'refresh_token',
      refresh_token: opts.refreshToken,
      ...(opts.redirectUri ? { redirect_uri: opts.redirectUri } : {}),
    },
    'the token refresh',
  );
}

/** `GET /oauth/v1/access-tokens/{token}` [doc: HubSpot OAuth]: the portal (`hub_id`) and scopes of a token. */
export async function hubspotTokenInfo(opts: {
  baseUrl: string;
  accessToken: string;
  fetch?: Fetch;
}): Promise<{ portalId: string; scopes: string[]; user: string | null; userId: string | null }> {
  const fetchFn = opts.fetch ?? fetch;
  const what = 'the access token lookup';
  let res: Response;
  try {
    res = await fetchFn(`${trimSlash(opts.baseUrl)}/oauth/v1/access-tokens/${seg(opts.accessToken)}`, {
      headers: { accept: 'application/json' },
    });
  } catch (err) {
    throw hubspotUnreachable(what, opts.baseUrl, err);
  }
  const answer: Answer = { status: res.status, json: await readBody(res), headers: headersOf(res) };
  if (res.status < 200 || res.status >= 300)
    throw hubspotError(res.status, answer.json, answer.headers, what);
  const info = parsed(rawTokenInfoSchema, answer, what);
  return {
    portalId: info.hub_id,
    scopes: info.scopes,
    user: info.user ?? null,
    userId: info.user_id == null ? null : String(info.user_id),
  };
}
