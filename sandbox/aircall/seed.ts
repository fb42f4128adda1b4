/**
 * `POST /_sandbox/seed` for the Aircall simulator. Additive: a company that
 * exists is extended, and a user, number, tag, contact or call with an id
 * that exists is replaced. Body:
 *
 * ```json
 * { "companies": [{
 *     "id": 42, "name": "Acme",
 *     "apiKeys": [{ "apiId": "id", "apiToken": "token" }],
 *     "users": [{ "id": 11, "name": "Alice Martin", "email": "alice@example.com",
 *                 "available": true, "time_zone": "Europe/Paris", "language": "fr-FR" }],
 *     "numbers": [{ "id": 1, "name": "Support FR", "digits": "+33 1 76 36 06 95", "country": "FR",
 *                   "time_zone": "Europe/Paris", "is_ivr": false, "open": true,
 *                   "businessHours": { "timeZone": "Europe/Paris", "days": { "mon": [["09:00", "18:00"]] } },
 *                   "ivrDestinations": [2, 3] }],
 *     "tags": [{ "id": 7, "name": "Hot lead", "color": "#ff0000", "description": null }],
 *     "contacts": [{ "id": 5001, "first_name": "Claire", "last_name": "Dupont",
 *                    "phone_numbers": [{ "label": "Mobile", "value": "+33 6 12 34 56 78" }] }],
 *     "calls": [{ "id": 1001, "direction": "inbound", "started_at": 1790000000, "...": "any Call field" }],
 *     "summaries": [{ "callId": 1001, "content": "The caller wants a quote." }]
 * }] }
 * ```
 *
 * `businessHours` and `ivrDestinations` are SANDBOX extensions (Aircall's
 * public API publishes neither); numbers show them as
 * `sandbox_business_hours` / `sandbox_ivr_destinations`. Calls are given as
 * the Call API or a webhook shows them (`sid` or `call_uuid`,
 * `conference_participants` or `participants`); missing fields get the
 * values of a finished call with nothing attached.
 */
import { z } from 'zod';
import type {
  AircallState,
  CallRecord,
  CompanyState,
  ContactRecord,
  LabelledValue,
  NumberRecord,
  UserRecord,
} from './state.ts';

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$|^24:00$/, 'expected "HH:MM"');
const ranges = z.array(z.tuple([hhmm, hhmm])).optional();

export const businessHoursSchema = z.object({
  timeZone: z.string().refine((tz) => {
    try {
      new Intl.DateTimeFormat('en-US', { timeZone: tz });
      return true;
    } catch {
      return false;
    }
  }, 'expected an IANA time zone such as "Europe/Paris"'),
  days: z.object({
    mon: ranges,
    tue: ranges,
    wed: ranges,
    thu: ranges,
    fri: ranges,
    sat: ranges,
    sun: ranges,
  }),
});

const userSeed = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  email: z.string(),
  available: z.boolean().optional(),
  time_zone: z.string().optional(),
  language: z.string().optional(),
  created_at: z.string().optional(),
});

const numberSeed = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  digits: z.string(),
  country: z.string(),
  time_zone: z.string(),
  is_ivr: z.boolean().optional(),
  open: z.boolean().optional(),
  businessHours: businessHoursSchema.optional(),
  ivrDestinations: z.array(z.number().int().positive()).optional(),
  created_at: z.string().optional(),
});

const tagSeed = z.object({
  id: z.number().int().positive(),
  name: z.string(),
  color: z.string().optional(),
  description: z.string().nullish(),
});

const labelled = z.object({
  id: z.number().int().positive().optional(),
  label: z.string().nullish(),
  value: z.string(),
});

/** A contact as API-CONTRACTS 1.6 shows it (`id` optional: one is given). */
export const contactSeed = z.object({
  id: z.number().int().positive().optional(),
  first_name: z.string().nullish(),
  last_name: z.string().nullish(),
  company_name: z.string().nullish(),
  information: z.string().nullish(),
  is_shared: z.boolean().optional(),
  phone_numbers: z.array(labelled).optional(),
  emails: z.array(labelled).optional(),
  created_at: z.string().optional(),
  updated_at: z.string().optional(),
});

const callSeed = z.looseObject({
  id: z.number().int().positive(),
  direction: z.enum(['inbound', 'outbound']),
  started_at: z.number().int().nonnegative(),
});

export const aircallSeedSchema = z.object({
  companies: z.array(
    z.object({
      id: z.number().int().positive(),
      name: z.string().optional(),
      apiKeys: z.array(z.object({ apiId: z.string().min(1), apiToken: z.string().min(1) })).optional(),
      users: z.array(userSeed).optional(),
      numbers: z.array(numberSeed).optional(),
      tags: z.array(tagSeed).optional(),
      contacts: z.array(contactSeed).optional(),
      calls: z.array(callSeed).optional(),
      summaries: z.array(z.object({ callId: z.number().int().positive(), content: z.string() })).optional(),
    }),
  ),
});
export type AircallSeed = z.input<typeof aircallSeedSchema>;

