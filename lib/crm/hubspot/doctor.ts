/**
 * The doctor's live facts in HubSpot (lib/crm/doctor.ts) over HubspotClient:
 * owners (GEN-EMAIL-1), the installer's super admin right (settings users
 * API, GEN-ADM-1), the scopes granted to the token (GEN-DOC-1), and the
 * contacts with a phone (GEN-DOC-3/5).
 */
import type { CrmDoctor, FieldChecks, RecordSample } from '../doctor.ts';
import { type Finding, passed } from '../../logging/doctor.ts';
import type { CrmUser } from '../../logging/plan-types.ts';
import { CONTACT_PROPERTIES, toRecord } from './adapter.ts';
import { type HubspotClient, type HubspotObject, hubspotTokenInfo } from './client.ts';

/**
 * The scopes the integration asks for at consent (server/connectors/hubspot.ts)
 * and what each one opens, from the `security` of each operation
 * (API-CONTRACTS 2 "Auth": calls and communications need
 * `crm.objects.contacts.write`, contact search `crm.objects.contacts.read`,
 * ticket creation `tickets`, owners `crm.objects.owners.read`).
 */
export const HUBSPOT_SCOPES = {
  'crm.objects.contacts.read': 'find contacts by phone',
  'crm.objects.contacts.write': 'log calls and SMS and create contacts',
  tickets: 'create and update tickets',
  'crm.objects.owners.read': "read owners (each call's owner, GEN-EMAIL-1)",
} as const;

/** HubSpot's search pages hold at most 200 results (API-CONTRACTS 2.1). */
const SEARCH_PAGE = 200;

export class HubspotDoctor implements CrmDoctor {
  readonly primaryPhoneFields = ['phone'];
  readonly phoneRewrite = { supported: true } as const;
  private readonly client: HubspotClient;
  private readonly baseUrl: string;
  private readonly token: () => Promise<string>;
  private readonly fetchFn: typeof fetch | undefined;
  private readonly installerRef: { userId: string; email: string | null } | null;

  constructor(init: {
    client: HubspotClient;
    /** For the token lookup, which is outside the client (`/oauth/v1/access-tokens/{token}`). */
    baseUrl: string;
    token: () => Promise<string>;
    fetch?: typeof fetch;
    installer: { userId: string; email: string | null } | null;
  }) {
    this.client = init.client;
    this.baseUrl = init.baseUrl;
    this.token = init.token;
    this.fetchFn = init.fetch;
    this.installerRef = init.installer;
  }

  async users(): Promise<CrmUser[]> {
    return (await this.client.owners()).map((o) => ({
      id: String(o.id),
      email: o.email ?? null,
      name: [o.firstName, o.lastName].filter(Boolean).join(' ') || (o.email ?? String(o.id)),
      createdAt: o.createdAt ?? null,
      active: !o.archived,
    }));
  }

  async installer() {
    const ref = this.installerRef;
    if (!ref) return null;
    // `GET /settings/v3/users/{userId}`: null when the user no longer exists (GEN-ADM-1).
    const user = await this.client.user(ref.userId);
    const email = user?.email ?? ref.email;
    const owner = email
      ? (await this.users()).find((u) => u.email?.toLowerCase() === email.toLowerCase())
      : undefined;
    return {
      name: owner?.name ?? email ?? `HubSpot user ${ref.userId}`,
      email,
      exists: user !== null,
      admin: user ? user.superAdmin : null,
      right: 'Super Admin',
    };
  }

  /** GEN-DOC-1: the token's granted scopes against the ones the integration needs (API-CONTRACTS 2 "Auth"). */
  async permissions(): Promise<Finding[]> {
    const info = await hubspotTokenInfo({
      baseUrl: this.baseUrl,
      accessToken: await this.token(),
      ...(this.fetchFn ? { fetch: this.fetchFn } : {}),
    });
    const granted = new Set(info.scopes);
    const missing = (Object.keys(HUBSPOT_SCOPES) as (keyof typeof HUBSPOT_SCOPES)[]).filter(
      (s) => !granted.has(s),
    );
    if (missing.length === 0) {
      return [
        passed(
          'GEN-DOC-1',
          'HubSpot grants every scope the integration needs',
          `The token of portal ${info.portalId} has ${Object.keys(HUBSPOT_SCOPES).join(', ')}. HubSpot's API does not say which plan the portal is on; the scopes are what it checks.`,
        ),
      ];
    }
    return [
      {
        check: 'GEN-DOC-1',
        severity: 'error',
        title: 'HubSpot scopes missing',
        detail: `The token of portal ${info.portalId} lacks ${missing.join(', ')}, so the integration cannot ${missing.map((s) => HUBSPOT_SCOPES[s]).join(', ')}. Some scopes need a paid HubSpot plan (e.g. tickets need Service Hub).`,
        fix: 'Reconnect HubSpot (Connections) as a Super Admin and accept every scope on the consent page; if a scope cannot be granted, the portal needs the plan that includes it.',
        examples: missing,
        count: missing.length,
      },
    ];
  }

  /** Contacts with a phone or mobile phone, most recently modified first (`POST /crm/v3/objects/contacts/search`). */
  async sampleRecords(max: number): Promise<RecordSample> {
    const found: HubspotObject[] = [];
    let after: string | undefined;
    let total: number;
    do {
      const page = await this.client.search('contacts', {
        filterGroups: [
          { filters: [{ propertyName: 'phone', operator: 'HAS_PROPERTY' }] },
          { filters: [{ propertyName: 'mobilephone', operator: 'HAS_PROPERTY' }] },
        ],
        sorts: [{ propertyName: 'lastmodifieddate', direction: 'DESCENDING' }],
        properties: CONTACT_PROPERTIES,
        limit: Math.min(SEARCH_PAGE, max - found.length),
        ...(after ? { after } : {}),
      });
      total = page.total;
      found.push(...page.results);
      after = page.nextAfter ?? undefined;
    } while (after && found.length < max);
    return {
      records: found.slice(0, max).map((o) => toRecord(o, 'contact')),
      scope: `Read: the ${Math.min(found.length, max)} most recently modified HubSpot contacts with a phone number${total > max ? ` (of ${total}; at most ${max} are read)` : ''}.`,
      truncated: total > max,
    };
  }

  async fields(): Promise<FieldChecks> {
    return {
      applies: false,
      reason:
        'HubSpot documents no required properties for what the integration creates through its API (API-CONTRACTS 2: calls, communications, contacts, and tickets with their pipeline and stage), so required fields cannot block it.',
    };
  }
}
