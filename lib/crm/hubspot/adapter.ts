/**
 * The HubSpot adapter (lib/crm/adapter.ts) over HubspotClient: gathers what
 * the HubSpot planner reads (facts.ts) and executes its writes.
 *
 * Requests per logged call, in the common case (issue 3 note): 1 contact
 * search (cached 60 s per number, so a call's later events reuse it), owners,
 * outcomes and pipelines once per 5 minutes per portal, and 1 create with its
 * associations inline; later events of the call are 1 PATCH each.
 *
 * Issue 8: the work items of the portal's integration run at once and share
 * this adapter, so their lookups, creates and updates made at about the same
 * moment go as one request (lib/http/micro-batch.ts): one search with `IN`
 * for their numbers, one `batch/create` per object type (a trace id per input,
 * so one refused input fails alone), one `batch/update`. A batch of one is the
 * plain request above. Measured in test/batching-hubspot.test.ts and
 * bench/requests-per-call.ts.
 *
 * Idempotency: every object we create carries the custom property
 * `aircall_bridge_key` (created once per portal, properties API), so an
 * interrupted create, batched or not, is found again by a search on the key,
 * never made twice: the key was stored before the create left
 * (server/workers/process.ts), whatever batch it went in.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CrmAdapter, Gathered, GatherInput, ResolvedLink } from '../adapter.ts';
import type { CrmRecord, CrmUser, PlannedWrite } from '../../logging/plan-types.ts';
import type { IntegrationSettings } from '../../logging/settings-union.ts';
import {
  CRM_BATCH_TIMING,
  inRounds,
  MicroBatcher,
  type Settled,
  settleEach,
} from '../../http/micro-batch.ts';
import { VendorError } from '../../http/vendor.ts';
import {
  BATCH_SIZE,
  type BatchOutcome,
  CALCULATED_PHONES,
  type HubspotAssociationInput,
  type HubspotClient,
} from './client.ts';
import type { HubspotTicket, HubspotTicketPipeline } from './facts.ts';
import { type HubspotSettings, reconcileTicketSettings } from './settings.ts';

/** Our idempotency key property on the objects we create. */
export const KEY_PROPERTY = 'aircall_bridge_key';
const KEYED_OBJECTS = ['calls', 'communications', 'tickets', 'contacts'] as const;
export const CONTACT_PROPERTIES = [
  'firstname',
  'lastname',
  'email',
  'company',
  'phone',
  'mobilephone',
  'hubspot_owner_id',
  'createdate',
  'lastmodifieddate',
];
const PHONE_FIELDS = ['phone', 'mobilephone'];
const SEARCH_TTL_MS = 60_000;
/** Numbers per batched contact search (values of each `IN` filter). */
const LOOKUP_BATCH = 50;
const PORTAL_TTL_MS = 5 * 60_000;

interface Cached<T> {
  at: number;
  value: T;
}

export class HubspotAdapter implements CrmAdapter {
  private readonly client: HubspotClient;
  private readonly clock: { now(): number };
  readonly portalId: string | null;
  private readonly searches = new Map<string, Cached<CrmRecord[]>>();
  private portal: Cached<PortalFacts> | null = null;
  private pipelines: Cached<HubspotTicketPipeline[]> | null = null;
  private keyed: Promise<void> | null = null;
  /** Reads on their way: concurrent items wait for the same requests. */
  private portalLoading: Promise<PortalFacts> | null = null;
  private pipelinesLoading: Promise<HubspotTicketPipeline[]> | null = null;
  /** Phone lookups on their way, by number. */
  private readonly lookingUp = new Map<string, Promise<CrmRecord[]>>();
  private readonly lookups = new MicroBatcher<string, CrmRecord[]>({
    ...BATCHING,
    maxSize: LOOKUP_BATCH,
    send: (numbers) => this.lookupMany(numbers),
  });
  /** Issue 8: creates and updates of concurrent items go as one batch request per object type. */
  private readonly creates = new Map<string, MicroBatcher<CreateInput, string>>();
  private readonly updates = new Map<
    string,
    MicroBatcher<{ id: string; properties: Record<string, string> }, void>
  >();

