/**
 * JobAdder's API v2 as this product uses it (API-CONTRACTS 4): the phone
 * search, contacts and candidates, notes on both (create, read, update, list
 * by type and reference), note types, the current user and the user list; and the OAuth token
 * calls at JobAdder's identity server. Every request goes to the account's
 * API base URL, the `api` of the token response (4.1: "it can differ per
 * account or region"), never to a hard-coded host. Every non-2xx answer is a
 * VendorError (api-errors.ts) that `decideRetry` classifies; the client
 * itself only retries once, after refreshing a token JobAdder answered 401 to.
 */
import type { z } from 'zod';
import { headersOf } from '../../http/vendor.ts';
import { jobadderError, jobadderUnexpected, jobadderUnreachable } from './api-errors.ts';
import {
  type JobadderNote,
  type JobadderNoteType,
  type JobadderPerson,
  type JobadderUser,
  rawCandidateListSchema,
  rawCandidateSchema,
  rawContactListSchema,
  rawContactSchema,
  rawNoteListSchema,
  rawNoteSchema,
  rawNoteTypesSchema,
  rawPhoneMatchesSchema,
  rawTokenSchema,
  rawUserListSchema,
  rawUserSchema,
  toJobadderCandidate,
  toJobadderContact,
  toJobadderNote,
  toJobadderNoteTypes,
  toJobadderPhoneMatches,
  toJobadderUser,
} from './api-schemas.ts';
import { type Answer, parseAnswer, postOAuthForm, readBody, trimSlash } from '../../http/answer.ts';

export type { JobadderNote, JobadderNoteType, JobadderPerson, JobadderUser } from './api-schemas.ts';

type Fetch = typeof fetch;

/** Longest wait for one JobAdder answer. */
const REQUEST_TIMEOUT_MS = 30_000;

/** Users asked for per page of `GET /users`; JobAdder's own maximum is unverified, so pages advance by what came. */
const USERS_PAGE_SIZE = 100;
/** Pages read at most (10,000 users): a list that never ends is JobAdder misbehaving, not an agency. */
const USERS_MAX_PAGES = 100;

/** The record kinds notes are written on (JA-CALL-1), and their API collection. */
export type JobadderRecordKind = 'contact' | 'candidate';
const COLLECTION: Record<JobadderRecordKind, string> = { contact: 'contacts', candidate: 'candidates' };

/** Where the client gets its Bearer token (the OAuth access token). */
export interface JobadderAuth {
  token(): Promise<string>;
  /** Called once when JobAdder answers 401; returns the new token. */
  refresh?(): Promise<string>;
}

export interface JobadderClientOptions {
  /** The account's API base URL, the token response's `api` (a refresh may change it, hence a function). */
  apiBase: string | (() => string);
  auth: JobadderAuth;
  fetch?: Fetch;
}

/** `AddContactNoteCommand` / `AddCandidateNoteCommand` (API-CONTRACTS 4.2). */
export interface AddNoteCommand {
  text: string;
  /** ≤ 50 characters; one of the account's note types. */
  type?: string;
  /** ≤ 200 characters; lets `listNotes({reference})` find the note again (GEN-IDEM-1). */
  reference?: string;
  createdByIntegration?: boolean;
  /** The user the note is credited to when not the token's user: userId or email. */
  createdBy?: { userId?: number; email?: string };
}

export interface ListNotesQuery {
  type?: string;
  reference?: string;
  /** e.g. "-updatedAt" (API-CONTRACTS 4.2 "Sort=-createdAt"). */
  sort?: string;
  /** Ask for each note's whole text (`Fields=text`). */
  withText?: boolean;
  limit?: number;
}

function parsed<S extends z.ZodType>(schema: S, answer: Answer, what: string): z.output<S> {
  return parseAnswer(schema, answer, what, jobadderUnexpected);
}

const seg = encodeURIComponent;

export class JobadderClient {
  private readonly apiBase: () => string;
  private readonly auth: JobadderAuth;
  private readonly fetchFn: Fetch;

