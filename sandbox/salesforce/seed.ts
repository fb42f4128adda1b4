/**
 * The Salesforce simulator's seed (`POST /_sandbox/seed`): connected apps and
 * orgs with users, records and field settings; additive (an org seeded again
 * gains what the new seed adds).
 */
import { z } from 'zod';
import {
  CUSTOM_FIELD_TYPES,
  type FieldDef,
  type FieldValue,
  SOBJECT_TYPES,
  type SObjectType,
  sobjectDef,
} from './catalog.ts';
import { SalesforceSimError } from './errors.ts';
import { KEY_PREFIXES, ORG_PREFIX, makeId, to18 } from './ids.ts';
import { openSession } from './oauth.ts';
import { type WriteContext, createRecord, updateRecord } from './records.ts';
import {
  type Org,
  type SalesforceState,
  type StoredRecord,
  newOrg,
  parseDateTime,
  snapshotOrg,
} from './state.ts';

const timeLike = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? v : parseDateTime(v)))
  .refine((ms) => Number.isFinite(ms), 'a UNIX ms number or an ISO date');

/** A 15- or 18-character id with the right key prefix (use `makeId` from ids.ts to build one). */
const idOf = (prefix: string, what: string) =>
  z.string().transform((raw, ctx) => {
    const id = to18(raw);
    if (id === null || !id.startsWith(prefix)) {
      ctx.addIssue({
        code: 'custom',
        message: `${raw} is not a ${what} id: 15 or 18 characters starting with ${prefix} (an 18-character id must end with its checksum)`,
      });
      return z.NEVER;
    }
    return id;
  });

const userSeed = z.strictObject({
  /** Given: the user's id (005...); an existing id updates that user with the other fields given. */
  Id: idOf(KEY_PREFIXES.User, 'User').optional(),
  FirstName: z.string().optional(),
  LastName: z.string().min(1).optional(),
  Email: z.string().min(3).optional(),
  /** Default: the email. */
  Username: z.string().optional(),
  IsActive: z.boolean().optional(),
  /** SF-OWN-1 reads it ("has existed for at least one day"). Default: the seed time. */
  CreatedDate: timeLike.optional(),
  /** System Administrator profile (PermissionsModifyAllData) rather than Standard User. Default true for new users. */
  admin: z.boolean().optional(),
});

const customFieldSeed = z.strictObject({
  /** API name, ending in `__c`. */
  name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]*__c$/, 'a custom field API name ending in __c'),
  label: z.string().min(1),
  type: z.enum(CUSTOM_FIELD_TYPES),
  /** Text length (defaults: string 255, textarea 32000, phone 40, email 80, url 255). */
  length: z.number().int().positive().optional(),
  /** Universally required: creation (and any update) without a value is REQUIRED_FIELD_MISSING (GEN-REQ-1). */
  required: z.boolean().default(false),
  externalId: z.boolean().default(false),
  unique: z.boolean().default(false),
  picklistValues: z.array(z.string()).default([]),
  defaultValue: z.union([z.string(), z.number(), z.boolean()]).optional(),
});

const fieldValue = z.union([z.string(), z.number(), z.boolean(), z.null()]);
/** A record: its field values, plus Id?, CreatedDate?, LastModifiedDate? (ISO or UNIX ms). */
const recordSeed = z.record(z.string(), fieldValue);

const RECORD_TYPES = [
  'Account',
  'Contact',
  'Lead',
  'Opportunity',
  'Case',
  'OpportunityContactRole',
  'Task',
] as const;
type SeedRecordType = (typeof RECORD_TYPES)[number];