  private readonly installer: { userId: string; email: string | null } | null;

  constructor(init: {
    client: HubspotClient;
    clock: { now(): number };
    portalId: string | null;
    installer?: { userId: string; email: string | null } | null;
  }) {
    this.client = init.client;
    this.clock = init.clock;
    this.portalId = init.portalId;
    this.installer = init.installer ?? null;
  }

  objectOf(target: string): string {
    return target.replace(/^hubspot\./, '');
  }

  async gather(input: GatherInput): Promise<Gathered> {
    const settings = input.settings as HubspotSettings;
    const portal = await this.portalFacts();
    let records = input.externalE164 ? await this.contactsByPhone(input.externalE164) : [];
    const linked = input.linkedRecord
      ? await this.readRecord(input.linkedRecord.kind, input.linkedRecord.id)
      : null;

    // Pipelines only matter when the settings use tickets (HS-TIX-1/2).
    const usesTickets = Object.values(settings.tickets.types).some((t) => t.action !== 'none');
    let pipelines: HubspotTicketPipeline[] | undefined;
    let settingsUpdate: Gathered['settingsUpdate'];
    if (usesTickets) {
      pipelines = await this.ticketPipelines();
      const reconciled = reconcileTicketSettings(settings, pipelines);
      if (reconciled.changed) {
        settingsUpdate = { settings: reconciled.settings, warnings: reconciled.warnings };
      }
      // "Update" reads the record's tickets (HS-TIX-1); only then are they looked up.
      const type = input.activityType as keyof HubspotSettings['tickets']['types'] | null;
      const effective = settingsUpdate?.settings ?? settings;
      if (type && (effective as HubspotSettings).tickets.types[type]?.action === 'update') {
        records = await Promise.all(records.map((r) => this.withTickets(r)));
      }
    }
    return {
      records,
      users: portal.users,
      installerUserId: portal.installer?.ownerId ?? null,
      linkedRecord: linked,
      ...(portal.installer
        ? { installerStatus: { name: portal.installer.name, crmAdmin: portal.installer.crmAdmin } }
        : {}),
      crmFacts: { outcomes: portal.outcomes, ...(pipelines ? { ticketPipelines: pipelines } : {}) },
      ...(settingsUpdate ? { settingsUpdate } : {}),
    };
  }

  async create(write: PlannedWrite, links: ResolvedLink[], key: string): Promise<string> {
    const object = this.objectOf(write.target);
    await this.ensureKeys();
    const properties = { ...stringProps(write.fields), [KEY_PROPERTY]: key };
    try {
      // The key is unique per write: it is also the input's trace id in a batch.
      return await this.createsOf(object).add({
        traceId: key,
        properties,
        associations: links.map(toAssociation),
      });
    } catch (err) {
      // HS-TIX-2: a refused ticket may mean its pipeline or stage was deleted: read them again.
      if (object === 'tickets') this.pipelines = null;
      throw err;
    }
  }

  async recover(write: PlannedWrite, key: string): Promise<string | null> {
    const object = this.objectOf(write.target);
    await this.ensureKeys();
    const found = await this.client.search(object, {
      filterGroups: [{ filters: [{ propertyName: KEY_PROPERTY, operator: 'EQ', value: key }] }],
      properties: [KEY_PROPERTY],
      limit: 1,
    });
    return found.results[0]?.id ?? null;
  }

  async update(write: PlannedWrite, id: string, newLinks: ResolvedLink[]): Promise<void> {
    const object = this.objectOf(write.target);
    const properties = stringProps(write.fields);
    try {
      if (Object.keys(properties).length > 0) await this.updatesOf(object).add({ id, properties });
    } catch (err) {
      if (object === 'tickets') this.pipelines = null;
      throw err;
    }
    for (const link of newLinks) {
      const assoc = toAssociation(link);
      await this.client.associate(object, id, link.object, link.id, assoc.types);
    }
  }

