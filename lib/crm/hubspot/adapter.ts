/**
 * The HubSpot adapter (lib/crm/adapter.ts) over HubspotClient: gathers what
 * the HubSpot planner reads (facts.ts) and executes its writes.
 *
 * Requests per logged call, in the common case (issue 3 note): 1 contact
 * search (cached 60 s per number, so a call's later events reuse it), owners,
 * outcomes and pipelines once per 5 minutes per portal, and 1 create with its
 * associations inline; later events of the call are 1 PATCH each.
 *
 * Idempotency: every object we create carries the custom property
 * `aircall_bridge_key` (created once per portal, properties API), so an
 * interrupted create is found again by a search on the key, never made twice.
 */
import { parsePhoneNumberFromString } from 'libphonenumber-js';
import type { CrmAdapter, Gathered, GatherInput, ResolvedLink } from '../adapter.ts';
import type { CrmRecord, CrmUser, PlannedWrite } from '../../logging/plan-types.ts';
import type { IntegrationSettings } from '../../logging/settings-union.ts';
import type { HubspotClient } from './client.ts';
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
  private portal: Cached<{
    users: CrmUser[];
    outcomes: { id: string; label: string }[];
    installer: { name: string; crmAdmin: boolean; ownerId: string | null } | null;
  }> | null = null;
  private pipelines: Cached<HubspotTicketPipeline[]> | null = null;
  private keyed: Promise<void> | null = null;

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
      return (await this.client.create(object, properties, links.map(toAssociation))).id;
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
      if (Object.keys(properties).length > 0) await this.client.update(object, id, properties);
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

  private async contactsByPhone(e164: string): Promise<CrmRecord[]> {
    const now = this.clock.now();
    const hit = this.searches.get(e164);
    if (hit && now - hit.at < SEARCH_TTL_MS) return hit.value;
    const national = parsePhoneNumberFromString(e164)?.nationalNumber ?? null;
    const found = await this.client.searchContactsByPhone(
      e164,
      national ? String(national) : null,
      CONTACT_PROPERTIES,
    );
    const value = found.map((o) => toRecord(o, 'contact'));
    this.searches.set(e164, { at: now, value });
    return value;
  }

  private async portalFacts() {
    const now = this.clock.now();
    if (this.portal && now - this.portal.at < PORTAL_TTL_MS) return this.portal.value;
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

  private async ticketPipelines(): Promise<HubspotTicketPipeline[]> {
    const now = this.clock.now();
    if (this.pipelines && now - this.pipelines.at < PORTAL_TTL_MS) return this.pipelines.value;
    const value = (await this.client.ticketPipelines()) as HubspotTicketPipeline[];
    this.pipelines = { at: now, value };
    return value;
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