const orgSeed = z.strictObject({
  orgId: idOf(ORG_PREFIX, 'organization'),
  name: z.string().optional(),
  /** Access tokens die after this long without use. Default 2 h. */
  sessionTimeoutMs: z.number().int().positive().optional(),
  personAccounts: z.boolean().optional(),
  /** Non-expiring session tokens acting as the org's first user, for tests to read back (not OAuth). */
  readTokens: z.array(z.string().min(8)).default([]),
  /** A new org needs at least one: the first is the default API user (the installer) and owner. */
  users: z.array(userSeed).default([]),
  records: z
    .strictObject(Object.fromEntries(RECORD_TYPES.map((t) => [t, z.array(recordSeed).optional()])))
    .default({}),
  fields: z
    .strictObject(
      Object.fromEntries(
        SOBJECT_TYPES.map((t) => [
          t,
          z
            .strictObject({
              /** Field-level security: fields the API user cannot see (absent from describe, INVALID_FIELD on use). */
              hidden: z.array(z.string()).default([]),
              custom: z.array(customFieldSeed).default([]),
            })
            .optional(),
        ]),
      ),
    )
    .default({}),
  /** The rolling 24 h API request allocation. Default 15,000. */
  dailyApiRequests: z.number().int().positive().optional(),
});

/**
 * Seed body (all parts optional, additive):
 * ```
 * {
 *   oauthApps?: [{ clientId, clientSecret, redirectUris: string[] }],   // connected apps
 *   orgs?: [{
 *     orgId: "00D..." (15 or 18 characters; answers use 18),
 *     name?, sessionTimeoutMs? (default 7_200_000), personAccounts? (default false),
 *     dailyApiRequests? (default 15000),
 *     readTokens?: string[],              // Bearer tokens that never expire, acting as the first user
 *     users?: [{ Id?, FirstName?, LastName, Email, Username?, IsActive? (true), CreatedDate?, admin? (true) }],
 *             // the first user of a new org is the API user; an existing Id updates that user
 *     records?: { Account?|Contact?|Lead?|Opportunity?|Case?|OpportunityContactRole?|Task?:
 *                 [{ Id?, <Field>: value, ..., CreatedDate?, LastModifiedDate? }] },
 *             // loaded as data already in Salesforce: read-only fields (IsConverted, ConvertedContactId...)
 *             // may be set and required fields may be missing; names, types, lengths and references are checked.
 *             // An Account with LastName and no Name is a Person Account (personAccounts orgs).
 *     fields?: { <SObject>: { hidden?: string[],
 *                             custom?: [{ name: "X__c", label, type, length?, required?, externalId?, unique?,
 *                                         picklistValues?, defaultValue? }] } },
 *   }]
 * }
 * ```
 * Every org has SF-FLD-1's `aircall__*__c` Task fields and the bridge's
 * `Aircall_Bridge_Key__c` (external id, unique) on Task, Contact, Lead,
 * Account and Case; `hidden` removes any of them. Times are UNIX ms or ISO.
 * Answers `{ ok, orgs: [{ orgId, userIds, profileIds: {admin, standard}, ids: { <SObject>: string[] } }] }`
 * with the 18-character ids assigned, in seed order.
 */
export const salesforceSeedSchema = z.strictObject({
  oauthApps: z
    .array(
      z.strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        redirectUris: z.array(z.string().url()),
      }),
    )
    .default([]),
  orgs: z.array(orgSeed).default([]),
});
export type SalesforceSeed = z.input<typeof salesforceSeedSchema>;

export interface SeedResult {
  ok: true;
  orgs: {
    orgId: string;
    userIds: string[];
    profileIds: { admin: string; standard: string };
    ids: Partial<Record<SeedRecordType, string[]>>;
  }[];
}

const DEFAULT_LENGTHS: Partial<Record<string, number>> = {
  string: 255,
  textarea: 32000,
  phone: 40,
  email: 80,
  url: 255,
  picklist: 255,
};

function toFieldDef(c: z.infer<typeof customFieldSeed>): FieldDef {
  const isBool = c.type === 'boolean';
  return {
    name: c.name,
    label: c.label,
    type: c.type,
    length: c.length ?? DEFAULT_LENGTHS[c.type] ?? 0,
    createable: true,
    updateable: true,
    nillable: isBool ? false : !c.required,
    defaultedOnCreate: isBool || c.defaultValue !== undefined,
    externalId: c.externalId,
    unique: c.unique,
    custom: true,
    picklistValues: c.picklistValues.map((value) => ({ value })),
    restrictedPicklist: false,
    referenceTo: [],
    relationshipName: null,
    defaultValue: c.defaultValue ?? (isBool ? false : undefined),
  };
}