  async readRecord(objectType: string, id: string): Promise<CrmRecord | null> {
    const object = pluralOf(objectType);
    try {
      const o = await this.client.read(object, id, CONTACT_PROPERTIES);
      return toRecord(o, object === 'companies' ? 'company' : 'contact');
    } catch (err) {
      if ((err as { status?: number }).status === 404) return null;
      throw err;
    }
  }

  async updateRecord(objectType: string, id: string, fields: Record<string, string>): Promise<void> {
    await this.client.update(pluralOf(objectType), id, fields);
    this.searches.clear();
  }

  async checkSettings(input: IntegrationSettings): Promise<Gathered['settingsUpdate'] | null> {
    const settings = input as HubspotSettings;
    if (settings.tickets.pipelineId === null) return null;
    this.pipelines = null; // the admin is looking: read HubSpot now, not the cache
    const reconciled = reconcileTicketSettings(settings, await this.ticketPipelines());
    return reconciled.changed ? { settings: reconciled.settings, warnings: reconciled.warnings } : null;
  }

  async outcomes(): Promise<{ id: string; label: string }[]> {
    return (await this.portalFacts()).outcomes;
  }

  /**
   * The contacts holding a number (HS-MATCH, GEN-PHONE-1/2), cached 60 s per
   * number; the numbers of concurrent items share one search (`lookupMany`),
   * and items asking for one number share its lookup.
   */
  private contactsByPhone(e164: string): Promise<CrmRecord[]> {
    const hit = this.searches.get(e164);
    if (hit && this.clock.now() - hit.at < SEARCH_TTL_MS) return Promise.resolve(hit.value);
    const going = this.lookingUp.get(e164);
    if (going) return going;
    const lookup = this.lookups.add(e164).finally(() => this.lookingUp.delete(e164));
    this.lookingUp.set(e164, lookup);
    return lookup;
  }

  /**
   * One batch of phone lookups. One number: the search of
   * `searchContactsByPhone`, as before batching. Several: one search with
   * `IN` for all of them, each number given the contacts whose phone or
   * mobile phone is it, or whose calculated digits are its national digits
   * (the same tests HubSpot applied), in HubSpot's order.
   */
  private async lookupMany(numbers: string[]): Promise<Settled<CrmRecord[]>[]> {
    const now = this.clock.now();
    const national = (e164: string) => {
      const n = parsePhoneNumberFromString(e164)?.nationalNumber;
      return n ? String(n) : null;
    };
    const unique = [...new Set(numbers)];
    const found = new Map<string, CrmRecord[]>();
    if (unique.length === 1) {
      const [e164] = unique as [string];
      const list = await this.client.searchContactsByPhone(e164, national(e164), CONTACT_PROPERTIES);
      found.set(
        e164,
        list.map((o) => toRecord(o, 'contact')),
      );
    } else {
      const list = await this.client.searchContactsByPhones(
        unique.map((e164) => ({ e164, nationalDigits: national(e164) })),
        CONTACT_PROPERTIES,
      );
      for (const e164 of unique) {
        const digits = national(e164);
        const holds = (p: Record<string, string | null>) =>
          p.phone === e164 ||
          p.mobilephone === e164 ||
          (digits !== null && CALCULATED_PHONES.some((c) => (p[c] ?? '').replace(/\D/g, '') === digits));
        found.set(
          e164,
          list.filter((o) => holds(o.properties)).map((o) => toRecord(o, 'contact')),
        );
      }
    }
    for (const [e164, value] of found) this.searches.set(e164, { at: now, value });
    return numbers.map((e164) => ({ ok: true, value: found.get(e164) ?? [] }));
  }

