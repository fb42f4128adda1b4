/**
 * The Aircall simulator's memory: one record per company (an Aircall
 * account), holding its API keys, users, numbers, tags, contacts, calls,
 * AI summaries, messages and webhooks. Calls are kept in the form webhooks
 * carry them (`call_uuid`, `participants`); the REST routes rename those
 * fields the way the Call API names them (API-CONTRACTS 1.3, objects.ts).
 */

export interface ApiKey {
  apiId: string;
  apiToken: string;
}

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * SANDBOX extension: a number's opening hours. Aircall's public API does not
 * publish them (only `open` at the moment of the payload), so the simulator
 * shows them as `sandbox_business_hours` for the backend's tests.
 */
export interface BusinessHours {
  /** IANA zone the times are in, e.g. "Europe/Paris". */
  timeZone: string;
  /** Opening ranges per weekday, ["09:00", "18:00"]; a missing day is closed. */
  days: Partial<Record<Weekday, [string, string][]>>;
}

export interface UserRecord {
  id: number;
  name: string;
  email: string;
  available: boolean;
  time_zone: string;
  language: string;
  created_at: string;
}

export interface NumberRecord {
  id: number;
  name: string;
  digits: string;
  country: string;
  time_zone: string;
  is_ivr: boolean;
  /** The seeded `open`; ignored when `businessHours` is set (then computed on the clock). */
  open: boolean;
  businessHours: BusinessHours | null;
  /** SANDBOX extension: the numbers an IVR number routes to (not in Aircall's public API). */
  ivrDestinations: number[] | null;
  created_at: string;
}

export interface TagRecord {
  id: number;
  name: string;
  color: string;
  description: string | null;
}

export interface LabelledValue {
  id: number;
  label: string;
  value: string;
}

export interface ContactRecord {
  id: number;
  first_name: string | null;
  last_name: string | null;
  company_name: string | null;
  information: string | null;
  is_shared: boolean;
  phone_numbers: LabelledValue[];
  emails: LabelledValue[];
  /** UTC strings, as in contact payloads (API-CONTRACTS 1.3). */
  created_at: string;
  updated_at: string;
}

/** A call as webhooks carry it (API-CONTRACTS 1.4); only `id` is guaranteed. */
export type CallRecord = Record<string, unknown> & { id: number };

export interface WebhookRecord {
  webhook_id: string;
  token: string;
  url: string;
  events: string[];
  active: boolean;
  custom_name: string | null;
  created_at: string;
  /** Failed attempts in a row; deactivation after `deactivateAfter` of them (API-CONTRACTS 1.3). */
  consecutiveFailures: number;
}

export interface CompanyState {
  id: number;
  name: string;
  apiKeys: ApiKey[];
  users: Map<number, UserRecord>;
  numbers: Map<number, NumberRecord>;
  tags: Map<number, TagRecord>;
  contacts: Map<number, ContactRecord>;
  calls: Map<number, CallRecord>;
  /** AI summaries by call id (`GET /v1/calls/:id/summary`, API-CONTRACTS 1.8). */
  summaries: Map<number, string>;
  /** Messages played through the simulator, by message id (no REST route reads them yet). */
  messages: Map<string, Record<string, unknown>>;
  webhooks: Map<string, WebhookRecord>;
}

/** All companies and the id sequences (Aircall ids are global, not per company). */
export class AircallState {
  readonly companies = new Map<number, CompanyState>();
  private nextContact = 5001;
  private nextDetail = 9001;
  private nextComment = 1_000_001;
  private nextCall = 1001;

  company(id: number): CompanyState | undefined {
    return this.companies.get(id);
  }

  ensureCompany(id: number, name?: string): CompanyState {
    let company = this.companies.get(id);
    if (!company) {
      company = {
        id,
        name: name ?? `Company ${id}`,
        apiKeys: [],
        users: new Map(),
        numbers: new Map(),
        tags: new Map(),
        contacts: new Map(),
        calls: new Map(),
        summaries: new Map(),
        messages: new Map(),
        webhooks: new Map(),
      };
      this.companies.set(id, company);
    } else if (name !== undefined) {
      company.name = name;
    }
    return company;
  }

  /** The company an API ID and token belong to (Basic auth, API-CONTRACTS 1.1). */
  byApiKey(apiId: string, apiToken: string): CompanyState | undefined {
    for (const company of this.companies.values()) {
      if (company.apiKeys.some((k) => k.apiId === apiId && k.apiToken === apiToken)) return company;
    }
    return undefined;
  }

  contactId(): number {
    return this.nextContact++;
  }
  /** Ids of a contact's phone numbers and emails. */
  detailId(): number {
    return this.nextDetail++;
  }
  commentId(): number {
    return this.nextComment++;
  }
  callId(): number {
    return this.nextCall++;
  }

  /** Keep generated ids above ids that came from seeds or scripts. */
  noteIds(kind: 'contact' | 'call' | 'comment' | 'detail', id: number): void {
    if (kind === 'contact') this.nextContact = Math.max(this.nextContact, id + 1);
    if (kind === 'call') this.nextCall = Math.max(this.nextCall, id + 1);
    if (kind === 'comment') this.nextComment = Math.max(this.nextComment, id + 1);
    if (kind === 'detail') this.nextDetail = Math.max(this.nextDetail, id + 1);
  }

  reset(): void {
    this.companies.clear();
    this.nextContact = 5001;
    this.nextDetail = 9001;
    this.nextComment = 1_000_001;
    this.nextCall = 1001;
  }
}
