/**
 * The HubSpot simulator's seed (`POST /_sandbox/seed`): OAuth apps and
 * portals, additive (a portal seeded again gains what the new seed adds).
 */
import { z } from 'zod';
import { addAssociation } from './associations.ts';
import { associationTypeFrom, defaultAssociationType } from './association-types.ts';
import { addCustomProperty, propertyCreateSchema } from './properties.ts';
import { DEFAULT_OUTCOMES } from './property-defs.ts';
import { defaultTicketPipeline } from './pipelines.ts';
import { createRecord, liveRecord } from './records.ts';
import {
  type HubspotState,
  OBJECT_TYPES,
  type ObjectType,
  type Pipeline,
  type Portal,
  emptyObjects,
  toObjectType,
} from './state.ts';

const idLike = z.union([z.string().min(1), z.number()]).transform(String);
const timeLike = z
  .union([z.number(), z.string()])
  .transform((v) => (typeof v === 'number' ? v : Date.parse(v)))
  .refine((ms) => Number.isFinite(ms), 'a UNIX ms number or an ISO date');

const objectSeed = z.strictObject({
  id: idLike.optional(),
  properties: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).default({}),
  createdAt: timeLike.optional(),
  updatedAt: timeLike.optional(),
});

const stageSeed = z.strictObject({
  id: idLike,
  label: z.string(),
  displayOrder: z.number().optional(),
  metadata: z
    .looseObject({ ticketState: z.enum(['OPEN', 'CLOSED']).default('OPEN') })
    .default({ ticketState: 'OPEN' }),
});

const pipelineSeed = z.strictObject({
  id: idLike,
  label: z.string(),
  displayOrder: z.number().optional(),
  stages: z.array(stageSeed).min(1),
});

const ownerSeed = z.strictObject({
  id: idLike,
  email: z.string(),
  firstName: z.string().default(''),
  lastName: z.string().default(''),
  userId: z.number().int().optional(),
  superAdmin: z.boolean().default(true),
  archived: z.boolean().default(false),
  createdAt: timeLike.optional(),
  updatedAt: timeLike.optional(),
  teams: z
    .array(z.strictObject({ id: idLike, name: z.string(), primary: z.boolean().default(false) }))
    .default([]),
});

const objectType = z
  .string()
  .refine((t) => toObjectType(t) !== null, 'an object type (contacts, calls, ...)');

const portalSeed = z.strictObject({
  portalId: z.number().int().positive(),
  timeZone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone')
    .optional(),
  defaultCountry: z.string().length(2).optional(),
  strictProperties: z.boolean().optional(),
  privateAppTokens: z.array(z.string().min(1)).default([]),
  owners: z.array(ownerSeed).default([]),
  objects: z
    .strictObject(Object.fromEntries(OBJECT_TYPES.map((t) => [t, z.array(objectSeed).optional()])))
    .default({}),
  associations: z
    .array(
      z.strictObject({
        from: z.strictObject({ type: objectType, id: idLike }),
        to: z.strictObject({ type: objectType, id: idLike }),
        typeId: z.number().int().optional(),
      }),
    )
    .default([]),
  pipelines: z.array(pipelineSeed).optional(),
  outcomes: z.array(z.strictObject({ id: z.string().min(1), label: z.string() })).default([]),
  requiredProperties: z.record(objectType, z.array(z.string())).default({}),
  properties: z.record(objectType, z.array(propertyCreateSchema)).default({}),
});

/**
 * Seed body (all parts optional, additive):
 * ```
 * {
 *   oauthApps?: [{ clientId, clientSecret, redirectUris: string[] }],
 *   portals?: [{
 *     portalId: number,
 *     timeZone?: IANA zone (default "UTC": the daily limit resets at its midnight),
 *     defaultCountry?: ISO country for the calculated phone numbers (default "US"),
 *     strictProperties?: boolean (default true: writes naming unknown properties fail),
 *     privateAppTokens?: string[],
 *     owners?: [{ id, email, firstName?, lastName?, userId?, superAdmin? (default true), archived?, createdAt?, updatedAt?, teams? }],
 *     objects?: { contacts?|companies?|calls?|communications?|tickets?|notes?:
 *                 [{ id?, properties, createdAt?, updatedAt? }] },   // not validated, as already in HubSpot
 *     associations?: [{ from: {type, id}, to: {type, id}, typeId? (default: the pair's unlabelled type) }],
 *     pipelines?: [{ id, label, displayOrder?, stages: [{ id, label, displayOrder?, metadata: { ticketState: 'OPEN'|'CLOSED' } }] }],
 *                 // replaces the default help-desk pipeline "0" of a new portal; upserts by id otherwise
 *     outcomes?: [{ id, label }],           // custom call outcomes, added to the 6 defaults
 *     requiredProperties?: { [objectType]: string[] },   // GEN-REQ-1: creation without them -> 400
 *     properties?: { [objectType]: [{ name, label, type, fieldType, groupName, hasUniqueValue? }] },
 *   }]
 * }
 * ```
 * Times are UNIX ms or ISO strings. Answers `{ ok, portals: [{ portalId, ids: { [objectType]: string[] } }] }`
 * with the ids of the seeded records, in seed order.
 */
