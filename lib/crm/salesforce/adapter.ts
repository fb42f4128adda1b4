/**
 * The Salesforce adapter (lib/crm/adapter.ts) over SalesforceClient: gathers
 * the facts the Salesforce planner reads (facts.ts, with the queries named
 * there) and executes its writes (SPEC section 5).
 *
 * Requests per logged call (issue 4 note; measured in
 * test/salesforce-reliability.test.ts): the org's facts (users, the
 * describes of Task, Account, Contact, Lead and Case, the installer's rights)
 * are one composite request every 5 minutes per org. A call on a known
 * Contact is the SOSL phone lookup, its open Cases (one SOQL with `IN`, only
 * when the settings relate calls to Cases or Opportunities, SF-CASE-2) and
 * the Task upsert: 3 requests; both lookups are cached 60 s per number, so
 * each later event of the call is one PATCH, or none when it changes nothing
 * the Task shows. An unknown number with creation on is the lookup, the
 * record's upsert and the Task's (the new record joins the cached lookup).
 *
 * Issue 8: the work items of the org's integration run at once and share
 * this adapter, so what they ask at about the same moment goes as one request
 * (lib/http/micro-batch.ts): one SOSL for their numbers (each given the
 * records holding it), one SOQL for the related Cases, one sObject
 * Collections upsert per object for their creates, one collection PATCH for
 * their updates; a batch of one is the plain request. Collections run with
 * allOrNone false: a record Salesforce refuses fails alone, with its error.
 * Measured in test/batching-salesforce.test.ts and bench/requests-per-call.ts.
 *
 * Idempotency (GEN-IDEM-1): every object the integration creates is upserted
 * on the external id `Aircall_Bridge_Key__c` holding a hash of the write's
 * idempotency key, so a retried create updates the first instead of making a
 * second; `recover` finds it by a SOQL on that field. An org without that
 * field (it is not standard: an admin or the product's package adds it, and
 * each object's describe says whether it is there) gets plain creates, and a
 * Task is then recovered by its CallObject.
 */
import { createHash } from 'node:crypto';
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CrmAdapter, Gathered, GatherInput, ResolvedLink } from '../adapter.ts';
import type { CrmRecord, CrmUser, PlannedWrite } from '../../logging/plan-types.ts';
import {
  CRM_BATCH_TIMING,
  inRounds,
  MicroBatcher,
  type Settled,
  settleEach,
} from '../../http/micro-batch.ts';
import { VendorError } from '../../http/vendor.ts';
import {
  isoDateTime,
  rawDescribeSchema,
  rawQueryPageSchema,
  requiredFieldsOf,
  type SalesforceDescribe,
  type SalesforceRecord,
  toSalesforceRecord,
} from './api-schemas.ts';
import {
  COLLECTION_MAX,
  type CollectionOutcome,
  type SalesforceClient,
  soqlString,
  soslTerm,
} from './client.ts';
import type { SalesforceRelatedObject } from './facts.ts';
import { toSalesforceAccount, toSalesforceCase, toSalesforceContact, toSalesforceLead } from './mapper.ts';
import type { SalesforceRelateToChoice, SalesforceSettings } from './settings.ts';

