/**
 * Salesforce's REST API as this product uses it (API-CONTRACTS 3): sObject
 * create, read, update and upsert by external id, SOQL (every page), SOSL,
 * composite requests, describe and limits, at `{instance_url}/services/data/vNN.N`;
 * and the OAuth web server flow at the login host (code exchange, refresh,
 * identity). Every non-2xx answer is a VendorError (api-errors.ts) that
 * `decideRetry` classifies; the client itself only retries once, after
 * refreshing an access token Salesforce calls invalid (401 INVALID_SESSION_ID).
 */
import type { z } from 'zod';
import { headersOf, type VendorError } from '../../http/vendor.ts';
import { salesforceError, salesforceUnexpected, salesforceUnreachable } from './api-errors.ts';
import {
  type CompositeAnswer,
  type CompositeSubrequest,
  rawCollectionResultsSchema,
  rawCompositeSchema,
  rawDescribeSchema,
  rawIdentitySchema,
  rawLimitsSchema,
  rawQueryPageSchema,
  rawRecordSchema,
  rawSaveResultSchema,
  rawSearchSchema,
  rawTokenSchema,
  type SalesforceDescribe,
  type SalesforceRecord,
  toSalesforceRecord,
} from './api-schemas.ts';

export type {
  CompositeAnswer,
  CompositeSubrequest,
  SalesforceDescribe,
  SalesforceRecord,
} from './api-schemas.ts';
import { type Answer, parseAnswer, postOAuthForm, readBody, trimSlash } from '../../http/answer.ts';

type Fetch = typeof fetch;

/** Longest wait for one Salesforce answer. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A composite request holds at most 25 subrequests (API-CONTRACTS 3.1 [unverified]). */
export const COMPOSITE_MAX = 25;

/** Records per sObject Collections request (API-CONTRACTS 3.1 [unverified]: 200). */
export const COLLECTION_MAX = 200;

/** One record's outcome in an sObject Collections request: its id, or the error Salesforce gave it alone. */
export interface CollectionOutcome {
  id: string | null;
  /** Upserts: whether the record was created (false: an existing one was updated). */
  created: boolean | null;
  error: VendorError | null;
}

/** Where the client gets its Bearer token (an OAuth access token). */
export interface SalesforceAuth {
  token(): Promise<string>;
  /** Called once when Salesforce answers 401 INVALID_SESSION_ID; returns the new token. */
  refresh?(): Promise<string>;
}

export interface SalesforceClientOptions {
  /** The org's `instance_url` (a refresh may move it, hence a function), or a simulator's URL. */
  instanceUrl: string | (() => string);
  /** e.g. "60.0" (config SALESFORCE_API_VERSION). */
  apiVersion: string;
  auth: SalesforceAuth;
  fetch?: Fetch;
}

function parsed<S extends z.ZodType>(schema: S, answer: Answer, what: string): z.output<S> {
  return parseAnswer(schema, answer, what, salesforceUnexpected);
}

const seg = encodeURIComponent;

/** A SOQL string literal: quotes and backslashes escaped (SOQL "Quoted String Escape Sequences"). */
export function soqlString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

