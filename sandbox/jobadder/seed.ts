/**
 * The JobAdder simulator's seed (`POST /_sandbox/seed`): OAuth apps and
 * accounts, additive (an account seeded again keeps what it has and gains or
 * replaces, by id, what the new seed brings). A seed is checked whole before
 * any of it is applied: a refused seed changes nothing.
 */
import { randomUUID } from 'node:crypto';
import { isSupportedCountry } from 'libphonenumber-js';
import { z } from 'zod';
import { rateLimitSchema } from './limits.ts';
import { defaultNoteTypes, findNoteType } from './note-types.ts';
import { MAX_REFERENCE_LENGTH, MAX_TYPE_LENGTH } from './notes.ts';
import {
  type Account,
  type Company,
  type JobadderState,
  type NoteType,
  type Person,
  type RecordKind,
  nextId,
  reserveId,
} from './state.ts';

const intId = z.number().int().positive();
const timeLike = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))
  .refine((ms) => Number.isFinite(ms), 'a UNIX ms number or an ISO date');
const text = z.string().nullish();

const userSeed = z.strictObject({
  userId: intId.optional(),
  firstName: z.string(),
  lastName: z.string(),
  email: z.string().min(1),
  position: text,
  phone: text,
  mobile: text,
  admin: z.boolean().default(true),
  inactive: z.boolean().default(false),
  deleted: z.boolean().default(false),
  createdAt: timeLike.optional(),
  updatedAt: timeLike.optional(),
});

const companySeed = z.strictObject({ companyId: intId.optional(), name: z.string().min(1) });

const personFields = {
  firstName: z.string(),
  lastName: z.string().default(''),
  email: text,
  phone: text,
  mobile: text,
  company: companySeed.optional(),
  position: text,
  owner: intId.optional(),
  createdAt: timeLike.optional(),
  updatedAt: timeLike.optional(),
};

const noteTypeSeed = z.strictObject({
  name: z.string().min(1).max(MAX_TYPE_LENGTH),
  default: z
    .strictObject({
      note: z.boolean().default(false),
      email: z.boolean().default(false),
      sms: z.boolean().default(false),
    })
    .default({ note: false, email: false, sms: false }),
});

const noteSeed = z.strictObject({
  noteId: z.uuid().optional(),
  type: z.string().min(1),
  text: z.string(),
  subject: text,
  source: text,
  reference: z.string().max(MAX_REFERENCE_LENGTH).nullish(),
  readonly: z.boolean().default(false),
  createdByIntegration: z.boolean().default(false),
  contactId: z.array(intId).default([]),
  candidateId: z.array(intId).default([]),
  createdBy: intId.optional(),
  createdAt: timeLike.optional(),
  updatedAt: timeLike.optional(),
});

/** Paths the simulator keeps for itself. */
const RESERVED = /^\/(_sandbox|connect)(\/|$)/;

const accountSeed = z.strictObject({
  accountId: z.union([z.string().min(1), z.number()]).transform(String),
  name: z.string().optional(),
  defaultCountry: z
    .string()
    .transform((c) => c.toUpperCase())
    .refine((c) => isSupportedCountry(c), 'an ISO 3166 country code such as "AU" or "FR"')
    .optional(),
  apiPath: z
    .string()
    .regex(/^(\/[A-Za-z0-9._~-]+)+$/, 'a path such as "/v2" or "/au/v2" (leading "/", no trailing "/")')
    .refine((p) => !RESERVED.test(p), 'not under /_sandbox or /connect')
    .optional(),
  maxNoteLength: z.number().int().positive().optional(),
  rateLimit: rateLimitSchema.nullable().optional(),
  readTokens: z
    .array(z.union([z.string().min(1), z.strictObject({ token: z.string().min(1), userId: intId })]))
    .default([]),
  users: z.array(userSeed).default([]),
  contacts: z.array(z.strictObject({ contactId: intId.optional(), ...personFields })).default([]),
  candidates: z.array(z.strictObject({ candidateId: intId.optional(), ...personFields })).default([]),
  noteTypes: z.array(noteTypeSeed).optional(),
  candidateNoteTypes: z.array(noteTypeSeed).optional(),
  notes: z.array(noteSeed).default([]),
});