/** The external id field the bridge upserts by, on Task, Contact, Lead, Account and Case. */
export const KEY_FIELD = 'Aircall_Bridge_Key__c';
/** Fields Salesforce accepts on create only (API-CONTRACTS 3.3): left out of updates. */
const CREATE_ONLY = new Set(['TaskSubtype']);
/** The objects a call may be logged on (SPEC 2 "Record"); a Person Account is an Account. */
const RECORD_OBJECTS = ['Contact', 'Lead', 'Account'] as const;
export type RecordObject = (typeof RECORD_OBJECTS)[number];
/** The objects the planner may create, whose required fields gather reports (GEN-REQ-1). */
const CREATED_OBJECTS = ['Contact', 'Lead', 'Account', 'Case', 'Task'] as const;
/** Person Account phone fields (GEN-PHONE-2), present only where Person Accounts are on. */
export const PERSON_PHONES = [
  'PersonMobilePhone',
  'PersonHomePhone',
  'PersonOtherPhone',
  'PersonAssistantPhone',
];
export const PHONES: Record<RecordObject, string[]> = {
  Contact: ['Phone', 'MobilePhone', 'HomePhone', 'AssistantPhone', 'OtherPhone'],
  Lead: ['Phone', 'MobilePhone'],
  Account: ['Phone'],
};
/** Beyond Id, Name, OwnerId and the phones: what facts.ts's `CrmRecord.extra` and the planner read. */
const EXTRA: Record<RecordObject, string[]> = {
  Contact: ['AccountId'],
  Lead: ['IsConverted'],
  Account: [],
};
const SEARCH_TTL_MS = 60_000;
const ORG_TTL_MS = 5 * 60_000;
/** Issue 8: concurrent work items' writes go in one sObject Collections request, their lookups in one SOSL. */
const BATCHING = { ...CRM_BATCH_TIMING, isolate: isBadRequest };
/** Numbers per batched SOSL: 40 to 60 characters of terms each, so about SOSL_QUERY_MAX (longer ones go in halves). */
const LOOKUP_BATCH = 80;
/** Longer SOSL search strings lose their OR operators (SOSL Syntax, FIND {SearchQuery}). */
const SOSL_QUERY_MAX = 4_000;
/** SOSL returns at most 2,000 rows (SOSL Syntax, LIMIT n): a full answer may have left some out. */
const SOSL_MAX_ROWS = 2_000;
/** Contact ids per SOQL `IN (...)` of the related Cases or Opportunities (kept well under the WHERE clause's length). */
const RELATED_IN_MAX = 100;
/** Objects whose last write is remembered (a few hours of calls for a busy company). */
const WRITTEN_MEMORY = 5_000;

interface Cached<T> {
  at: number;
  value: T;
}

interface OrgFacts {
  users: CrmUser[];
  personAccountsEnabled: boolean;
  taskFields: string[];
  /** GEN-REQ-1: per `salesforce.<T>` target, a required field the planner's write does not fill. */
  blockedCreates: { target: string; field: string }[];
  installer: { name: string; crmAdmin: boolean } | null;
  /** Objects whose describe has the external id `KEY_FIELD` (an org may lack it: it is not standard). */
  keyed: Set<string>;
}

/** A short, URL-safe external id for an idempotency key (keys hold slashes); 128 bits of SHA-256, hex. */
export function keyHash(key: string): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 32);
}

export class SalesforceAdapter implements CrmAdapter {
  private readonly client: SalesforceClient;
  private readonly clock: { now(): number };
  private readonly installer: { userId: string; email: string | null } | null;
  private readonly searches = new Map<string, Cached<CrmRecord[]>>();
  /** What this process last wrote to each object, by id (canonical JSON), to skip writes that change nothing. */
  private readonly written = new Map<string, string>();
  private org: Cached<OrgFacts> | null = null;
  /** The org facts being read: concurrent items wait for the same composite request. */
  private orgLoading: Promise<OrgFacts> | null = null;
  /** Phone lookups on their way, by cache key: concurrent items asking for one number share it. */
  private readonly lookingUp = new Map<string, Promise<CrmRecord[]>>();
  private readonly lookups: MicroBatcher<Lookup, CrmRecord[]>;
  /** Keyed creates, one batcher per sObject (an upsert collection names one type and its key field). */
  private readonly upserts = new Map<string, MicroBatcher<Record<string, unknown>, Upserted>>();
  private readonly creates: MicroBatcher<{ sobject: string; fields: Record<string, unknown> }, string>;
  private readonly updates: MicroBatcher<
    { sobject: string; id: string; fields: Record<string, unknown> },
    void
  >;

  constructor(init: {
    client: SalesforceClient;
    clock: { now(): number };
    installer?: { userId: string; email: string | null } | null;
  }) {
    this.client = init.client;
    this.clock = init.clock;
    this.installer = init.installer ?? null;
    this.lookups = new MicroBatcher({
      ...BATCHING,
      maxSize: LOOKUP_BATCH,
      send: (items) => this.lookupMany(items),
    });
    this.creates = new MicroBatcher({
      ...BATCHING,
      maxSize: COLLECTION_MAX,
      // A batch of one is the plain request; more go as one collection.
      send: (items) =>
        items.length === 1
          ? settleEach(items, (i) => this.client.create(i.sobject, i.fields))
          : this.client.createMany(items).then((out) => out.map((o) => outcomeOf(o, (id) => id))),
    });
    this.updates = new MicroBatcher({
      ...BATCHING,
      maxSize: COLLECTION_MAX,
      send: (items) =>
        inRounds(
          items,
          (i) => i.id.slice(0, 15),
          (round) =>
            round.length === 1
              ? settleEach(round, (i) => this.client.update(i.sobject, i.id, i.fields))
              : this.client.updateMany(round).then((out) => out.map((o) => outcomeOf(o, () => undefined))),
        ),
    });
  }