  /**
   * The batcher of creates of one object type: a batch of one is the plain
   * `POST /crm/v3/objects/{type}`, more go as one `batch/create`.
   */
  private createsOf(object: string): MicroBatcher<CreateInput, string> {
    let b = this.creates.get(object);
    if (!b) {
      b = new MicroBatcher({
        ...BATCHING,
        maxSize: BATCH_SIZE,
        send: (items) =>
          inRounds(
            items,
            (i) => i.traceId,
            (round) =>
              round.length === 1
                ? settleEach(
                    round,
                    async (i) => (await this.client.create(object, i.properties, i.associations)).id,
                  )
                : this.client
                    .batchCreate(object, round, { matchProperty: KEY_PROPERTY })
                    .then((out) => out.map(idOf)),
          ),
      });
      this.creates.set(object, b);
    }
    return b;
  }

  /** The batcher of updates of one object type: one PATCH for a batch of one, else `batch/update`. */
  private updatesOf(object: string): MicroBatcher<{ id: string; properties: Record<string, string> }, void> {
    let b = this.updates.get(object);
    if (!b) {
      b = new MicroBatcher({
        ...BATCHING,
        maxSize: BATCH_SIZE,
        send: (items) =>
          inRounds(
            items,
            (i) => i.id,
            (round) =>
              round.length === 1
                ? settleEach(round, async (i) => {
                    await this.client.update(object, i.id, i.properties);
                  })
                : this.client
                    .batchUpdate(object, round)
                    .then((out) =>
                      out.map((o): Settled<void> =>
                        o.error ? { ok: false, error: o.error } : { ok: true, value: undefined },
                      ),
                    ),
          ),
      });
      this.updates.set(object, b);
    }
    return b;
  }

  private portalFacts(): Promise<PortalFacts> {
    if (this.portal && this.clock.now() - this.portal.at < PORTAL_TTL_MS)
      return Promise.resolve(this.portal.value);
    this.portalLoading ??= this.readPortalFacts().finally(() => {
      this.portalLoading = null;
    });
    return this.portalLoading;
  }

  private async readPortalFacts(): Promise<PortalFacts> {
    const now = this.clock.now();
    const [owners, outcomes, installerUser] = await Promise.all([
      this.client.owners(),
      this.client.callOutcomes(),
      // GEN-ADM-1: the installer must still exist and be a super admin in HubSpot.
      // A failed check (e.g. the app lacks the settings scope) must not stop logging: unknown, not "lost".
      this.installer
        ? this.client.user(this.installer.userId).catch(() => undefined)
        : Promise.resolve(undefined),
    ]);
    const users: CrmUser[] = owners.map((o) => ({
      id: String(o.id),
      email: o.email ?? null,
      name: [o.firstName, o.lastName].filter(Boolean).join(' ') || (o.email ?? String(o.id)),
      createdAt: o.createdAt ?? null,
      active: !o.archived,
    }));
    const installerEmail = (installerUser?.email ?? this.installer?.email ?? '').toLowerCase();
    const installerOwner = users.find((u) => installerEmail && u.email?.toLowerCase() === installerEmail);
    const installer =
      installerUser === undefined
        ? null
        : {
            name: installerOwner?.name ?? this.installer?.email ?? `HubSpot user ${this.installer?.userId}`,
            crmAdmin: installerUser !== null && installerUser.superAdmin,
            ownerId: installerOwner?.id ?? null,
          };
    this.portal = { at: now, value: { users, outcomes, installer } };
    return this.portal.value;
  }

  private ticketPipelines(): Promise<HubspotTicketPipeline[]> {
    const now = this.clock.now();
    if (this.pipelines && now - this.pipelines.at < PORTAL_TTL_MS)
      return Promise.resolve(this.pipelines.value);
    this.pipelinesLoading ??= this.client
      .ticketPipelines()
      .then((list) => {
        const value = list as HubspotTicketPipeline[];
        this.pipelines = { at: now, value };
        return value;
      })
      .finally(() => {
        this.pipelinesLoading = null;
      });
    return this.pipelinesLoading;
  }

