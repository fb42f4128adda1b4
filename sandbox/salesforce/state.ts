/**
 * The Salesforce simulator's in-memory world: orgs with their users,
 * records and field settings, and the connected apps, codes and tokens that
 * open them.
 */
import { WindowLimiter } from '../common/sim.ts';
import { type FieldDef, type FieldValue, SOBJECT_TYPES, type SObjectType } from './catalog.ts';

/** One stored record. Values are JSON values; datetimes in Salesforce's format (`sfDateTime`). */
export interface StoredRecord {
  type: SObjectType;
  Id: string;
  fields: Record<string, FieldValue>;
  deleted: boolean;
}

/** What an org's admin changed about an object's fields (seed `fields`). */
export interface FieldSettings {
  /** Fields hidden from the API user by field-level security: absent from describe, refused on read and write. */
  hidden: Set<string>;
  /** Custom fields the org added (SF-FLD-1's and the bridge key exist by default). */
  custom: FieldDef[];
}

export interface Org {
  orgId: string;
  name: string;
  /** Access tokens die after this long without use (Session Settings "Timeout value"). */
  sessionTimeoutMs: number;
  /** Person Accounts enabled: Account gains IsPersonAccount and Person* fields; Lead.Company is optional (SF-LEAD-1). */
  personAccounts: boolean;
  fieldSettings: Partial<Record<SObjectType, FieldSettings>>;
  records: Record<SObjectType, Map<string, StoredRecord>>;
  /** The rolling 24 h API request allocation (API-CONTRACTS 3.5). */
  dailyApiRequests: number;
  apiUsage: WindowLimiter;
  nextCaseNumber: number;
  /** The org's profiles, by role (`admin`: System Administrator). */
  profiles: { admin: string; standard: string };
}

export interface OAuthApp {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
}

export interface AuthCode {
  code: string;
  clientId: string;
  redirectUri: string;
  orgId: string;
  userId: string;
  scope: string;
  expiresAt: number;
  used: boolean;
}

/** An access token (OAuth session) or a seeded read token (`expires: false`). */
export interface Session {
  token: string;
  orgId: string;
  userId: string;
  clientId: string | null;
  /** Inactivity expiry: a session dies `sessionTimeoutMs` after its last use. */
  lastUsedAt: number;
  expires: boolean;
  revoked: boolean;
  /** The refresh token that issued it (revoking that revokes this). */
  refreshToken: string | null;
}

export interface RefreshGrant {
  token: string;
  orgId: string;
  userId: string;
  clientId: string;
  scope: string;
  revoked: boolean;
}

/** A SOQL result kept for `nextRecordsUrl` (API-CONTRACTS 3.1 "SOQL"). */
export interface QueryCursor {
  orgId: string;
  rows: Record<string, unknown>[];
  totalSize: number;
}

export const DEFAULT_SESSION_TIMEOUT_MS = 2 * 60 * 60_000;
/** Enterprise-like default allocation (API-CONTRACTS 3.5 example `api-usage=25/15000`). */
export const DEFAULT_DAILY_API_REQUESTS = 15_000;
export const DAY_MS = 24 * 60 * 60_000;

export interface SalesforceState {
  orgs: Map<string, Org>;
  apps: Map<string, OAuthApp>;
  codes: Map<string, AuthCode>;
  sessions: Map<string, Session>;
  refreshTokens: Map<string, RefreshGrant>;
  cursors: Map<string, QueryCursor>;
  /** Record numbers are unique across orgs, as Salesforce ids are. */
  nextRecordNumber: number;
}

export function createState(): SalesforceState {
  return {
    orgs: new Map(),
    apps: new Map(),
    codes: new Map(),
    sessions: new Map(),
    refreshTokens: new Map(),
    cursors: new Map(),
    nextRecordNumber: 1,
  };
}

export function clearState(state: SalesforceState): void {
  state.orgs.clear();
  state.apps.clear();
  state.codes.clear();
  state.sessions.clear();
  state.refreshTokens.clear();
  state.cursors.clear();
  state.nextRecordNumber = 1;
}

export function emptyRecords(): Record<SObjectType, Map<string, StoredRecord>> {
  return Object.fromEntries(SOBJECT_TYPES.map((t) => [t, new Map()])) as Record<
    SObjectType,
    Map<string, StoredRecord>
  >;
}

export function newOrg(orgId: string): Org {
  return {
    orgId,
    name: `Org ${orgId}`,
    sessionTimeoutMs: DEFAULT_SESSION_TIMEOUT_MS,
    personAccounts: false,
    fieldSettings: {},
    records: emptyRecords(),
    dailyApiRequests: DEFAULT_DAILY_API_REQUESTS,
    apiUsage: new WindowLimiter(DEFAULT_DAILY_API_REQUESTS, DAY_MS),
    nextCaseNumber: 1001,
    profiles: { admin: '', standard: '' },
  };
}

/** The org's live users in creation order; the first is the default API user (the installer). */
export function usersOf(org: Org): StoredRecord[] {
  return [...org.records.User.values()];
}

/**
 * Salesforce's datetime format, `2026-11-22T04:33:58.000+0000` (UTC), as
 * REST answers carry CreatedDate and the like.
 */
export function sfDateTime(ms: number): string {
  return new Date(ms).toISOString().replace('Z', '+0000');
}

/** UNIX ms of a datetime in Salesforce's or ISO format, or NaN. */
export function parseDateTime(value: string): number {
  const normalized = value.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
  return Date.parse(normalized);
}

/**
 * A copy of an org's records to roll back to (allOrNone): returns the
 * function that puts them back. Ids handed out meanwhile are not reused.
 */
export function snapshotOrg(org: Org): () => void {
  const saved = Object.fromEntries(
    Object.entries(org.records).map(([type, map]) => [
      type,
      new Map([...map].map(([id, rec]) => [id, { ...rec, fields: { ...rec.fields } }])),
    ]),
  ) as Org['records'];
  const caseNumber = org.nextCaseNumber;
  return () => {
    org.records = saved;
    org.nextCaseNumber = caseNumber;
  };
}