  /** The batcher of keyed creates (upserts on KEY_FIELD) of one sObject. */
  private upsertsOf(sobject: string): MicroBatcher<Record<string, unknown>, Upserted> {
    let b = this.upserts.get(sobject);
    if (!b) {
      b = new MicroBatcher({
        ...BATCHING,
        maxSize: COLLECTION_MAX,
        send: (items) =>
          inRounds(
            items,
            (i) => String(i[KEY_FIELD]),
            (round) =>
              round.length === 1
                ? settleEach(round, ({ [KEY_FIELD]: value, ...fields }) =>
                    this.client.upsert(sobject, KEY_FIELD, String(value), fields),
                  )
                : this.client
                    .upsertMany(sobject, KEY_FIELD, round)
                    .then((out) =>
                      out.map((o) => outcomeOf(o, (id) => ({ id, created: o.created ?? false }))),
                    ),
          ),
      });
      this.upserts.set(sobject, b);
    }
    return b;
  }

  objectOf(target: string): string {
    return target.replace(/^salesforce\./, '');
  }

  async gather(input: GatherInput): Promise<Gathered> {
    const settings = input.settings as SalesforceSettings;
    const org = await this.orgFacts();
    const records = input.externalE164
      ? await this.recordsByPhone(input.externalE164, settings.relateTo)
      : [];
    const read = input.linkedRecord
      ? await this.readRecord(input.linkedRecord.kind, input.linkedRecord.id)
      : null;
    // EXT-LINK-1: a linked Contact's Case or Opportunity counts as a found one's would (SF-CASE-2).
    const linked = read ? ((await this.withRelated([read], settings.relateTo))[0] ?? read) : null;
    return {
      records,
      users: org.users,
      installerUserId: this.installer?.userId ?? null,
      linkedRecord: linked,
      ...(org.installer ? { installerStatus: org.installer } : {}),
      crmFacts: { personAccountsEnabled: org.personAccountsEnabled, taskFields: org.taskFields },
      blockedCreates: org.blockedCreates,
    };
  }

  async create(write: PlannedWrite, links: ResolvedLink[], key: string): Promise<string> {
    const sobject = this.objectOf(write.target);
    const body = { ...definedFields(write.fields), ...linkFields(links) };
    const keyed = (await this.orgFacts()).keyed.has(sobject);
    let id: string;
    try {
      // Without the key field (an org that lacks it) a plain create; `recover` then falls back to CallObject.
      id = keyed
        ? (await this.upsertKeyed(sobject, key, body)).id
        : await this.creates.add({ sobject, fields: body });
    } catch (err) {
      // GEN-REQ-1: a newly required field: read the describes again on the next gather.
      if (err instanceof VendorError && err.code === 'REQUIRED_FIELD_MISSING') this.org = null;
      throw err;
    }
    this.noteWritten(id, body);
    // A new Case changes its Contact's open Cases; a new record holds the number it was made for.
    if (sobject === 'Case') this.forget([body.ContactId]);
    const made = recordObjectOf(sobject);
    if (made) this.remember(made, id, body);
    return id;
  }

  async recover(write: PlannedWrite, key: string): Promise<string | null> {
    const sobject = this.objectOf(write.target);
    if ((await this.orgFacts()).keyed.has(sobject))
      return this.client.idByField(sobject, KEY_FIELD, keyHash(key));
    // An org without the key field: a Task is found by its CallObject (the Aircall call or message id).
    const callObject = write.fields.CallObject;
    if (sobject === 'Task' && typeof callObject === 'string') {
      return this.client.idByField('Task', 'CallObject', callObject);
    }
    return null;
  }

  async update(write: PlannedWrite, id: string, newLinks: ResolvedLink[]): Promise<void> {
    const sobject = this.objectOf(write.target);
    const fields: Record<string, unknown> = { ...linkFields(newLinks) };
    for (const [k, v] of Object.entries(write.fields)) {
      if (v !== undefined && !CREATE_ONLY.has(k)) fields[k] = v;
    }
    // A later event that changes nothing the Task shows (e.g. call.ended after call.hungup) costs no request.
    if (Object.keys(fields).length === 0 || this.writtenBefore(id, fields)) return;
    await this.updates.add({ sobject, id, fields });
    this.noteWritten(id, fields);
    // SF-OWN-4 (record_owner) changes a record's OwnerId: the next lookup must see it.
    if (sobject !== 'Task') this.forget([id]);
  }