function ensureProfiles(state: SalesforceState, org: Org, actorId: string, now: number): void {
  if (org.profiles.admin) return;
  const ctx: WriteContext = { state, org, actorId, now, trusted: true };
  const make = (Name: string, admin: boolean) =>
    createRecord(ctx, 'Profile', { Name, PermissionsModifyAllData: admin, PermissionsApiEnabled: true }).Id;
  org.profiles = { admin: make('System Administrator', true), standard: make('Standard User', false) };
}

function seedUser(
  state: SalesforceState,
  org: Org,
  now: number,
  u: z.infer<typeof userSeed>,
  index: number,
): string {
  const existing = u.Id ? org.records.User.get(u.Id) : undefined;
  const firstUserId = [...org.records.User.keys()][0];
  const profile = (admin: boolean | undefined) =>
    admin === undefined ? {} : { ProfileId: admin ? org.profiles.admin : org.profiles.standard };
  if (existing) {
    const ctx: WriteContext = { state, org, actorId: firstUserId ?? existing.Id, now, trusted: true };
    const { Id: _id, admin, CreatedDate: _created, ...fields } = u;
    updateRecord(ctx, existing, { ...fields, ...profile(admin) });
    return existing.Id;
  }
  if (!u.LastName || !u.Email) throw new Error(`users[${index}]: a new user needs LastName and Email`);
  const id = u.Id ?? makeId(KEY_PREFIXES.User, state.nextRecordNumber++);
  ensureProfiles(state, org, firstUserId ?? id, now);
  const ctx: WriteContext = { state, org, actorId: firstUserId ?? id, now, trusted: true };
  const body = {
    FirstName: u.FirstName ?? null,
    LastName: u.LastName,
    Email: u.Email,
    Username: u.Username ?? u.Email,
    IsActive: u.IsActive ?? true,
    ...profile(u.admin ?? true),
  };
  return createRecord(ctx, 'User', body, {
    id,
    ...(u.CreatedDate === undefined ? {} : { createdAt: u.CreatedDate }),
  }).Id;
}

function seedRecord(
  state: SalesforceState,
  org: Org,
  now: number,
  type: SObjectType,
  raw: Record<string, FieldValue>,
): StoredRecord {
  const { Id, CreatedDate, LastModifiedDate, ...fields } = raw;
  const prefix = sobjectDef(type).keyPrefix;
  let id: string | undefined;
  if (Id !== undefined && Id !== null) {
    id = to18(String(Id)) ?? undefined;
    if (!id || !id.startsWith(prefix))
      throw new Error(
        `${type} Id ${String(Id)} is not a ${type} id (15 or 18 characters starting with ${prefix})`,
      );
    if (org.records[type].has(id)) throw new Error(`${type} ${id} already exists in org ${org.orgId}`);
  }
  const time = (v: FieldValue | undefined, name: string) => {
    if (v === undefined || v === null) return undefined;
    const ms = typeof v === 'number' ? v : parseDateTime(String(v));
    if (!Number.isFinite(ms))
      throw new Error(`${type} ${name} ${String(v)} is not a UNIX ms number or an ISO date`);
    return ms;
  };
  const createdAt = time(CreatedDate, 'CreatedDate');
  const modifiedAt = time(LastModifiedDate, 'LastModifiedDate');
  const firstUserId = [...org.records.User.keys()][0] ?? '';
  const ctx: WriteContext = { state, org, actorId: firstUserId, now, trusted: true };
  return createRecord(ctx, type, fields, {
    ...(id ? { id } : {}),
    ...(createdAt === undefined ? {} : { createdAt }),
    ...(modifiedAt === undefined ? {} : { modifiedAt }),
  });
}