  private async withTickets(record: CrmRecord): Promise<CrmRecord> {
    const from = record.kind === 'company' ? 'companies' : 'contacts';
    const assoc = await this.client.associations(from, record.id, 'tickets');
    const ids = assoc.map((a) => String(a.toObjectId));
    const tickets: HubspotTicket[] =
      ids.length === 0
        ? []
        : (
            await this.client.batchRead('tickets', ids, [
              'hs_pipeline',
              'hs_pipeline_stage',
              'hs_lastmodifieddate',
            ])
          ).map((t) => ({
            id: t.id,
            pipelineId: t.properties.hs_pipeline ?? '',
            stageId: t.properties.hs_pipeline_stage ?? '',
            updatedAt: t.properties.hs_lastmodifieddate ?? t.updatedAt ?? '',
          }));
    return { ...record, extra: { ...record.extra, tickets } };
  }

  private ensureKeys(): Promise<void> {
    this.keyed ??= Promise.all(
      KEYED_OBJECTS.map((object) =>
        this.client.ensureProperty(object, {
          name: KEY_PROPERTY,
          label: 'Aircall bridge key',
          type: 'string',
          fieldType: 'text',
          groupName: object === 'contacts' ? 'contactinformation' : `${object.replace(/s$/, '')}information`,
          description: 'Set by the Aircall CRM bridge so a retried write never creates a second object.',
        }),
      ),
    )
      .then(() => undefined)
      .catch((err: unknown) => {
        this.keyed = null;
        throw err;
      });
    return this.keyed;
  }
}

interface PortalFacts {
  users: CrmUser[];
  outcomes: { id: string; label: string }[];
  installer: { name: string; crmAdmin: boolean; ownerId: string | null } | null;
}

interface CreateInput {
  traceId: string;
  properties: Record<string, string>;
  associations: HubspotAssociationInput[];
}

/** A whole-request 400 of an all-or-nothing batch may be one input's fault: split the batch to isolate it. */
const BATCHING = {
  ...CRM_BATCH_TIMING,
  isolate: (err: unknown) => err instanceof VendorError && err.status === 400,
};

function idOf(o: BatchOutcome): Settled<string> {
  return o.error ? { ok: false, error: o.error } : { ok: true, value: o.object.id };
}

function pluralOf(objectType: string): string {
  const t = objectType.toLowerCase();
  if (t === '0-1' || t.startsWith('contact')) return 'contacts';
  if (t === '0-2' || t.startsWith('compan')) return 'companies';
  return t;
}

function toAssociation(link: ResolvedLink) {
  const [category, typeId] = link.as.split(':');
  return {
    to: { id: link.id },
    types: [{ associationCategory: category ?? 'HUBSPOT_DEFINED', associationTypeId: Number(typeId) }],
  };
}

/** HubSpot property values are strings (API-CONTRACTS 2.1); null clears a property. */
function stringProps(fields: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) continue;
    out[k] = v === null ? '' : typeof v === 'string' ? v : JSON.stringify(v);
  }
  return out;
}

export function toRecord(
  o: {
    id: string;
    properties: Record<string, string | null | undefined>;
    createdAt?: string;
    updatedAt?: string;
  },
  kind: 'contact' | 'company',
): CrmRecord {
  const p = o.properties;
  const name =
    kind === 'company'
      ? (p.name ?? '')
      : [p.firstname, p.lastname].filter((x) => x && x.trim()).join(' ') || (p.email ?? '');
  return {
    id: o.id,
    kind,
    name: name || `${kind} ${o.id}`,
    phones: PHONE_FIELDS.flatMap((field) => (p[field] ? [{ field, value: String(p[field]) }] : [])),
    ownerId: p.hubspot_owner_id || null,
    updatedAt: p.lastmodifieddate ?? o.updatedAt ?? new Date(0).toISOString(),
    createdAt: p.createdate ?? o.createdAt ?? null,
    extra: {
      firstName: p.firstname ?? null,
      lastName: p.lastname ?? null,
      email: p.email ?? null,
      company: p.company ?? null,
    },
  };
}