  async readRecord(objectType: string, id: string): Promise<CrmRecord | null> {
    const sobject = recordObjectOf(objectType);
    if (!sobject) return null;
    const org = await this.orgFacts();
    try {
      const r = await this.client.read(sobject, id, recordFields(sobject, org.personAccountsEnabled));
      return toCrmRecord(r, sobject);
    } catch (err) {
      // An unknown id, or one that is not an id at all (MALFORMED_ID), is "no such record".
      if (err instanceof VendorError && (err.status === 404 || err.code === 'MALFORMED_ID')) return null;
      throw err;
    }
  }

  async updateRecord(objectType: string, id: string, fields: Record<string, string>): Promise<void> {
    const sobject = recordObjectOf(objectType);
    if (!sobject)
      throw new Error(`Salesforce calls are logged on Contact, Lead or Account, not "${objectType}"`);
    await this.client.update(sobject, id, fields);
    this.searches.clear();
  }

  async outcomes(): Promise<{ id: string; label: string }[]> {
    return [];
  }

  async checkSettings(): Promise<Gathered['settingsUpdate'] | null> {
    return null;
  }

  // ---------------------------------------------------------------- writes

  /**
   * A record created for a number goes first into that number's cached
   * lookups (the most recently modified of its kind, SF-MATCH-1), so the
   * call's later events and the next call from the number find it without
   * another search.
   */
  private remember(sobject: RecordObject, id: string, body: Record<string, unknown>): void {
    const phone = typeof body.Phone === 'string' ? body.Phone : null;
    if (!phone) return;
    const now = new Date(this.clock.now()).toISOString();
    const record = toCrmRecord(
      {
        type: sobject,
        id,
        fields: { Name: nameOf(body), ...body, Id: id, CreatedDate: now, LastModifiedDate: now },
      },
      sobject,
    );
    if (sobject === 'Lead') record.extra = { ...record.extra, IsConverted: false };
    for (const [key, entry] of this.searches) {
      if (!key.startsWith(`${phone}|`)) continue;
      const mode = key.slice(key.indexOf('|') + 1);
      const related =
        sobject !== 'Contact' || mode === 'none'
          ? {}
          : { [mode === 'case' ? 'openCases' : 'openOpportunities']: [] };
      entry.value = [{ ...record, extra: { ...record.extra, ...related } }, ...entry.value];
    }
  }