export const hubspotSeedSchema = z.strictObject({
  oauthApps: z
    .array(
      z.strictObject({
        clientId: z.string().min(1),
        clientSecret: z.string().min(1),
        redirectUris: z.array(z.string()),
      }),
    )
    .default([]),
  portals: z.array(portalSeed).default([]),
});
export type HubspotSeed = z.input<typeof hubspotSeedSchema>;

export interface SeedResult {
  ok: true;
  portals: { portalId: number; ids: Partial<Record<ObjectType, string[]>> }[];
}

function newPortal(portalId: number): Portal {
  return {
    portalId,
    timeZone: 'UTC',
    defaultCountry: 'US',
    strictProperties: true,
    owners: [],
    objects: emptyObjects(() => new Map()),
    associations: new Map(),
    pipelines: [],
    outcomes: DEFAULT_OUTCOMES.map((o) => ({ ...o })),
    requiredProperties: {},
    customProperties: emptyObjects(() => new Map()),
    nextId: 1001,
  };
}

function toPipeline(p: z.infer<typeof pipelineSeed>, now: number, order: number): Pipeline {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder ?? order,
    archived: false,
    createdAt: now,
    updatedAt: now,
    stages: p.stages.map((s, i) => ({
      id: s.id,
      label: s.label,
      displayOrder: s.displayOrder ?? i,
      metadata: Object.fromEntries(Object.entries(s.metadata).map(([k, v]) => [k, String(v)])),
      archived: false,
      createdAt: now,
      updatedAt: now,
    })),
  };
}

/** Validates and applies a seed; throws (-> 400 from the base) when it is malformed or inconsistent. */
export function applySeed(state: HubspotState, now: number, raw: unknown): SeedResult {
  const seed = hubspotSeedSchema.parse(raw);
  for (const a of seed.oauthApps) state.apps.set(a.clientId, { ...a });
  const result: SeedResult = { ok: true, portals: [] };
  for (const s of seed.portals) {
    const fresh = !state.portals.has(s.portalId);
    const portal = state.portals.get(s.portalId) ?? newPortal(s.portalId);
    state.portals.set(s.portalId, portal);
    if (s.timeZone) portal.timeZone = s.timeZone;
    if (s.defaultCountry) portal.defaultCountry = s.defaultCountry.toUpperCase();
    if (s.strictProperties !== undefined) portal.strictProperties = s.strictProperties;
    for (const token of s.privateAppTokens) {
      const owner = state.privateTokens.get(token);
      if (owner !== undefined && owner !== s.portalId)
        throw new Error(`token ${token} already opens portal ${owner}`);
      state.privateTokens.set(token, s.portalId);
    }
    for (const [type, defs] of Object.entries(s.properties)) {
      const t = toObjectType(type) ?? 'contacts';
      for (const def of defs) addCustomProperty(portal, t, def, now);
    }
    for (const o of s.owners) {
      portal.owners = portal.owners.filter((x) => x.id !== o.id);
      portal.owners.push({
        ...o,
        userId: o.userId ?? null,
        createdAt: o.createdAt ?? now,
        updatedAt: o.updatedAt ?? o.createdAt ?? now,
      });
    }
    if (fresh && !s.pipelines) portal.pipelines.push(defaultTicketPipeline(now));
    for (const p of s.pipelines ?? []) {
      portal.pipelines = portal.pipelines.filter((x) => x.id !== p.id);
      portal.pipelines.push(toPipeline(p, now, portal.pipelines.length));
    }
    for (const o of s.outcomes) {
      portal.outcomes = portal.outcomes.filter((x) => x.id !== o.id);
      portal.outcomes.push({ ...o });
    }
    for (const [type, names] of Object.entries(s.requiredProperties)) {
      const t = toObjectType(type) ?? 'contacts';
      portal.requiredProperties[t] = [...new Set([...(portal.requiredProperties[t] ?? []), ...names])];
    }
    const ids: Partial<Record<ObjectType, string[]>> = {};
    for (const type of OBJECT_TYPES) {
      for (const o of s.objects[type] ?? []) {
        const opts = { trusted: true, id: o.id, createdAt: o.createdAt, updatedAt: o.updatedAt };
        const obj = createRecord(portal, type, o.properties, now, opts);
        (ids[type] ??= []).push(obj.id);
      }
    }
    for (const a of s.associations) {
      const from = toObjectType(a.from.type) ?? 'contacts';
      const to = toObjectType(a.to.type) ?? 'contacts';
      liveRecord(portal, from, a.from.id);
      liveRecord(portal, to, a.to.id);
      const row =
        a.typeId === undefined ? defaultAssociationType(from, to) : associationTypeFrom(from, a.typeId);
      if (!row || row.to !== to)
        throw new Error(`no association type ${a.typeId ?? 'default'} from ${from} to ${to}`);
      addAssociation(portal, from, a.from.id, row, a.to.id);
    }
    result.portals.push({ portalId: s.portalId, ids });
  }
  return result;
}