/** Labelled values with ids (given ones kept, missing ones drawn from the state's sequence). */
export function labelledValues(
  state: AircallState,
  items: z.infer<typeof labelled>[] | undefined,
  defaultLabel: string,
): LabelledValue[] {
  return (items ?? []).map((item) => {
    const id = item.id ?? state.detailId();
    state.noteIds('detail', id);
    return { id, label: item.label ?? defaultLabel, value: item.value };
  });
}

/** A contact record from its seed or `POST /v1/contacts` body. */
export function contactRecord(
  state: AircallState,
  input: z.infer<typeof contactSeed>,
  nowIso: string,
): ContactRecord {
  const id = input.id ?? state.contactId();
  state.noteIds('contact', id);
  return {
    id,
    first_name: input.first_name ?? null,
    last_name: input.last_name ?? null,
    company_name: input.company_name ?? null,
    information: input.information ?? null,
    is_shared: input.is_shared ?? true,
    phone_numbers: labelledValues(state, input.phone_numbers, 'Work'),
    emails: labelledValues(state, input.emails, 'Work'),
    created_at: input.created_at ?? nowIso,
    updated_at: input.updated_at ?? input.created_at ?? nowIso,
  };
}

/** A seeded call in webhook form, with a finished call's defaults for what the seed leaves out. */
export function callRecordFromSeed(input: z.infer<typeof callSeed>): CallRecord {
  const { sid, conference_participants, ...rest } = input;
  return {
    direct_link: `https://api.aircall.io/v1/calls/${input.id}`,
    call_uuid: typeof sid === 'string' ? sid : `CA${input.id.toString(16).padStart(30, '0')}`,
    status: 'done',
    missed_call_reason: null,
    answered_at: null,
    ended_at: null,
    duration: 0,
    cost: '0',
    hangup_cause: null,
    voicemail: null,
    recording: null,
    asset: null,
    raw_digits: null,
    archived: false,
    participants: Array.isArray(conference_participants) ? conference_participants : [],
    user: null,
    contact: null,
    number: null,
    teams: [],
    tags: [],
    comments: [],
    ...rest,
    id: input.id,
  };
}

/** Apply a validated seed; returns what each company now holds. */
export function applySeed(state: AircallState, body: unknown, nowMs: number) {
  const seed = aircallSeedSchema.parse(body);
  const nowIso = new Date(nowMs).toISOString();
  for (const c of seed.companies) {
    const company = state.ensureCompany(c.id, c.name);
    for (const key of c.apiKeys ?? []) {
      if (!company.apiKeys.some((k) => k.apiId === key.apiId && k.apiToken === key.apiToken)) {
        company.apiKeys.push(key);
      }
    }
    for (const u of c.users ?? []) company.users.set(u.id, userRecord(u, nowIso));
    for (const n of c.numbers ?? []) company.numbers.set(n.id, numberRecord(n, nowIso));
    for (const t of c.tags ?? []) {
      company.tags.set(t.id, {
        id: t.id,
        name: t.name,
        color: t.color ?? '#00b388',
        description: t.description ?? null,
      });
    }
    for (const ct of c.contacts ?? []) {
      const record = contactRecord(state, ct, nowIso);
      company.contacts.set(record.id, record);
    }
    for (const call of c.calls ?? []) {
      state.noteIds('call', call.id);
      company.calls.set(call.id, callRecordFromSeed(call));
    }
    for (const s of c.summaries ?? []) company.summaries.set(s.callId, s.content);
  }
  return { ok: true, companies: [...state.companies.values()].map(companySummary) };
}

function userRecord(u: z.infer<typeof userSeed>, nowIso: string): UserRecord {
  return {
    id: u.id,
    name: u.name,
    email: u.email,
    available: u.available ?? true,
    time_zone: u.time_zone ?? 'Etc/UTC',
    language: u.language ?? 'en-US',
    created_at: u.created_at ?? nowIso,
  };
}

function numberRecord(n: z.infer<typeof numberSeed>, nowIso: string): NumberRecord {
  return {
    id: n.id,
    name: n.name,
    digits: n.digits,
    country: n.country,
    time_zone: n.time_zone,
    is_ivr: n.is_ivr ?? false,
    open: n.open ?? true,
    businessHours: n.businessHours ?? null,
    ivrDestinations: n.ivrDestinations ?? null,
    created_at: n.created_at ?? nowIso,
  };
}

function companySummary(c: CompanyState) {
  return {
    id: c.id,
    name: c.name,
    apiKeys: c.apiKeys.length,
    users: c.users.size,
    numbers: c.numbers.size,
    tags: c.tags.size,
    contacts: c.contacts.size,
    calls: c.calls.size,
    webhooks: c.webhooks.size,
  };
}