  /** The values a write leaves on the object: null and absent alike (both leave the field empty). */
  private static canonical(fields: Record<string, unknown>): string {
    const kept = Object.entries(fields).filter(
      ([k, v]) => v !== null && v !== undefined && !CREATE_ONLY.has(k),
    );
    return JSON.stringify(kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }

  private writtenBefore(id: string, fields: Record<string, unknown>): boolean {
    return this.written.get(id) === SalesforceAdapter.canonical(fields);
  }

  private noteWritten(id: string, fields: Record<string, unknown>): void {
    this.written.delete(id);
    this.written.set(id, SalesforceAdapter.canonical(fields));
    // Bounded: the oldest entries go first (a Map keeps insertion order).
    for (const old of this.written.keys()) {
      if (this.written.size <= WRITTEN_MEMORY) break;
      this.written.delete(old);
    }
  }

  /** Drops the cached phone lookups a write made stale: those holding one of `ids`. */
  private forget(ids: unknown[]): void {
    const records = new Set(
      ids.filter((v): v is string => typeof v === 'string').map((id) => id.slice(0, 15)),
    );
    for (const [key, entry] of this.searches) {
      if (entry.value.some((r) => records.has(r.id.slice(0, 15)))) this.searches.delete(key);
    }
  }

  /**
   * Upsert on the key's hash. If the record already existed (a retried
   * create, or a race), Salesforce refuses create-only fields on it
   * (INVALID_FIELD_FOR_INSERT_UPDATE): the upsert is repeated without them.
   */
  private async upsertKeyed(sobject: string, key: string, body: Record<string, unknown>): Promise<Upserted> {
    const hash = keyHash(key);
    const batch = this.upsertsOf(sobject);
    try {
      return await batch.add({ ...body, [KEY_FIELD]: hash });
    } catch (err) {
      const createOnly = Object.keys(body).filter((k) => CREATE_ONLY.has(k));
      const refused = err instanceof VendorError && err.code === 'INVALID_FIELD_FOR_INSERT_UPDATE';
      if (!refused || createOnly.length === 0) throw err;
      const rest = Object.fromEntries(Object.entries(body).filter(([k]) => !CREATE_ONLY.has(k)));
      return batch.add({ ...rest, [KEY_FIELD]: hash });
    }
  }

  // ---------------------------------------------------------------- lookups

  /**
   * facts.ts's phone lookup: SOSL `IN PHONE FIELDS` on the number's E.164
   * digits and its national forms (GEN-PHONE-1: numbers stored as "06 12 34
   * 56 78" match too), Contacts, then Leads, then Accounts, each most
   * recently modified first (SF-MATCH-1 keeps that order within a kind).
   * Cached 60 s per number; the numbers of concurrent items share one SOSL
   * (`lookupMany`), and items asking for one number share its lookup.
   */
  private recordsByPhone(e164: string, relateTo: SalesforceRelateToChoice): Promise<CrmRecord[]> {
    const cacheKey = `${e164}|${relateTo}`;
    const hit = this.searches.get(cacheKey);
    if (hit && this.clock.now() - hit.at < SEARCH_TTL_MS) return Promise.resolve(hit.value);
    const going = this.lookingUp.get(cacheKey);
    if (going) return going;
    const lookup = this.lookups.add({ e164, relateTo }).finally(() => this.lookingUp.delete(cacheKey));
    this.lookingUp.set(cacheKey, lookup);
    return lookup;
  }

  /**
   * One batch of phone lookups: one SOSL for all the numbers (`FIND {n1 terms
   * OR n2 terms ...}`), each number given the records whose phone fields hold
   * it, in Salesforce's order; then one SOQL for the related Cases or
   * Opportunities of every Contact found (SF-CASE-2).
   */
  private async lookupMany(items: Lookup[]): Promise<Settled<CrmRecord[]>[]> {
    const org = await this.orgFacts();
    const now = this.clock.now();
    const byNumber = await this.searchNumbers([...new Set(items.map((i) => i.e164))], org);
    const values = new Map<string, CrmRecord[]>();
    for (const relateTo of new Set(items.map((i) => i.relateTo))) {
      const numbers = [...new Set(items.filter((i) => i.relateTo === relateTo).map((i) => i.e164))];
      const all = new Map<string, CrmRecord>();
      for (const n of numbers) for (const r of byNumber.get(n) ?? []) all.set(r.id, r);
      const related = new Map((await this.withRelated([...all.values()], relateTo)).map((r) => [r.id, r]));
      for (const n of numbers) {
        const value = (byNumber.get(n) ?? []).map((r) => related.get(r.id) ?? r);
        values.set(`${n}|${relateTo}`, value);
        this.searches.set(`${n}|${relateTo}`, { at: now, value });
      }
    }
    return items.map((i) => ({ ok: true, value: values.get(`${i.e164}|${i.relateTo}`) ?? [] }));
  }

  /**
   * The SOSL lookups of `numbers`, as few as the SOSL limits allow: a search
   * string under SOSL_QUERY_MAX characters, and an answer under SOSL_MAX_ROWS
   * rows (a full one is asked again in halves, as it may have left rows out).
   */
  private async searchNumbers(numbers: string[], org: OrgFacts): Promise<Map<string, CrmRecord[]>> {
    const out = new Map<string, CrmRecord[]>();
    const terms = new Map(numbers.map((n) => [n, phoneTerms(n)]));
    const returning = RECORD_OBJECTS.map(
      (o) => `${o}(${recordFields(o, org.personAccountsEnabled).join(', ')} ORDER BY LastModifiedDate DESC)`,
    ).join(', ');
    const search = async (group: string[]): Promise<void> => {
      const query = group.flatMap((n) => (terms.get(n) ?? []).map((t) => soslTerm(t))).join(' OR ');
      if (group.length > 1 && query.length > SOSL_QUERY_MAX) return halves(group, search);
      const found = await this.client.search(`FIND {${query}} IN PHONE FIELDS RETURNING ${returning}`);
      if (group.length > 1 && found.length >= SOSL_MAX_ROWS) return halves(group, search);
      const records = found.flatMap((r) => {
        const sobject = recordObjectOf(r.type);
        return sobject ? [toCrmRecord(r, sobject)] : [];
      });
      // One number: every record found is its (as before batching); several: the records holding it.
      for (const n of group)
        out.set(n, group.length === 1 ? records : records.filter((r) => holdsNumber(r, terms.get(n) ?? [])));
    };
    for (let i = 0; i < numbers.length; i += LOOKUP_BATCH) await search(numbers.slice(i, i + LOOKUP_BATCH));
    return out;
  }

  /**
   * SF-CASE-2: the open Cases (or Opportunities) of the Contacts among
   * `records`, in one SOQL with `IN`, as facts.ts names them; nothing when
   * the settings relate calls to neither.
   */
  private async withRelated(records: CrmRecord[], relateTo: SalesforceRelateToChoice): Promise<CrmRecord[]> {
    const contactIds = [...new Set(records.filter((r) => r.kind === 'Contact').map((r) => r.id))];
    if (relateTo === 'none' || contactIds.length === 0) return records;
    const byContact = new Map<string, SalesforceRelatedObject[]>();
    const add = (contactId: unknown, item: SalesforceRelatedObject) => {
      if (typeof contactId !== 'string') return;
      const key = contactId.slice(0, 15);
      byContact.set(key, [...(byContact.get(key) ?? []), item]);
    };
    for (let i = 0; i < contactIds.length; i += RELATED_IN_MAX) {
      const ids = contactIds
        .slice(i, i + RELATED_IN_MAX)
        .map(soqlString)
        .join(', ');
      if (relateTo === 'case') {
        const rows = await this.client.query(
          `SELECT Id, CaseNumber, ContactId FROM Case WHERE ContactId IN (${ids}) AND IsClosed = false ORDER BY LastModifiedDate DESC`,
        );
        for (const r of rows)
          add(r.fields.ContactId, { Id: String(r.fields.Id), Name: stringOrNull(r.fields.CaseNumber) });
      } else {
        const rows = await this.client.query(
          `SELECT OpportunityId, Opportunity.Name, ContactId FROM OpportunityContactRole WHERE ContactId IN (${ids}) AND Opportunity.IsClosed = false ORDER BY Opportunity.LastModifiedDate DESC`,
        );
        for (const r of rows) {
          const opportunity = r.fields.Opportunity as { Name?: unknown } | null | undefined;
          if (typeof r.fields.OpportunityId !== 'string') continue;
          add(r.fields.ContactId, { Id: r.fields.OpportunityId, Name: stringOrNull(opportunity?.Name) });
        }
      }
    }
    const field = relateTo === 'case' ? 'openCases' : 'openOpportunities';
    return records.map((r) =>
      r.kind === 'Contact'
        ? { ...r, extra: { ...r.extra, [field]: byContact.get(r.id.slice(0, 15)) ?? [] } }
        : r,
    );
  }

  /**
   * The org's facts, every 5 minutes, in one composite request: the users
   * (SF-OWN-1, GEN-EMAIL-1), the describes of Task (`taskFields`, SF-TYPE-1,
   * SF-FLD-1), Account (`personAccountsEnabled`, SF-LEAD-1) and of the other
   * objects the integration creates (their required fields, GEN-REQ-1), and
   * the installer's rights (GEN-ADM-1).
   */
  private orgFacts(): Promise<OrgFacts> {
    if (this.org && this.clock.now() - this.org.at < ORG_TTL_MS) return Promise.resolve(this.org.value);
    this.orgLoading ??= this.readOrgFacts().finally(() => {
      this.orgLoading = null;
    });
    return this.orgLoading;
  }

  private async readOrgFacts(): Promise<OrgFacts> {
    const now = this.clock.now();
    const c = this.client;
    const q = (soql: string) => c.subrequestUrl(`/query?q=${encodeURIComponent(soql)}`);
    const installerId = this.installer?.userId ?? null;
    const answers = await c.composite([
      {
        method: 'GET',
        referenceId: 'users',
        url: q('SELECT Id, Name, Email, CreatedDate, IsActive FROM User'),
      },
      ...CREATED_OBJECTS.map((o) => ({
        method: 'GET' as const,
        referenceId: `describe${o}`,
        url: c.subrequestUrl(`/sobjects/${o}/describe`),
      })),
      ...(installerId
        ? [
            {
              method: 'GET' as const,
              referenceId: 'installer',
              url: q(
                `SELECT Id, Name, IsActive, Profile.PermissionsModifyAllData FROM User WHERE Id = ${soqlString(installerId)}`,
              ),
            },
          ]
        : []),
    ]);
    const answer = (ref: string) => answers.find((a) => a.referenceId === ref);
    const usersPage = c.compositeResult(rawQueryPageSchema, answer('users'), 'users');
    const users = usersPage.records.map((r) => toSalesforceRecord(r, 'User'));
    if (!usersPage.done && usersPage.nextRecordsUrl)
      users.push(...(await c.queryMore(usersPage.nextRecordsUrl)));
    const describes = new Map<string, SalesforceDescribe>();
    for (const o of CREATED_OBJECTS) {
      describes.set(o, c.compositeResult(rawDescribeSchema, answer(`describe${o}`), `describe ${o}`));
    }
    const task = describes.get('Task');
    const account = describes.get('Account');
    const value: OrgFacts = {
      users: users.map((u) => toCrmUser(u.fields)),
      personAccountsEnabled: account?.fields.some((f) => f.name === 'IsPersonAccount') ?? false,
      taskFields: task?.fields.filter((f) => f.createable).map((f) => f.name) ?? [],
      blockedCreates: CREATED_OBJECTS.flatMap((o) => {
        const d = describes.get(o);
        const missing = d ? requiredFieldsOf(d).filter((f) => !WRITTEN[o].has(f)) : [];
        return missing[0] ? [{ target: `salesforce.${o}`, field: missing[0] }] : [];
      }),
      installer: installerStatusOf(answer('installer'), this.installer),
      keyed: new Set(
        CREATED_OBJECTS.filter((o) =>
          describes.get(o)?.fields.some((f) => f.name === KEY_FIELD && f.externalId),
        ),
      ),
    };
    this.org = { at: now, value };
    return value;
  }
}

/** The fields the planner's creates fill (mapper.ts), per object: a required field outside them blocks the create. */
const WRITTEN: Record<(typeof CREATED_OBJECTS)[number], Set<string>> = (() => {
  const input = { e164: '+10000000000', ownerId: '005000000000000' };
  const task = [
    'Subject',
    'Type',
    'TaskSubtype',
    'CallType',
    'CallDurationInSeconds',
    'CallDisposition',
    'CallObject',
    'ActivityDate',
    'Status',
    'Description',
    'WhoId',
    'WhatId',
    'OwnerId',
  ];
  return {
    Contact: new Set(Object.keys(toSalesforceContact(input))),
    Lead: new Set(Object.keys(toSalesforceLead(input))),
    Account: new Set(Object.keys(toSalesforceAccount(input))),
    Case: new Set(
      Object.keys(toSalesforceCase({ subject: 'x', contactId: 'x', accountId: 'x', ownerId: 'x' })),
    ),
    Task: new Set(task),
  };
})();

/**
 * GEN-ADM-1 from the composite's `installer` subrequest: an active user with
 * "Modify All Data" (System Administrator). Unknown (null) when the
 * subrequest failed: a failed check must not stop logging.
 */
function installerStatusOf(
  answer: { status: number; body: unknown } | undefined,
  installer: { userId: string; email: string | null } | null,
): OrgFacts['installer'] {
  if (!answer || !installer || answer.status !== 200) return null;
  const page = rawQueryPageSchema.safeParse(answer.body);
  if (!page.success) return null;
  const row = page.data.records[0] as Record<string, unknown> | undefined;
  if (!row) return { name: installer.email ?? `Salesforce user ${installer.userId}`, crmAdmin: false };
  const profile = row.Profile as { PermissionsModifyAllData?: unknown } | null | undefined;
  return {
    name: stringOrNull(row.Name) ?? installer.email ?? installer.userId,
    crmAdmin: row.IsActive === true && profile?.PermissionsModifyAllData === true,
  };
}

/** The SOSL terms for a number: its E.164 digits, national significant number and national format digits. */
export function phoneTerms(e164: string): string[] {
  const parsed = parsePhoneNumberFromString(e164);
  const terms = [e164.replace(/\D/g, '')];
  if (parsed) {
    terms.push(String(parsed.nationalNumber), parsed.formatNational().replace(/\D/g, ''));
  }
  return [...new Set(terms.filter((t) => t.length >= 3))];
}

/** The fields read of a record (facts.ts's RETURNING lists). */
export function recordFields(sobject: RecordObject, personAccounts: boolean): string[] {
  const person = sobject === 'Account' && personAccounts ? ['IsPersonAccount', ...PERSON_PHONES] : [];
  return [
    'Id',
    'Name',
    ...PHONES[sobject],
    ...person,
    'OwnerId',
    ...EXTRA[sobject],
    'CreatedDate',
    'LastModifiedDate',
  ];
}

function recordObjectOf(objectType: string): RecordObject | null {
  const t = objectType.toLowerCase();
  if (t === 'personaccount') return 'Account';
  return RECORD_OBJECTS.find((o) => o.toLowerCase() === t) ?? null;
}

export function toCrmRecord(r: SalesforceRecord, sobject: RecordObject): CrmRecord {
  const f = r.fields;
  const id = String(f.Id ?? r.id ?? '');
  const phoneFields = [...PHONES[sobject], ...(sobject === 'Account' ? PERSON_PHONES : [])];
  const extra: Record<string, unknown> = {};
  for (const k of [...EXTRA[sobject], ...(sobject === 'Account' ? ['IsPersonAccount'] : [])]) {
    if (f[k] !== undefined) extra[k] = f[k];
  }
  return {
    id,
    // facts.ts: an Account row with IsPersonAccount is read as a Person Account by salesforceKindOf.
    kind: sobject,
    name: stringOrNull(f.Name) ?? id,
    phones: phoneFields.flatMap((field) =>
      typeof f[field] === 'string' && f[field] !== '' ? [{ field, value: f[field] }] : [],
    ),
    ownerId: stringOrNull(f.OwnerId),
    updatedAt: isoDateTime(stringOrNull(f.LastModifiedDate) ?? new Date(0).toISOString()),
    createdAt: f.CreatedDate ? isoDateTime(String(f.CreatedDate)) : null,
    extra,
  };
}

export function toCrmUser(row: Record<string, unknown>): CrmUser {
  const id = String(row.Id ?? '');
  return {
    id,
    email: stringOrNull(row.Email),
    name: stringOrNull(row.Name) ?? stringOrNull(row.Email) ?? id,
    createdAt: row.CreatedDate ? isoDateTime(String(row.CreatedDate)) : null,
    active: row.IsActive !== false,
  };
}

/** The fields of a create: values set, nulls left out (Salesforce's defaults apply). */
function definedFields(fields: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== null));
}

