/**
 * Aircall's Public API, the calls the product makes (API-CONTRACTS 1.1-1.9):
 * read calls, write comments and tags back, read summaries, contacts,
 * numbers, users and tags, and manage the webhook subscription.
 *
 * Basic auth with the company's API ID and token (1.1). Every non-2xx answer
 * becomes a `VendorError` (vendor 'aircall', code = Aircall's `error`, the
 * response headers kept so `decideRetry` reads `X-AircallApi-Reset` on 429,
 * 1.2); a network failure or timeout is status 0. Answers are read with the
 * lenient schemas of api-schemas.ts; lists follow `meta.next_page_link`
 * through every page (1.6).
 */
import type { z } from 'zod';
import { headersOf, VendorError } from '../http/vendor.ts';
import {
  type AircallCreatedWebhook,
  type AircallSummary,
  type AircallTag,
  type AircallWebhook,
  apiErrorSchema,
  callResponse,
  callsPage,
  contactResponse,
  contactsPage,
  numberResponse,
  numbersPage,
  summaryResponse,
  tagsPage,
  userResponse,
  usersPage,
  webhookResponse,
  webhooksPage,
} from './api-schemas.ts';
import type { AircallCall, AircallContact, AircallNumber, AircallUser } from './schemas.ts';

export interface AircallClientOptions {
  /** Without `/v1`: https://api.aircall.io, or the simulator's URL. */
  baseUrl: string;
  apiId: string;
  apiToken: string;
  fetch?: typeof fetch;
  /** Per request; default 30 s. */
  timeoutMs?: number;
  /** Page size asked for lists; default 50 (the commonly cited maximum, [unverified]). */
  perPage?: number;
  /** Safety stop for lists; default 500 pages. */
  maxPages?: number;
}

/** `POST /v1/contacts` body (API-CONTRACTS 1.6); Aircall needs at least one phone number. */
export interface AircallContactInput {
  first_name?: string | null;
  last_name?: string | null;
  company_name?: string | null;
  information?: string | null;
  phone_numbers: { label?: string; value: string }[];
  emails?: { label?: string; value: string }[];
}

/** `POST /v1/contacts/:id` body: phone numbers and emails have their own routes ([unverified] that they are ignored here). */
export interface AircallContactUpdate {
  first_name?: string | null;
  last_name?: string | null;
  company_name?: string | null;
  information?: string | null;
}

type Query = Record<string, string | number | undefined>;
type PageOf = { meta?: { next_page_link?: string | null } | null };

const ADVICE: Record<number, string> = {
  400: 'The request was malformed; this is a bug in the caller, report it with the error.',
  401: 'Check the Aircall API ID and API token (Aircall Dashboard > Integrations > API keys) and reconnect Aircall.',
  403: 'This API key may not access that resource; check which company the key belongs to.',
  404: 'It does not exist in this Aircall company: check the id, and that it belongs to the connected company.',
  405: 'Aircall refused the action in the current state (see its reason).',
  422: 'Fix the field(s) Aircall names and send again.',
};

function advice(status: number, headers: Record<string, string>): string {
  if (status === 429) {
    const reset = Number(headers['x-aircallapi-reset']);
    const when = Number.isFinite(reset) ? ` after ${new Date(reset * 1000).toISOString()}` : ' later';
    const limit = headers['x-aircallapi-limit'];
    return `Over Aircall's rate limit${limit ? ` of ${limit} requests per minute` : ''}: retry${when} (X-AircallApi-Reset).`;
  }
  if (status >= 500) return 'Aircall failed on its side; retry with backoff.';
  return ADVICE[status] ?? 'See Aircall’s answer above.';
}

/** The VendorError for an Aircall error answer (API-CONTRACTS 1.9 shapes). */
export function aircallError(
  status: number,
  method: string,
  path: string,
  body: unknown,
  headers: Record<string, string>,
): VendorError {
  const parsed = apiErrorSchema.safeParse(body);
  const b = parsed.success ? parsed.data : null;
  const fieldErrors = Object.entries(b?.errors ?? {}).map(
    ([field, msgs]) => `${field} ${Array.isArray(msgs) ? msgs.map(String).join(', ') : String(msgs)}`,
  );
  const said = [b?.error, b?.troubleshoot ?? b?.message, ...fieldErrors].filter((s) => !!s).join(': ');
  return new VendorError({
    vendor: 'aircall',
    status,
    code: b?.error ?? `HTTP ${status}`,
    message: `Aircall ${method} ${path} answered ${status}${said ? ` (${said})` : ''}. ${advice(status, headers)}`,
    body,
    headers,
    field: Object.keys(b?.errors ?? {})[0] ?? null,
  });
}