  constructor(opts: JobadderClientOptions) {
    const base = opts.apiBase;
    this.apiBase = typeof base === 'string' ? () => base : base;
    this.auth = opts.auth;
    this.fetchFn = opts.fetch ?? fetch;
  }

  /** One request under the account's API base; a 401 refreshes the token and retries once. */
  private async request(method: string, path: string, body?: unknown): Promise<Answer> {
    const what = `${method} ${path.split('?')[0]}`;
    const base = trimSlash(this.apiBase() ?? '');
    if (!base) {
      throw new Error(
        "JobAdder's API base URL is unknown (the token response's `api`): connect JobAdder again from the dashboard",
      );
    }
    const send = async (token: string): Promise<Answer> => {
      let res: Response;
      try {
        res = await this.fetchFn(`${base}${path}`, {
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
        throw jobadderUnreachable(what, base, err);
      }
      return { status: res.status, json: await readBody(res), headers: headersOf(res) };
    };
    let answer = await send(await this.auth.token());
    // API-CONTRACTS 4.1: access tokens live 60 minutes; an expired one is answered 401.
    if (answer.status === 401 && this.auth.refresh) answer = await send(await this.auth.refresh());
    if (answer.status < 200 || answer.status >= 300) {
      throw jobadderError(answer.status, answer.json, answer.headers, what);
    }
    return answer;
  }

  /**
   * `GET /search/phonenumber?E164=...` (API-CONTRACTS 4.2): the contacts and
   * candidates whose phone or mobile is this number, JobAdder's top 5 most
   * recently updated of each.
   */
  async searchByPhone(e164: string): Promise<JobadderPerson[]> {
    const answer = await this.request('GET', `/search/phonenumber?${new URLSearchParams({ E164: e164 })}`);
    return toJobadderPhoneMatches(parsed(rawPhoneMatchesSchema, answer, 'the phone search'));
  }

  /** `GET /contacts/{contactId}` or `GET /candidates/{candidateId}` (API-CONTRACTS 4.2); 404 -> VendorError. */
  async record(kind: JobadderRecordKind, id: string): Promise<JobadderPerson> {
    const answer = await this.request('GET', `/${COLLECTION[kind]}/${seg(id)}`);
    return kind === 'contact'
      ? toJobadderContact(parsed(rawContactSchema, answer, `contact ${id}`))
      : toJobadderCandidate(parsed(rawCandidateSchema, answer, `candidate ${id}`));
  }

  /**
   * One page of `GET /contacts?Offset=&Limit=` or `GET /candidates?...`
   * (API-CONTRACTS 4.2 "Find contacts", "Find candidates"), in JobAdder's
   * order; `totalCount` is how many there are in all (the doctor's bounded scan, GEN-DOC-3).
   */
  async listRecords(
    kind: JobadderRecordKind,
    page: { offset: number; limit: number },
  ): Promise<{ items: JobadderPerson[]; totalCount: number | null }> {
    const q = new URLSearchParams({ Offset: String(page.offset), Limit: String(page.limit) });
    const answer = await this.request('GET', `/${COLLECTION[kind]}?${q}`);
    if (kind === 'contact') {
      const body = parsed(rawContactListSchema, answer, 'the contact list');
      return { items: body.items.map(toJobadderContact), totalCount: body.totalCount ?? null };
    }
    const body = parsed(rawCandidateListSchema, answer, 'the candidate list');
    return { items: body.items.map(toJobadderCandidate), totalCount: body.totalCount ?? null };
  }

  /**
   * `POST /contacts/{contactId}/notes` / `POST /candidates/{candidateId}/notes`
   * (API-CONTRACTS 4.2): 201 NoteModel; 404 when the record does not exist.
   */
  async addNote(kind: JobadderRecordKind, recordId: string, cmd: AddNoteCommand): Promise<JobadderNote> {
    const answer = await this.request('POST', `/${COLLECTION[kind]}/${seg(recordId)}/notes`, cmd);
    return toJobadderNote(parsed(rawNoteSchema, answer, `the new note on ${kind} ${recordId}`));
  }

  /** `GET /notes/{noteId}` (API-CONTRACTS 4.2); 404 -> VendorError. */
  async note(noteId: string): Promise<JobadderNote> {
    const answer = await this.request('GET', `/notes/${seg(noteId)}`);
    return toJobadderNote(parsed(rawNoteSchema, answer, `note ${noteId}`));
  }

  /** `PUT /notes/{noteId}` with `UpdateNoteCommand {type, text}` (API-CONTRACTS 4.2): 204; the whole text replaces the old. */
  async updateNote(noteId: string, cmd: { text: string; type?: string }): Promise<void> {
    await this.request('PUT', `/notes/${seg(noteId)}`, cmd);
  }

  /**
   * One page of a record's notes, `GET /contacts/{id}/notes?Type=&Reference=&Sort=&Fields=text`
   * (API-CONTRACTS 4.2: "use `Reference` to find our earlier note").
   */
  async listNotes(
    kind: JobadderRecordKind,
    recordId: string,
    q: ListNotesQuery = {},
  ): Promise<JobadderNote[]> {
    const query = new URLSearchParams();
    if (q.type) query.set('Type', q.type);
    if (q.reference) query.set('Reference', q.reference);
    if (q.sort) query.set('Sort', q.sort);
    if (q.withText) query.set('Fields', 'text');
    if (q.limit !== undefined) query.set('Limit', String(q.limit));
    const suffix = query.size > 0 ? `?${query}` : '';
    const answer = await this.request('GET', `/${COLLECTION[kind]}/${seg(recordId)}/notes${suffix}`);
    return parsed(rawNoteListSchema, answer, `the notes of ${kind} ${recordId}`).items.map(toJobadderNote);
  }

  /** `GET /contacts/lists/notetype` / `GET /candidates/lists/notetype` (API-CONTRACTS 4.2). */
  async noteTypes(kind: JobadderRecordKind): Promise<JobadderNoteType[]> {
    const answer = await this.request('GET', `/${COLLECTION[kind]}/lists/notetype`);
    return toJobadderNoteTypes(parsed(rawNoteTypesSchema, answer, `the ${kind} note types`));
  }

  /** `GET /users/current` (API-CONTRACTS 4.2): the user the token acts as (the installer). */
  async currentUser(): Promise<JobadderUser> {
    const answer = await this.request('GET', '/users/current');
    return toJobadderUser(parsed(rawUserSchema, answer, 'the current user'));
  }

  /**
   * Every user of the account (GEN-EMAIL-1 matches agents to them by email),
   * `GET /users?Offset=&Limit=` page after page until `totalCount` is reached
   * or a page comes back short [spec: JobAdder's OpenAPI v2, `{items:
   * [UserSummaryModel], totalCount, links}`; not yet listed in API-CONTRACTS 4.2].
   */
  async users(): Promise<JobadderUser[]> {
    const out: JobadderUser[] = [];
    for (let page = 0; page < USERS_MAX_PAGES; page++) {
      const q = new URLSearchParams({ Offset: String(out.length), Limit: String(USERS_PAGE_SIZE) });
      const answer = await this.request('GET', `/users?${q}`);
      const body = parsed(rawUserListSchema, answer, 'the user list');
      out.push(...body.items.map(toJobadderUser));
      const total = body.totalCount ?? null;
      const more = total !== null ? out.length < total : Boolean(body.links?.next);
      if (body.items.length === 0 || !more) return out;
    }
    throw jobadderUnexpected(
      200,
      null,
      'the user list',
      `more than ${USERS_MAX_PAGES} pages of ${USERS_PAGE_SIZE} users: JobAdder kept answering pages past totalCount`,
    );
  }
}

// ---------------------------------------------------------------------------
// OAuth (API-CONTRACTS 4.1: token at {JOBADDER_ID_URL}/connect/token, form-encoded)

/**
 * The scopes this product asks for (API-CONTRACTS 4.1): read contacts and
 * candidates, write their notes, read the current user, and `offline_access`
 * for a refresh token. It also reads back the notes it wrote (the SMS
 * conversation note, JA-SMS-1; the note of an interrupted create, GEN-IDEM-1),
 * hence the notes' read scopes of JobAdder's scope list.
 */
export const JOBADDER_SCOPES = [
  'read_contact',
  'read_contact_note',
  'write_contact_note',
  'read_candidate',
  'read_candidate_note',
  'write_candidate_note',
  'read_user',
  'offline_access',
] as const;

export interface JobadderTokens {
  accessToken: string;
  /** Refresh tokens rotate: each refresh may answer a new one, which replaces the old. */
  refreshToken: string | null;
  /** UNIX ms, from the `now` passed (the caller's clock) plus `expires_in`. */
  expiresAt: number;
  /** The account's API base URL (`api`). */
  apiBase: string;
}

interface TokenCallBase {
  /** JobAdder's identity host, e.g. https://id.jobadder.com (config JOBADDER_ID_URL). */
  idUrl: string;
  clientId: string;
  clientSecret: string;
  fetch?: Fetch;
  /** UNIX ms; default Date.now(). */
  now?: number;
}

/** The consent page (`GET {idUrl}/connect/authorize`, API-CONTRACTS 4.1 step 1). */
export function jobadderAuthorizeUrl(opts: {
  idUrl: string;
  clientId: string;
  redirectUri: string;
  state: string;
}): string {
  const url = new URL('/connect/authorize', opts.idUrl);
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', opts.clientId);
  url.searchParams.set('scope', JOBADDER_SCOPES.join(' '));
  url.searchParams.set('redirect_uri', opts.redirectUri);
  url.searchParams.set('state', opts.state);
  return url.toString();
}

async function tokenCall(
  opts: TokenCallBase,
  form: Record<string, string>,
  what: string,
): Promise<JobadderTokens> {
  const now = opts.now ?? Date.now();
  const url = `${trimSlash(opts.idUrl)}/connect/token`;
  const answer = await postOAuthForm(
    {
      url,
      form: { client_id: opts.clientId, client_secret: opts.clientSecret, ...form },
      ...(opts.fetch ? { fetch: opts.fetch } : {}),
      timeoutMs: REQUEST_TIMEOUT_MS,
    },
    (e) => jobadderUnreachable(what, opts.idUrl, e),
    (a) => jobadderError(a.status, a.json, a.headers, what),
  );
  const t = parsed(rawTokenSchema, answer, what);
  return {
    accessToken: t.access_token,
    refreshToken: t.refresh_token ?? null,
    expiresAt: now + t.expires_in * 1000,
    apiBase: trimSlash(t.api),
  };
}

/** Exchanges an authorization code (valid 5 minutes, API-CONTRACTS 4.1 step 2) for tokens and the `api` base URL. */
export async function exchangeJobadderCode(
  opts: TokenCallBase & { redirectUri: string; code: string },
): Promise<JobadderTokens> {
  return tokenCall(
    opts,
    { grant_type: 'authorization_code', code: opts.code, redirect_uri: opts.redirectUri },
    'the authorization code exchange',
  );
}

/**
 * A new access token for a refresh token (API-CONTRACTS 4.1, needs
 * `offline_access`). JobAdder may rotate the refresh token: the answer's
 * replaces the old one, which is kept only when none comes back. A refused
 * refresh token -> VendorError 400 `invalid_grant`.
 */
export async function refreshJobadderToken(
  opts: TokenCallBase & { refreshToken: string },
): Promise<JobadderTokens> {
  const tokens = await tokenCall(
    opts,
    { grant_type: 'refresh_token', refresh_token: opts.refreshToken },
    'the token refresh',
  );
  return { ...tokens, refreshToken: tokens.refreshToken ?? opts.refreshToken };
}