/** A SOSL search term with its reserved characters escaped (API-CONTRACTS 3.2). */
export function soslTerm(value: string): string {
  return value.replace(/[+\-&|!(){}[\]^"~*?:\\']/g, (c) => `\\${c}`);
}

export class SalesforceClient {
  private readonly instanceUrl: () => string;
  private readonly auth: SalesforceAuth;
  private readonly fetchFn: Fetch;
  /** `/services/data/vNN.N`: the root of every REST path below, and of composite subrequest URLs. */
  readonly dataPath: string;

  constructor(opts: SalesforceClientOptions) {
    const url = opts.instanceUrl;
    this.instanceUrl = typeof url === 'string' ? () => url : url;
    this.auth = opts.auth;
    this.fetchFn = opts.fetch ?? fetch;
    this.dataPath = `/services/data/v${opts.apiVersion}`;
  }

  /**
   * One request to a path under the instance (`/services/data/...`); a 401
   * INVALID_SESSION_ID refreshes the token and retries once.
   */
  private async send(method: string, instancePath: string, body?: unknown): Promise<Answer> {
    const what = `${method} ${instancePath.split('?')[0]?.replace(this.dataPath, '')}`;
    const once = async (token: string): Promise<Answer> => {
      const base = trimSlash(this.instanceUrl());
      let res: Response;
      try {
        res = await this.fetchFn(`${base}${instancePath}`, {
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
        throw salesforceUnreachable(what, base, err);
      }
      return { status: res.status, json: await readBody(res), headers: headersOf(res) };
    };
    let answer = await once(await this.auth.token());
    if (answer.status === 401 && this.auth.refresh && errorCodeOf(answer.json) === 'INVALID_SESSION_ID') {
      answer = await once(await this.auth.refresh());
    }
    if (answer.status < 200 || answer.status >= 300) {
      throw salesforceError(answer.status, answer.json, answer.headers, what);
    }
    return answer;
  }

  private request(method: string, path: string, body?: unknown): Promise<Answer> {
    return this.send(method, `${this.dataPath}${path}`, body);
  }

  /** `POST /sobjects/{T}` (API-CONTRACTS 3.1 "Create") → the new id. */
  async create(sobject: string, fields: Record<string, unknown>): Promise<string> {
    const answer = await this.request('POST', `/sobjects/${seg(sobject)}`, fields);
    return parsed(rawSaveResultSchema, answer, `create ${sobject}`).id;
  }

  /**
   * Upsert by external id, `PATCH /sobjects/{T}/{field}/{value}` (API-CONTRACTS
   * 3.1): creates the record, or updates the one holding that value, so a
   * retried create never makes a second record. 201 `created: true`, 200
   * `created: false`; versions before 46.0 answered 204 without a body, then
   * the id is read by a query.
   */
  async upsert(
    sobject: string,
    field: string,
    value: string,
    fields: Record<string, unknown>,
  ): Promise<{ id: string; created: boolean }> {
    const answer = await this.request(
      'PATCH',
      `/sobjects/${seg(sobject)}/${seg(field)}/${seg(value)}`,
      fields,
    );
    if (answer.status === 204 || answer.json === null) {
      const id = await this.idByField(sobject, field, value);
      if (!id)
        throw salesforceUnexpected(answer.status, null, `upsert ${sobject}`, 'no record holds the key');
      return { id, created: false };
    }
    const saved = parsed(rawSaveResultSchema, answer, `upsert ${sobject}`);
    return { id: saved.id, created: saved.created ?? answer.status === 201 };
  }

  /** The id of the record whose `field` is `value` (SOQL), or null. */
  async idByField(sobject: string, field: string, value: string): Promise<string | null> {
    const rows = await this.query(`SELECT Id FROM ${sobject} WHERE ${field} = ${soqlString(value)} LIMIT 1`);
    return rows[0]?.id ?? null;
  }

  /** `GET /sobjects/{T}/{id}?fields=` (API-CONTRACTS 3.1 "Read"); 404 → VendorError NOT_FOUND. */
  async read(sobject: string, id: string, fields?: string[]): Promise<SalesforceRecord> {
    const query = fields?.length ? `?fields=${seg(fields.join(','))}` : '';
    const answer = await this.request('GET', `/sobjects/${seg(sobject)}/${seg(id)}${query}`);
    return toSalesforceRecord(parsed(rawRecordSchema, answer, `read ${sobject} ${id}`), sobject);
  }

  /** `PATCH /sobjects/{T}/{id}` (API-CONTRACTS 3.1 "Update", 204); null clears a field. */
  async update(sobject: string, id: string, fields: Record<string, unknown>): Promise<void> {
    await this.request('PATCH', `/sobjects/${seg(sobject)}/${seg(id)}`, fields);
  }

  /** Every record of a SOQL query, following `nextRecordsUrl` (API-CONTRACTS 3.1 "SOQL"). */
  async query(soql: string): Promise<SalesforceRecord[]> {
    return this.pages(await this.request('GET', `/query?q=${seg(soql)}`));
  }

  /** The rest of a query from its `nextRecordsUrl` (e.g. after a first page read in a composite). */
  async queryMore(nextRecordsUrl: string): Promise<SalesforceRecord[]> {
    return this.pages(await this.send('GET', nextRecordsUrl));
  }

  private async pages(first: Answer): Promise<SalesforceRecord[]> {
    const out: SalesforceRecord[] = [];
    let answer = first;
    for (;;) {
      const page = parsed(rawQueryPageSchema, answer, 'query');
      out.push(...page.records.map((r) => toSalesforceRecord(r)));
      if (page.done || !page.nextRecordsUrl) return out;
      answer = await this.send('GET', page.nextRecordsUrl);
    }
  }

  /** A SOSL search (API-CONTRACTS 3.1 "SOSL", 3.2): the records in Salesforce's order. */
  async search(sosl: string): Promise<SalesforceRecord[]> {
    const answer = await this.request('GET', `/search?q=${seg(sosl)}`);
    return parsed(rawSearchSchema, answer, 'search').searchRecords.map((r) => toSalesforceRecord(r));
  }

  /**
   * `POST /composite` (API-CONTRACTS 3.1): up to 25 subrequests, one API
   * request against the org's allocation. Each answer keeps its own status;
   * a failed subrequest is not an exception here (`allOrNone: false`).
   * Subrequest URLs are written under `dataPath` by `subrequestUrl`.
   */
  async composite(subrequests: CompositeSubrequest[]): Promise<CompositeAnswer[]> {
    if (subrequests.length === 0) return [];
    if (subrequests.length > COMPOSITE_MAX) {
      throw new Error(`a Salesforce composite request holds at most ${COMPOSITE_MAX} subrequests`);
    }
    const answer = await this.request('POST', '/composite', {
      allOrNone: false,
      compositeRequest: subrequests,
    });
    return parsed(rawCompositeSchema, answer, 'composite').compositeResponse.map((r) => ({
      referenceId: r.referenceId,
      status: r.httpStatusCode,
      body: r.body,
    }));
  }

  /**
   * `POST /composite/sobjects` (API-CONTRACTS 3.1 sObject Collections, `allOrNone: false`):
   * creates records of any types, 200 per request; one outcome per record, in order.
   */
  async createMany(
    records: { sobject: string; fields: Record<string, unknown> }[],
  ): Promise<CollectionOutcome[]> {
    const body = records.map((r) => ({ attributes: { type: r.sobject }, ...r.fields }));
    return this.collection('POST', '/composite/sobjects', body, 'create (sObject Collections)');
  }

  /** `PATCH /composite/sobjects` (API-CONTRACTS 3.1): updates records by id, of any types; null clears a field. */
  async updateMany(
    records: { sobject: string; id: string; fields: Record<string, unknown> }[],
  ): Promise<CollectionOutcome[]> {
    const body = records.map((r) => ({ attributes: { type: r.sobject }, id: r.id, ...r.fields }));
    return this.collection('PATCH', '/composite/sobjects', body, 'update (sObject Collections)');
  }

  /**
   * Upsert by external id, `PATCH /composite/sobjects/{T}/{ExtIdField}` (API-CONTRACTS 3.1,
   * API v46.0+): each record holds its `field` value; like the one-record upsert, a
   * record already holding that value is updated, so a retried create makes no second one.
   */
  async upsertMany(
    sobject: string,
    field: string,
    records: Record<string, unknown>[],
  ): Promise<CollectionOutcome[]> {
    const body = records.map((r) => ({ attributes: { type: sobject }, ...r }));
    return this.collection(
      'PATCH',
      `/composite/sobjects/${seg(sobject)}/${seg(field)}`,
      body,
      `upsert ${sobject} (sObject Collections)`,
    );
  }

  private async collection(
    method: string,
    path: string,
    records: Record<string, unknown>[],
    what: string,
  ): Promise<CollectionOutcome[]> {
    const out: CollectionOutcome[] = [];
    for (let i = 0; i < records.length; i += COLLECTION_MAX) {
      const part = records.slice(i, i + COLLECTION_MAX);
      const answer = await this.request(method, path, { allOrNone: false, records: part });
      const results = parsed(rawCollectionResultsSchema, answer, what);
      if (results.length !== part.length)
        throw salesforceUnexpected(
          answer.status,
          answer.json,
          what,
          `${results.length} results for ${part.length} records`,
        );
      for (const r of results) {
        if (r.success && r.id) out.push({ id: r.id, created: r.created ?? null, error: null });
        else out.push({ id: null, created: null, error: collectionItemError(r.errors, what) });
      }
    }
    return out;
  }

  /** A composite subrequest URL for a path under the REST root ("/query?q=..."). */
  subrequestUrl(path: string): string {
    return `${this.dataPath}${path}`;
  }

  /** A composite subrequest's answer as the client's own would be: the value, or the VendorError. */
  compositeResult<S extends z.ZodType>(
    schema: S,
    answer: CompositeAnswer | undefined,
    what: string,
  ): z.output<S> {
    if (!answer) throw salesforceUnexpected(200, null, what, 'the composite answer lacks this subrequest');
    if (answer.status < 200 || answer.status >= 300)
      throw salesforceError(answer.status, answer.body, {}, what);
    return parsed(schema, { status: answer.status, json: answer.body, headers: {} }, what);
  }

  /** `GET /sobjects/{T}/describe` (API-CONTRACTS 3.3 "verify per org"). */
  async describe(sobject: string): Promise<SalesforceDescribe> {
    const answer = await this.request('GET', `/sobjects/${seg(sobject)}/describe`);
    return parsed(rawDescribeSchema, answer, `describe ${sobject}`);
  }

  /** `GET /limits` (API-CONTRACTS 3.1): the org's rolling 24-hour API allocation and what remains. */
  async limits(): Promise<{ dailyApiRequests: { max: number; remaining: number } }> {
    const answer = await this.request('GET', '/limits');
    const l = parsed(rawLimitsSchema, answer, 'limits');
    return { dailyApiRequests: { max: l.DailyApiRequests.Max, remaining: l.DailyApiRequests.Remaining } };
  }
}

/**
 * A record's own errors in a collection answer as the VendorError the
 * one-record request would have thrown: its status (404 for a deleted or
 * unknown record, 400 otherwise), code and field (GEN-REQ-1 reads them).
 */
function collectionItemError(
  errors: { statusCode?: string | undefined; message?: string | undefined; fields?: string[] | undefined }[],
  what: string,
): VendorError {
  const first = errors[0];
  const code = first?.statusCode ?? 'UNKNOWN_EXCEPTION';
  const status = code === 'ENTITY_IS_DELETED' || code === 'NOT_FOUND' ? 404 : 400;
  const body = errors.map((e) => ({
    errorCode: e.statusCode ?? 'UNKNOWN_EXCEPTION',
    message: e.message ?? 'no message',
    fields: e.fields ?? [],
  }));
  return salesforceError(status, body.length ? body : [{ errorCode: code, message: 'no message' }], {}, what);
}

function errorCodeOf(json: unknown): string | null {
  if (!Array.isArray(json)) return null;
  const first: unknown = json[0];
  return first && typeof first === 'object' && 'errorCode' in first && typeof first.errorCode === 'string'
    ? first.errorCode
    : null;
}

// ---------------------------------------------------------------------------
// OAuth (API-CONTRACTS 3.1 "OAuth refresh": token at {login}/services/oauth2/token, form-encoded)

export interface SalesforceTokens {
  accessToken: string;
  /** Salesforce sends one with the code exchange only; a refresh keeps the old one. */
  refreshToken: string | null;
  /** Where the org's REST API is; a refresh may move it. */
  instanceUrl: string;
  /** The identity URL `.../id/{orgId}/{userId}`. */
  idUrl: string;
  orgId: string | null;
  userId: string | null;
}

interface TokenCallBase {
  /** SALESFORCE_LOGIN_URL, e.g. https://login.salesforce.com, or a simulator's URL. */
  loginUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: Fetch;
}

/** The org and user ids at the end of an identity URL (`/id/{orgId}/{userId}`, as Postman's web server flow reads them). */
export function idsOfIdentityUrl(idUrl: string): { orgId: string | null; userId: string | null } {
  const parts = new URL(idUrl).pathname.split('/').filter(Boolean);
  const userId = parts.at(-1) ?? null;
  const orgId = parts.at(-2) ?? null;
  return {
    orgId: orgId && /^00D/.test(orgId) ? orgId : null,
    userId: userId && /^005/.test(userId) ? userId : null,
  };
}

async function tokenCall(
  opts: TokenCallBase,
  form: Record<string, string>,
  what: string,
): Promise<SalesforceTokens> {
  const url = `${trimSlash(opts.loginUrl)}/services/oauth2/token`;
  const answer = await postOAuthForm(
    {
      url,
      form: { client_id: opts.clientId, client_secret: opts.clientSecret, ...form },
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      timeoutMs: REQUEST_TIMEOUT_MS,
    },
    (e) => salesforceUnreachable(what, opts.loginUrl, e),
    (a) => salesforceError(a.status, a.json, a.headers, what),
  );
  const t = parsed(rawTokenSchema, answer, what);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    instanceUrl: trimSlash(t.instance_url),
    idUrl: t.id,
    ...idsOfIdentityUrl(t.id),
  };
}

/** The user behind an access token: `GET {id URL}` (email for GEN-ADM-1 and SF-OWN-1's installer). */
export async function salesforceIdentity(opts: {
  idUrl: string;
  accessToken: string;
  fetch?: Fetch;
}): Promise<{ userId: string; orgId: string; email: string | null; name: string | null }> {
  const fetchFn = opts.fetch ?? fetch;
  const what = 'the identity lookup';
  let res: Response;
  try {
    res = await fetchFn(opts.idUrl, {
      headers: { authorization: `Bearer ${opts.accessToken}`, accept: 'application/json' },
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw salesforceUnreachable(what, opts.idUrl, err);
  }
  const answer: Answer = { status: res.status, json: await readBody(res), headers: headersOf(res) };
  if (res.status < 200 || res.status >= 300)
    throw salesforceError(res.status, answer.json, answer.headers, what);
  const id = parsed(rawIdentitySchema, answer, what);
  return {
    userId: id.user_id,
    orgId: id.organization_id,
    email: id.email ?? null,
    name: id.display_name ?? id.username ?? null,
  };
}

/**
 * Exchanges an authorization code (web server flow, Postman
 * `auth/web_server_flow_2.json`), then reads who consented: the installer
 * (null when that lookup fails: the code is spent either way).
 */
export async function exchangeSalesforceCode(
  opts: TokenCallBase & { redirectUri: string; code: string },
): Promise<SalesforceTokens & { installer: { userId: string; email: string | null } | null }> {
  const tokens = await tokenCall(
    opts,
    { grant_type: 'authorization_code', redirect_uri: opts.redirectUri, code: opts.code },
    'the authorization code exchange',
  );
  const who = await salesforceIdentity({
    idUrl: tokens.idUrl,
    accessToken: tokens.accessToken,
    ...(opts.fetch ? { fetch: opts.fetch } : {}),
  }).catch(() => null);
  const userId = who?.userId ?? tokens.userId;
  return {
    ...tokens,
    orgId: tokens.orgId ?? who?.orgId ?? null,
    installer: userId ? { userId, email: who?.email ?? null } : null,
  };
}

/**
 * A new access token for a refresh token (Postman `auth/refresh_token.json`);
 * a refused one → VendorError 400 `invalid_grant`.
 */
export async function refreshSalesforceToken(
  opts: TokenCallBase & { refreshToken: string },
): Promise<SalesforceTokens> {
  return tokenCall(
    opts,
    { grant_type: 'refresh_token', refresh_token: opts.refreshToken },
    'the token refresh',
  );
}