export class AircallClient {
  private readonly baseUrl: string;
  private readonly authorization: string;
  private readonly fetchImpl: typeof fetch;
  private readonly timeoutMs: number;
  private readonly perPage: number;
  private readonly maxPages: number;

  constructor(opts: AircallClientOptions) {
    this.baseUrl = opts.baseUrl.replace(/\/+$/, '');
    this.authorization = `Basic ${Buffer.from(`${opts.apiId}:${opts.apiToken}`).toString('base64')}`;
    this.fetchImpl = opts.fetch ?? fetch;
    this.timeoutMs = opts.timeoutMs ?? 30_000;
    this.perPage = opts.perPage ?? 50;
    this.maxPages = opts.maxPages ?? 500;
  }

  /** `GET /v1/calls/:id`, in webhook field names (api-schemas.ts `fromApiCall`). */
  async getCall(id: number): Promise<AircallCall> {
    return (await this.get(`/v1/calls/${id}`, callResponse)).call;
  }

  /** `GET /v1/calls`, every page; `from`/`to` are UNIX seconds on the call's start. */
  async listCalls(range: { from?: number; to?: number } = {}): Promise<AircallCall[]> {
    return this.listAll('/v1/calls', { from: range.from, to: range.to }, callsPage, (p) => p.calls);
  }

  /** `POST /v1/calls/:id/comments` (API-CONTRACTS 1.5); Aircall then sends `call.commented`. */
  async addComment(callId: number, content: string): Promise<void> {
    await this.send('POST', `/v1/calls/${callId}/comments`, { body: { content } });
  }

  /** `POST /v1/calls/:id/tags {tags: [ids]}` (API-CONTRACTS 1.5); ids from `listTags`. */
  async addTags(callId: number, tagIds: number[]): Promise<void> {
    await this.send('POST', `/v1/calls/${callId}/tags`, { body: { tags: tagIds } });
  }

  /** `DELETE /v1/calls/:id/tags/:tagId` ([unverified] path: Aircall's reference for it was not found). */
  async removeTag(callId: number, tagId: number): Promise<void> {
    await this.send('DELETE', `/v1/calls/${callId}/tags/${tagId}`);
  }

  /** `GET /v1/tags`, every page. */
  async listTags(): Promise<AircallTag[]> {
    return this.listAll('/v1/tags', {}, tagsPage, (p) => p.tags);
  }

  /** `GET /v1/calls/:id/summary` (API-CONTRACTS 1.8); null when Aircall has none (404). */
  async getSummary(callId: number): Promise<AircallSummary | null> {
    try {
      return (await this.get(`/v1/calls/${callId}/summary`, summaryResponse)).summary;
    } catch (err) {
      if (err instanceof VendorError && err.status === 404) return null;
      throw err;
    }
  }

  /** `GET /v1/contacts/search?phone_number=<E.164>`, every page (API-CONTRACTS 1.6). */
  async searchContactsByPhone(e164: string): Promise<AircallContact[]> {
    return this.listAll('/v1/contacts/search', { phone_number: e164 }, contactsPage, (p) => p.contacts);
  }

  /** `POST /v1/contacts`. */
  async createContact(input: AircallContactInput): Promise<AircallContact> {
    return (await this.send('POST', '/v1/contacts', { body: input, schema: contactResponse })).contact;
  }

  /** `POST /v1/contacts/:id` (Aircall updates with POST, API-CONTRACTS 1.6). */
  async updateContact(id: number, input: AircallContactUpdate): Promise<AircallContact> {
    return (await this.send('POST', `/v1/contacts/${id}`, { body: input, schema: contactResponse })).contact;
  }

  /** `GET /v1/numbers`, every page. */
  async listNumbers(): Promise<AircallNumber[]> {
    return this.listAll('/v1/numbers', {}, numbersPage, (p) => p.numbers);
  }

  /** `GET /v1/numbers/:id` (the sandbox adds `sandbox_business_hours`, kept as an extra key). */
  async getNumber(id: number): Promise<AircallNumber> {
    return (await this.get(`/v1/numbers/${id}`, numberResponse)).number;
  }

  /** `GET /v2/users`, every page (the v1 list is deprecated, API-CONTRACTS 1). */
  async listUsers(): Promise<AircallUser[]> {
    return this.listAll('/v2/users', {}, usersPage, (p) => p.users);
  }

  /** `GET /v1/users/:id`. */
  async getUser(id: number): Promise<AircallUser> {
    return (await this.get(`/v1/users/${id}`, userResponse)).user;
  }

