/**
 * The JobAdder simulator's in-memory world: accounts (JobAdder tenants) with
 * their users, contacts, candidates, note types and notes, and the OAuth
 * apps, codes and tokens of JobAdder's identity server (API-CONTRACTS 4.1).
 */

/** A JobAdder user (UserRepresentation, API-CONTRACTS 4.2). */
export interface User {
  userId: number;
  firstName: string;
  lastName: string;
  email: string;
  position: string | null;
  phone: string | null;
  mobile: string | null;
  /** GEN-ADM-1: the backend reads these to tell whether the installer still may act. */
  admin: boolean;
  inactive: boolean;
  deleted: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Company {
  companyId: number;
  name: string;
}

/** A contact or a candidate: the fields the simulator keeps of both. */
export interface Person {
  id: number;
  firstName: string;
  lastName: string;
  email: string | null;
  /** As the user typed them: any format (GEN-PHONE-1). */
  phone: string | null;
  mobile: string | null;
  /** Contacts: their company; candidates: their current employer. */
  companyId: number | null;
  position: string | null;
  /** Contacts: the owner; candidates: the recruiter. */
  ownerUserId: number | null;
  createdAt: number;
  updatedAt: number;
}

export const RECORD_KINDS = ['contacts', 'candidates'] as const;
export type RecordKind = (typeof RECORD_KINDS)[number];

/** NoteTypeModel (API-CONTRACTS 4.2): `default` says which kind of activity uses the type by default. */
export interface NoteType {
  name: string;
  default: { note: boolean; email: boolean; sms: boolean };
}

export interface Note {
  /** A UUID (NoteModel.noteId). */
  noteId: string;
  type: string;
  source: string | null;
  text: string;
  subject: string | null;
  reference: string | null;
  readonly: boolean;
  createdByIntegration: boolean;
  createdBy: number | null;
  createdAt: number;
  updatedBy: number | null;
  updatedAt: number;
  contactIds: number[];
  candidateIds: number[];
  companyIds: number[];
}

/** A per-account request limit; JobAdder publishes none (API-CONTRACTS 4.3), so it is off unless set. */
export interface RateLimit {
  max: number;
  windowMs: number;
}

export interface Account {
  accountId: string;
  name: string;
  /** ISO country used to read stored numbers that have no country code (GEN-PHONE-1). */
  defaultCountry: string;
  /** Path of the account's API base URL, the token response's `api` (API-CONTRACTS 4.1), e.g. "/v2". */
  apiPath: string;
  /** Longest note text accepted; JobAdder publishes none (API-CONTRACTS 4.3). */
  maxNoteLength: number;
  rateLimit: RateLimit | null;
  users: Map<number, User>;
  companies: Map<number, Company>;
  records: Record<RecordKind, Map<number, Person>>;
  noteTypes: Record<RecordKind, NoteType[]>;
  notes: Map<string, Note>;
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

/** Who a token acts for: an account and one of its users (JobAdder tokens are per user). */
export interface Grant {
  accountId: string;
  userId: number | null;
  clientId: string;
  scopes: string[];
}

export interface AuthCode extends Grant {
  code: string;
  redirectUri: string;
  expiresAt: number;
  used: boolean;
}

export interface AccessToken extends Grant {
  token: string;
  /** null: a seeded read token, which never expires. */
  expiresAt: number | null;
}

export interface RefreshToken extends Grant {
  token: string;
  /** Rotated (used once) or revoked (`POST /_sandbox/revoke`). */
  valid: boolean;
}

/** Settings given to accounts that do not set their own (`POST /_sandbox/limits` without accountId). */
export interface AccountDefaults {
  maxNoteLength: number;
  rateLimit: RateLimit | null;
}

/** API-CONTRACTS 4.3: no published maximum; 10,000 is this project's defensive figure. */
export const DEFAULT_MAX_NOTE_LENGTH = 10_000;

export interface JobadderState {
  accounts: Map<string, Account>;
  apps: Map<string, OAuthApp>;
  codes: Map<string, AuthCode>;
  accessTokens: Map<string, AccessToken>;
  refreshTokens: Map<string, RefreshToken>;
  defaults: AccountDefaults;
  /** Next id for users, contacts, candidates and companies: one counter, so ids never collide. */
  nextId: number;
}

function freshDefaults(): AccountDefaults {
  return { maxNoteLength: DEFAULT_MAX_NOTE_LENGTH, rateLimit: null };
}

export function createState(): JobadderState {
  return {
    accounts: new Map(),
    apps: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    defaults: freshDefaults(),
    nextId: 1001,
  };
}

export function clearState(state: JobadderState): void {
  state.accounts.clear();
  state.apps.clear();
  state.codes.clear();
  state.accessTokens.clear();
  state.refreshTokens.clear();
  state.defaults = freshDefaults();
  state.nextId = 1001;
}

/** A fresh id, above every id seen so far. */
export function nextId(state: JobadderState): number {
  return state.nextId++;
}

/** Keeps the counter above an id given explicitly (seeded). */
export function reserveId(state: JobadderState, id: number): void {
  if (id >= state.nextId) state.nextId = id + 1;
}

/** The account a token opens (expired or not), or null; used to log requests per account. */
export function accountIdOfToken(state: JobadderState, token: string): string | null {
  return state.accessTokens.get(token)?.accountId ?? null;
}

/** The account a token-endpoint request is for, from its code or refresh token (used or not), or null. */
export function accountIdOfGrant(state: JobadderState, body: unknown): string | null {
  if (!body || typeof body !== 'object') return null;
  const { code, refresh_token: refresh } = body as { code?: unknown; refresh_token?: unknown };
  if (typeof code === 'string') return state.codes.get(code)?.accountId ?? null;
  if (typeof refresh === 'string') return state.refreshTokens.get(refresh)?.accountId ?? null;
  return null;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