/**
 * Seed body (all parts optional, additive; ids are JobAdder's int32 ids):
 * ```
 * {
 *   oauthApps?: [{ clientId, clientSecret, redirectUris: string[] }],
 *   accounts?: [{
 *     accountId: string | number,
 *     name?: string,                  // UserRepresentation.accountName (default "Account <id>")
 *     defaultCountry?: 'AU' | 'FR' | ...,   // reads stored numbers without country code (default "AU")
 *     apiPath?: string,               // the account's API base path, e.g. "/au/v2" (default "/v2"):
 *                                     // token responses say api = <sim url><apiPath>; only there is it served
 *     maxNoteLength?: number,         // longest note text accepted (default 10000, API-CONTRACTS 4.3)
 *     rateLimit?: { max, windowMs } | null,   // per-account request limit -> 429 + Retry-After (default off)
 *     readTokens?: (string | { token, userId })[],   // Bearer tokens that never expire; default user: the first
 *     users?: [{ userId?, firstName, lastName, email, position?, phone?, mobile?,
 *                admin? (default true), inactive?, deleted?, createdAt?, updatedAt? }],
 *     contacts?: [{ contactId?, firstName, lastName?, email?, phone?, mobile?,
 *                   company?: { companyId?, name },   // same name, same company
 *                   position?, owner?: userId, createdAt?, updatedAt? }],
 *     candidates?: [{ candidateId?, ...the contact fields }],  // company/position: the current employment,
 *                                                              // owner: the recruiter
 *     noteTypes?: [{ name, default?: { note?, email?, sms? } }],   // REPLACES the account's note types
 *                   // (default: General [note], Phone Call, Email [email], SMS [sms], Meeting)
 *     candidateNoteTypes?: [...],     // candidates' own list when it differs (default: noteTypes)
 *     notes?: [{ noteId? (uuid), type, text, subject?, source?, reference?, readonly?, createdByIntegration?,
 *                contactId?: number[], candidateId?: number[], createdBy?: userId, createdAt?, updatedAt? }],
 *   }]
 * }
 * ```
 * Times are UNIX ms or ISO strings (default: the simulator clock's now;
 * updatedAt defaults to createdAt). Phone numbers are stored as given, in any
 * format. Owners, note authors and note links must name users and records of
 * the account (seeded earlier or in the same body). Answers
 * `{ ok, accounts: [{ accountId, apiPath, userIds, contactIds, candidateIds, noteIds }] }`,
 * the ids in seed order.
 */
export const jobadderSeedSchema = z.strictObject({
  oauthApps: z
    .array(
      z.strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        redirectUris: z.array(z.url()),
      }),
    )
    .default([]),
  accounts: z.array(accountSeed).default([]),
});
export type JobadderSeed = z.input<typeof jobadderSeedSchema>;

export interface SeedResult {
  ok: true;
  accounts: {
    accountId: string;
    apiPath: string;
    userIds: number[];
    contactIds: number[];
    candidateIds: number[];
    noteIds: string[];
  }[];
}

function newAccount(state: JobadderState, accountId: string): Account {
  return {
    accountId,
    name: `Account ${accountId}`,
    defaultCountry: 'AU',
    apiPath: '/v2',
    maxNoteLength: state.defaults.maxNoteLength,
    rateLimit: state.defaults.rateLimit,
    users: new Map(),
    companies: new Map(),
    records: { contacts: new Map(), candidates: new Map() },
    noteTypes: { contacts: defaultNoteTypes(), candidates: defaultNoteTypes() },
    notes: new Map(),
  };
}

/** The company a record names: by id, else by name, else a new one. */
function companyFor(
  state: JobadderState,
  account: Account,
  seed: { companyId?: number; name: string },
): Company {
  if (seed.companyId === undefined) {
    const byName = [...account.companies.values()].find(
      (c) => c.name.toLowerCase() === seed.name.toLowerCase(),
    );
    if (byName) return byName;
  }
  const id = seed.companyId ?? nextId(state);
  reserveId(state, id);
  const company = { companyId: id, name: seed.name };
  account.companies.set(id, company);
  return company;
}

const _personSeed = z.object(personFields);
type PersonSeed = z.infer<typeof _personSeed>;

function toPerson(state: JobadderState, account: Account, id: number, s: PersonSeed, now: number): Person {
  if (s.owner !== undefined && !account.users.has(s.owner)) {
    throw new Error(`account ${account.accountId}: owner ${s.owner} is not a seeded user of the account`);
  }
  const createdAt = s.createdAt ?? now;
  return {
    id,
    firstName: s.firstName,
    lastName: s.lastName,
    email: s.email ?? null,
    phone: s.phone ?? null,
    mobile: s.mobile ?? null,
    companyId: s.company ? companyFor(state, account, s.company).companyId : null,
    position: s.position ?? null,
    ownerUserId: s.owner ?? null,
    createdAt,
    updatedAt: s.updatedAt ?? createdAt,
  };
}

function noteTypes(list: z.infer<typeof noteTypeSeed>[]): NoteType[] {
  return list.map((t) => ({ name: t.name, default: { ...t.default } }));
}

