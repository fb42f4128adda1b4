/**
 * The HubSpot simulator's in-memory world: portals (HubSpot accounts) with
 * their records, associations, owners, pipelines, outcomes and properties, and
 * the OAuth apps, codes and tokens that open them.
 */
import type { PropertyDef } from './property-defs.ts';

/** The CRM object types the simulator serves (API-CONTRACTS 2.1). */
export const OBJECT_TYPES = ['contacts', 'companies', 'calls', 'communications', 'tickets', 'notes'] as const;
export type ObjectType = (typeof OBJECT_TYPES)[number];

/**
 * Names HubSpot accepts for an object type in paths: plural, singular and the
 * objectTypeId (0-1 contact, 0-2 company, 0-5 ticket [API-CONTRACTS 2.8];
 * 0-48 call, 0-18 communication, 0-46 note [unverified]).
 */
const TYPE_NAMES: Record<ObjectType, { singular: string; typeId: string }> = {
  contacts: { singular: 'contact', typeId: '0-1' },
  companies: { singular: 'company', typeId: '0-2' },
  calls: { singular: 'call', typeId: '0-48' },
  communications: { singular: 'communication', typeId: '0-18' },
  tickets: { singular: 'ticket', typeId: '0-5' },
  notes: { singular: 'note', typeId: '0-46' },
};

/** The object type a path segment names, or null. */
export function toObjectType(raw: string): ObjectType | null {
  const name = raw.toLowerCase();
  for (const type of OBJECT_TYPES) {
    const n = TYPE_NAMES[type];
    if (name === type || name === n.singular || name === n.typeId) return type;
  }
  return null;
}

export function singular(type: ObjectType): string {
  return TYPE_NAMES[type].singular;
}

export function objectTypeId(type: ObjectType): string {
  return TYPE_NAMES[type].typeId;
}

export interface StoredObject {
  id: string;
  /** Property values as HubSpot stores them: strings (API-CONTRACTS 2.2). */
  properties: Record<string, string>;
  /** UNIX ms on the simulator clock. */
  createdAt: number;
  updatedAt: number;
  archived: boolean;
  archivedAt: number | null;
}

export interface Owner {
  id: string;
  email: string;
  firstName: string;
  lastName: string;
  userId: number | null;
  /** The HubSpot user's super admin right (settings users API, GEN-ADM-1) [unverified field name]. */
  superAdmin: boolean;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  teams: { id: string; name: string; primary: boolean }[];
}

export interface PipelineStage {
  id: string;
  label: string;
  displayOrder: number;
  /** Ticket stages carry `ticketState` OPEN or CLOSED (HubSpot pipelines API). */
  metadata: Record<string, string>;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface Pipeline {
  id: string;
  label: string;
  displayOrder: number;
  archived: boolean;
  createdAt: number;
  updatedAt: number;
  stages: PipelineStage[];
}

/** One stored association type between two records, one direction. */
export interface AssociationType {
  category: 'HUBSPOT_DEFINED';
  typeId: number;
}

export interface Portal {
  portalId: number;
  timeZone: string;
  /** ISO country used to compute the contacts' searchable phone numbers. */
  defaultCountry: string;
  /** When true, writes naming an unknown property fail with PROPERTY_DOESNT_EXIST. */
  strictProperties: boolean;
  owners: Owner[];
  objects: Record<ObjectType, Map<string, StoredObject>>;
  /** `${type}:${id}` -> `${type}:${id}` -> the association types, one direction per entry. */
  associations: Map<string, Map<string, AssociationType[]>>;
  pipelines: Pipeline[];
  /** Call outcomes: the six defaults plus custom ones (API-CONTRACTS 2.2). */
  outcomes: { id: string; label: string }[];
  /** GEN-REQ-1: properties a portal admin made required per object type. */
  requiredProperties: Partial<Record<ObjectType, string[]>>;
  /** Custom properties created through the properties API or the seed. */
  customProperties: Record<ObjectType, Map<string, PropertyDef>>;
  nextId: number;
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
  portalId: number;
  /** The HubSpot user who consented (the installer), when the portal has users. */
  userId: number | null;
  scopes: string[];
  expiresAt: number;
  used: boolean;
}

export interface AccessTokenGrant {
  token: string;
  portalId: number;
  userId: number | null;
  clientId: string;
  scopes: string[];
  expiresAt: number;
}

export interface RefreshTokenGrant {
  token: string;
  portalId: number;
  userId: number | null;
  clientId: string;
  scopes: string[];
  revoked: boolean;
}

/** The rate limits of API-CONTRACTS 2.7, settable with POST /_sandbox/limits. */
export interface RateLimits {
  tenSecondly: number;
  searchPerSecond: number;
  daily: number;
}

export const DEFAULT_LIMITS: RateLimits = { tenSecondly: 110, searchPerSecond: 5, daily: 250_000 };

export interface HubspotState {
  portals: Map<number, Portal>;
  /** Private app token -> portal id. */
  privateTokens: Map<string, number>;
  apps: Map<string, OAuthApp>;
  codes: Map<string, AuthCode>;
  accessTokens: Map<string, AccessTokenGrant>;
  refreshTokens: Map<string, RefreshTokenGrant>;
  limits: RateLimits;
}

export function createState(): HubspotState {
  return {
    portals: new Map(),
    privateTokens: new Map(),
    apps: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    limits: { ...DEFAULT_LIMITS },
  };
}

export function clearState(state: HubspotState): void {
  state.portals.clear();
  state.privateTokens.clear();
  state.apps.clear();
  state.codes.clear();
  state.accessTokens.clear();
  state.refreshTokens.clear();
  state.limits = { ...DEFAULT_LIMITS };
}

export function emptyObjects<T>(make: () => T): Record<ObjectType, T> {
  return {
    contacts: make(),
    companies: make(),
    calls: make(),
    communications: make(),
    tickets: make(),
    notes: make(),
  };
}

/** The portal a token opens (private app token or OAuth access token, expired or not), or null. */
export function portalIdOfToken(state: HubspotState, token: string): number | null {
  return state.privateTokens.get(token) ?? state.accessTokens.get(token)?.portalId ?? null;
}

export function iso(ms: number): string {
  return new Date(ms).toISOString();
}