function applyFieldSettings(org: Org, fields: z.infer<typeof orgSeed>['fields']): void {
  for (const type of SOBJECT_TYPES) {
    const s = fields[type];
    if (!s) continue;
    const settings = (org.fieldSettings[type] ??= { hidden: new Set(), custom: [] });
    for (const c of s.custom) {
      settings.custom = settings.custom.filter((f) => f.name.toLowerCase() !== c.name.toLowerCase());
      settings.custom.push(toFieldDef(c));
    }
    for (const name of s.hidden) {
      const known =
        sobjectDef(type).fields.some((f) => f.name.toLowerCase() === name.toLowerCase()) ||
        settings.custom.some((f) => f.name.toLowerCase() === name.toLowerCase());
      if (!known) throw new Error(`fields.${type}.hidden: ${type} has no field ${name}`);
      if (
        ['id', 'createddate', 'lastmodifieddate', 'systemmodstamp', 'isdeleted'].includes(name.toLowerCase())
      )
        throw new Error(`fields.${type}.hidden: ${name} cannot be hidden`);
      settings.hidden.add(name.toLowerCase());
    }
  }
}

/** Validates and applies a seed; throws (-> 400 from the base) with what is wrong. */
export function applySeed(state: SalesforceState, now: number, raw: unknown): SeedResult {
  const parsed = salesforceSeedSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  const seed = parsed.data;
  for (const a of seed.oauthApps) state.apps.set(a.clientId, { ...a });
  const result: SeedResult = { ok: true, orgs: [] };
  for (const s of seed.orgs) {
    const fresh = !state.orgs.has(s.orgId);
    if (fresh && s.users.length === 0)
      throw new Error(`org ${s.orgId}: a new org needs at least one user (the first is the API user)`);
    const org = state.orgs.get(s.orgId) ?? newOrg(s.orgId);
    state.orgs.set(s.orgId, org);
    // A refused seed leaves an existing org as it was (its records, users and field settings).
    const restoreRecords = fresh ? null : snapshotOrg(org);
    const savedSettings = structuredClone(org.fieldSettings);
    const savedProps = { ...org, apiUsageMax: org.apiUsage.max };
    try {
      if (s.name) org.name = s.name;
      if (s.sessionTimeoutMs) org.sessionTimeoutMs = s.sessionTimeoutMs;
      if (s.personAccounts !== undefined) org.personAccounts = s.personAccounts;
      if (s.dailyApiRequests) {
        org.dailyApiRequests = s.dailyApiRequests;
        org.apiUsage.max = s.dailyApiRequests;
      }
      applyFieldSettings(org, s.fields);
      const userIds = s.users.map((u, i) => seedUser(state, org, now, u, i));
      const apiUser = [...org.records.User.keys()][0] ?? '';
      for (const token of s.readTokens) {
        const other = state.sessions.get(token);
        if (other && other.orgId !== org.orgId)
          throw new Error(`read token ${token} already opens org ${other.orgId}`);
        openSession(
          state,
          now,
          { orgId: org.orgId, userId: apiUser, clientId: null, refreshToken: null, expires: false },
          token,
        );
      }
      const ids: Partial<Record<SeedRecordType, string[]>> = {};
      for (const type of RECORD_TYPES) {
        for (const [i, r] of (s.records[type] ?? []).entries()) {
          try {
            (ids[type] ??= []).push(seedRecord(state, org, now, type, r).Id);
          } catch (err) {
            const why =
              err instanceof SalesforceSimError && err.entry
                ? `${err.entry.errorCode}: ${err.entry.message}`
                : (err as Error).message;
            throw new Error(`org ${s.orgId} records.${type}[${i}]: ${why}`, { cause: err });
          }
        }
      }
      result.orgs.push({ orgId: org.orgId, userIds, profileIds: { ...org.profiles }, ids });
    } catch (err) {
      if (fresh) state.orgs.delete(s.orgId);
      else {
        restoreRecords?.();
        org.fieldSettings = savedSettings;
        org.name = savedProps.name;
        org.sessionTimeoutMs = savedProps.sessionTimeoutMs;
        org.personAccounts = savedProps.personAccounts;
        org.dailyApiRequests = savedProps.dailyApiRequests;
        org.apiUsage.max = savedProps.apiUsageMax;
        org.profiles = savedProps.profiles;
      }
      throw err;
    }
  }
  return result;
}
