/**
 * How the simulator shows its records, in the shapes of API-CONTRACTS 1.4
 * and 1.6. One function per object, used by the REST routes and by the
 * webhooks alike, so both always agree.
 */
import { isOpenAt } from './hours.ts';
import type {
  CallRecord,
  CompanyState,
  ContactRecord,
  NumberRecord,
  TagRecord,
  UserRecord,
  WebhookRecord,
} from './state.ts';

const API = 'https://api.aircall.io';

/**
 * A user as `GET /v1/users/:id` shows it. `version: 2` drops `numbers`
 * ("The V2 user object has no numbers", API-CONTRACTS 1.3); `substatus`,
 * `wrap_up_time` and the empty `numbers` list are [unverified] details.
 */
export function userJson(u: UserRecord, version: 1 | 2 = 1): Record<string, unknown> {
  const base = {
    id: u.id,
    direct_link: `${API}/v1/users/${u.id}`,
    name: u.name,
    email: u.email,
    available: u.available,
    availability_status: u.available ? 'available' : 'unavailable',
    substatus: u.available ? 'always_opened' : 'always_closed',
    time_zone: u.time_zone,
    language: u.language,
    wrap_up_time: 0,
    created_at: u.created_at,
  };
  return version === 2 ? base : { ...base, numbers: [] };
}

/** Whether the number is open at `nowMs`: from its SANDBOX business hours when seeded, else as seeded. */
export function numberOpen(n: NumberRecord, nowMs: number): boolean {
  return n.businessHours ? isOpenAt(n.businessHours, nowMs) : n.open;
}

/**
 * A number as `GET /v1/numbers/:id` shows it (API-CONTRACTS 1.4 `number`).
 * `sandbox_business_hours` and `sandbox_ivr_destinations` are SANDBOX
 * extensions, present only when seeded: Aircall's public API publishes
 * neither opening hours nor IVR routing.
 */
export function numberJson(n: NumberRecord, nowMs: number): Record<string, unknown> {
  const open = numberOpen(n, nowMs);
  return {
    id: n.id,
    direct_link: `${API}/v1/numbers/${n.id}`,
    name: n.name,
    digits: n.digits,
    country: n.country,
    time_zone: n.time_zone,
    open,
    availability_status: open ? 'open' : 'closed',
    is_ivr: n.is_ivr,
    live_recording_activated: false,
    priority: null,
    messages: {},
    created_at: n.created_at,
    ...(n.businessHours ? { sandbox_business_hours: n.businessHours } : {}),
    ...(n.ivrDestinations ? { sandbox_ivr_destinations: n.ivrDestinations } : {}),
  };
}

/** A tag: `{id, name, color, description}` (API-CONTRACTS 1.4 `tags`). */
export function tagJson(t: TagRecord): Record<string, unknown> {
  return {
    id: t.id,
    direct_link: `${API}/v1/tags/${t.id}`,
    name: t.name,
    color: t.color,
    description: t.description,
  };
}

/** A contact, as the real payload of API-CONTRACTS 1.6 shows it. */
export function contactJson(c: ContactRecord): Record<string, unknown> {
  return {
    id: c.id,
    direct_link: `${API}/v1/contacts/${c.id}`,
    first_name: c.first_name,
    last_name: c.last_name,
    company_name: c.company_name,
    information: c.information,
    is_shared: c.is_shared,
    created_at: c.created_at,
    updated_at: c.updated_at,
    emails: c.emails.map((e) => ({ ...e })),
    phone_numbers: c.phone_numbers.map((p) => ({ ...p })),
    urls: [],
  };
}

/**
 * A stored call (webhook form) as the Call API returns it: `call_uuid` is
 * `sid` and `participants` is `conference_participants` there
 * (API-CONTRACTS 1.3, "Naming differences").
 */
export function callToApi(call: CallRecord): Record<string, unknown> {
  const { call_uuid, participants, ...rest } = call;
  return { ...rest, sid: call_uuid ?? null, conference_participants: participants ?? [] };
}

/** The webhook object of `POST /v1/webhooks` (fields beyond `webhook_id` are [unverified], API-CONTRACTS 1.3). */
export function webhookJson(w: WebhookRecord): Record<string, unknown> {
  return {
    webhook_id: w.webhook_id,
    direct_link: `${API}/v1/webhooks/${w.webhook_id}`,
    custom_name: w.custom_name,
    url: w.url,
    events: [...w.events],
    active: w.active,
    token: w.token,
    created_at: w.created_at,
  };
}

/** A call's tags as the call object shows them: the company's tag details when it knows the tag. */
export function callTagJson(
  company: CompanyState,
  tag: { id: number; name?: unknown },
): Record<string, unknown> {
  const known = company.tags.get(tag.id);
  return known
    ? tagJson(known)
    : { id: tag.id, name: typeof tag.name === 'string' ? tag.name : String(tag.id) };
}