  /** `POST /v1/webhooks` (API-CONTRACTS 1.3); keep the returned `token` to check incoming events. */
  async createWebhook(input: {
    url: string;
    events?: readonly string[];
    customName?: string;
  }): Promise<AircallCreatedWebhook> {
    const body = {
      url: input.url,
      ...(input.events ? { events: [...input.events] } : {}),
      ...(input.customName === undefined ? {} : { custom_name: input.customName }),
    };
    return (await this.send('POST', '/v1/webhooks', { body, schema: webhookResponse })).webhook;
  }

  /** `GET /v1/webhooks`, every page. */
  async listWebhooks(): Promise<AircallWebhook[]> {
    return this.listAll('/v1/webhooks', {}, webhooksPage, (p) => p.webhooks);
  }

  /** `DELETE /v1/webhooks/:id`. */
  async deleteWebhook(id: string): Promise<void> {
    await this.send('DELETE', `/v1/webhooks/${encodeURIComponent(id)}`);
  }

  private get<S extends z.ZodType>(path: string, schema: S, query: Query = {}): Promise<z.output<S>> {
    return this.send('GET', path, { query, schema });
  }

  /** Every page of a list, following `meta.next_page_link` (API-CONTRACTS 1.6). */
  private async listAll<S extends z.ZodType<PageOf>, T>(
    path: string,
    query: Query,
    schema: S,
    items: (page: z.output<S>) => T[],
  ): Promise<T[]> {
    const out: T[] = [];
    const seen = new Set<string>();
    let next: string | null = this.url(path, { ...query, per_page: this.perPage });
    for (let n = 0; next && n < this.maxPages; n++) {
      seen.add(next);
      const page: z.output<S> = await this.send('GET', next, { schema });
      out.push(...items(page));
      const link: string | null | undefined = page.meta?.next_page_link;
      next = link ? this.follow(link) : null;
      if (next && seen.has(next)) next = null;
    }
    return out;
  }

  private url(path: string, query: Query = {}): string {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
    const qs = params.toString();
    return `${this.baseUrl}${path}${qs ? `?${qs}` : ''}`;
  }

  /** A next-page link on our base URL: Aircall's links name api.aircall.io, a proxy or the sandbox may not. */
  private follow(link: string): string {
    if (link.startsWith(this.baseUrl)) return link;
    try {
      const u = new URL(link);
      return `${this.baseUrl}${u.pathname}${u.search}`;
    } catch {
      return `${this.baseUrl}${link.startsWith('/') ? '' : '/'}${link}`;
    }
  }

  private send(
    method: string,
    pathOrUrl: string,
    opts?: { query?: Query; body?: unknown },
  ): Promise<undefined>;
  private send<S extends z.ZodType>(
    method: string,
    pathOrUrl: string,
    opts: { query?: Query; body?: unknown; schema: S },
  ): Promise<z.output<S>>;
  private async send(
    method: string,
    pathOrUrl: string,
    opts: { query?: Query; body?: unknown; schema?: z.ZodType } = {},
  ): Promise<unknown> {
    const url = /^https?:\/\//.test(pathOrUrl) ? pathOrUrl : this.url(pathOrUrl, opts.query);
    const path = new URL(url).pathname;
    let res: Response;
    try {
      res = await this.fetchImpl(url, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(opts.body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      const e = err as Error;
      const why = e.name === 'TimeoutError' ? `no answer within ${this.timeoutMs} ms` : e.message;
      throw new VendorError({
        vendor: 'aircall',
        status: 0,
        code: 'network',
        message: `Could not reach Aircall at ${this.baseUrl} (${method} ${path}: ${why}). Check the Aircall API URL and the network; it is retried with backoff.`,
      });
    }
    const headers = headersOf(res);
    const text = await res.text().catch(() => '');
    let json: unknown = null;
    if (text.trim() !== '') {
      try {
        json = JSON.parse(text);
      } catch {
        json = text;
      }
    }
    if (!res.ok) throw aircallError(res.status, method, path, json, headers);
    if (!opts.schema) return undefined;
    const parsed = opts.schema.safeParse(json);
    if (!parsed.success) {
      const where = parsed.error.issues
        .slice(0, 3)
        .map((i) => `${i.path.join('.') || '(body)'}: ${i.message}`)
        .join('; ');
      throw new VendorError({
        vendor: 'aircall',
        status: res.status,
        code: 'unexpected_response',
        message: `Aircall ${method} ${path} answered ${res.status} with a body this client cannot read (${where}). Aircall may have changed its API: report it with this message.`,
        body: json,
        headers,
      });
    }
    return parsed.data;
  }
}