/** Links resolve to reference fields: `as` is the field (WhoId, WhatId, OwnerId, ContactId, AccountId). */
function linkFields(links: ResolvedLink[]): Record<string, string> {
  return Object.fromEntries(links.map((l) => [l.as, l.id]));
}

/** The Name Salesforce derives for a record we created (Contact and Lead: first and last name). */
function nameOf(body: Record<string, unknown>): string | null {
  if (typeof body.Name === 'string') return body.Name;
  const parts = [body.FirstName, body.LastName].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length > 0 ? parts.join(' ') : null;
}

function stringOrNull(v: unknown): string | null {
  return typeof v === 'string' && v !== '' ? v : null;
}

// ---------------------------------------------------------------- batching (issue 8)

interface Lookup {
  e164: string;
  relateTo: SalesforceRelateToChoice;
}

interface Upserted {
  id: string;
  created: boolean;
}

/** A whole-request 400 may be one record's fault: the batcher splits the batch to isolate it. */
function isBadRequest(err: unknown): boolean {
  return err instanceof VendorError && err.status === 400;
}

function outcomeOf<R>(o: CollectionOutcome, value: (id: string) => R): Settled<R> {
  return o.error || !o.id ? { ok: false, error: o.error } : { ok: true, value: value(o.id) };
}

/** Runs `search` on each half of `group` (a batch too large for one request). */
async function halves(group: string[], search: (g: string[]) => Promise<void>): Promise<void> {
  const half = Math.ceil(group.length / 2);
  await search(group.slice(0, half));
  await search(group.slice(half));
}

/**
 * Whether one of the record's phone values is a number of `terms` (its digit
 * forms, phoneTerms): the same digits, or one ending with the other when the
 * shorter has 7 digits or more ("+33 (0)6 12 34 56 78" holds 612345678).
 * Used to give each number of a batched SOSL its own records; the planner then
 * matches them exactly (GEN-PHONE-1).
 */
export function holdsNumber(record: CrmRecord, terms: string[]): boolean {
  return record.phones.some((p) => {
    const digits = p.value.replace(/\D/g, '');
    return terms.some((t) => {
      if (digits === t) return true;
      const [short, long] = digits.length < t.length ? [digits, t] : [t, digits];
      return short.length >= 7 && long.endsWith(short);
    });
  });
}