function seedAccount(
  state: JobadderState,
  now: number,
  s: z.infer<typeof accountSeed>,
): SeedResult['accounts'][number] {
  const account = state.accounts.get(s.accountId) ?? newAccount(state, s.accountId);
  state.accounts.set(s.accountId, account);
  if (s.name !== undefined) account.name = s.name;
  if (s.defaultCountry !== undefined) account.defaultCountry = s.defaultCountry;
  if (s.apiPath !== undefined) account.apiPath = s.apiPath;
  if (s.maxNoteLength !== undefined) account.maxNoteLength = s.maxNoteLength;
  if (s.rateLimit !== undefined) account.rateLimit = s.rateLimit;
  if (s.noteTypes) {
    account.noteTypes.contacts = noteTypes(s.noteTypes);
    account.noteTypes.candidates = noteTypes(s.noteTypes);
  }
  if (s.candidateNoteTypes) account.noteTypes.candidates = noteTypes(s.candidateNoteTypes);

  const userIds = s.users.map((u) => {
    const userId = u.userId ?? nextId(state);
    reserveId(state, userId);
    const createdAt = u.createdAt ?? now;
    account.users.set(userId, {
      userId,
      firstName: u.firstName,
      lastName: u.lastName,
      email: u.email,
      position: u.position ?? null,
      phone: u.phone ?? null,
      mobile: u.mobile ?? null,
      admin: u.admin,
      inactive: u.inactive,
      deleted: u.deleted,
      createdAt,
      updatedAt: u.updatedAt ?? createdAt,
    });
    return userId;
  });

  for (const t of s.readTokens) {
    const token = typeof t === 'string' ? t : t.token;
    const userId = typeof t === 'string' ? ([...account.users.keys()][0] ?? null) : t.userId;
    if (userId !== null && !account.users.has(userId)) {
      throw new Error(`account ${account.accountId}: read token user ${userId} is not a seeded user`);
    }
    const held = state.accessTokens.get(token);
    if (held && held.accountId !== account.accountId) {
      throw new Error(`token ${token} already opens account ${held.accountId}`);
    }
    state.accessTokens.set(token, {
      token,
      accountId: account.accountId,
      userId,
      clientId: 'sandbox',
      scopes: ['read', 'write'],
      expiresAt: null,
    });
  }

  const seedPeople = (
    kind: RecordKind,
    list: (PersonSeed & { contactId?: number; candidateId?: number })[],
  ) =>
    list.map((p) => {
      const id = (kind === 'contacts' ? p.contactId : p.candidateId) ?? nextId(state);
      reserveId(state, id);
      account.records[kind].set(id, toPerson(state, account, id, p, now));
      return id;
    });
  const contactIds = seedPeople('contacts', s.contacts);
  const candidateIds = seedPeople('candidates', s.candidates);

  const noteIds = s.notes.map((n) => {
    const where = `account ${account.accountId}: note "${n.text.slice(0, 30)}"`;
    for (const [kind, ids] of [
      ['contacts', n.contactId],
      ['candidates', n.candidateId],
    ] as const) {
      const missing = ids.find((id) => !account.records[kind].has(id));
      if (missing !== undefined)
        throw new Error(`${where}: no ${kind.slice(0, -1)} ${missing} in the account`);
      if (ids.length && !findNoteType(account, kind, n.type)) {
        throw new Error(`${where}: "${n.type}" is not one of the account's ${kind.slice(0, -1)} note types`);
      }
    }
    if (n.contactId.length + n.candidateId.length === 0) {
      throw new Error(`${where}: link it to a contact or candidate (contactId / candidateId)`);
    }
    if (n.createdBy !== undefined && !account.users.has(n.createdBy)) {
      throw new Error(`${where}: createdBy ${n.createdBy} is not a seeded user of the account`);
    }
    const noteId = (n.noteId ?? randomUUID()).toLowerCase();
    const createdAt = n.createdAt ?? now;
    account.notes.set(noteId, {
      noteId,
      type: n.type,
      source: n.source ?? null,
      text: n.text,
      subject: n.subject ?? null,
      reference: n.reference ?? null,
      readonly: n.readonly,
      createdByIntegration: n.createdByIntegration,
      createdBy: n.createdBy ?? null,
      createdAt,
      updatedBy: n.createdBy ?? null,
      updatedAt: n.updatedAt ?? createdAt,
      contactIds: n.contactId,
      candidateIds: n.candidateId,
      companyIds: [],
    });
    return noteId;
  });

  return {
    accountId: account.accountId,
    apiPath: account.apiPath,
    userIds,
    contactIds,
    candidateIds,
    noteIds,
  };
}

function apply(state: JobadderState, now: number, seed: z.infer<typeof jobadderSeedSchema>): SeedResult {
  for (const a of seed.oauthApps) state.apps.set(a.clientId, { ...a, redirectUris: [...a.redirectUris] });
  return { ok: true, accounts: seed.accounts.map((s) => seedAccount(state, now, s)) };
}

/**
 * Validates and applies a seed; throws (-> 400 from the base) with what is
 * wrong. It is first applied to a copy of the state, so a seed refused half
 * way leaves the simulator as it was.
 */
export function applySeed(state: JobadderState, now: number, raw: unknown): SeedResult {
  const parsed = jobadderSeedSchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(z.prettifyError(parsed.error));
  apply(structuredClone(state), now, parsed.data);
  return apply(state, now, parsed.data);
}
