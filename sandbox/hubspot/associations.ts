/**
 * Associations between records, stored in both directions with the type ids
 * of API-CONTRACTS 2.3, and the v4 associations endpoints (API-CONTRACTS 2.1).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import {
  ASSOCIATION_TYPES,
  type AssociationTypeRow,
  associationTypeFrom,
  defaultAssociationType,
} from './association-types.ts';
import { type SimContext, parseBody, pathType } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import { liveRecord } from './records.ts';
import { type AssociationType, type ObjectType, type Portal, iso, objectTypeId, singular } from './state.ts';

const key = (type: ObjectType, id: string) => `${type}:${id}`;

function put(portal: Portal, from: string, to: string, typeId: number): void {
  let targets = portal.associations.get(from);
  if (!targets) portal.associations.set(from, (targets = new Map()));
  const types = targets.get(to) ?? [];
  if (!types.some((t) => t.typeId === typeId)) types.push({ category: 'HUBSPOT_DEFINED', typeId });
  targets.set(to, types);
}

/**
 * Stores `fromType:fromId -> row.to:toId` with `row.typeId` and the reverse
 * with `row.reverseTypeId`. A labelled type also gets the pair's unlabelled
 * one, as every HubSpot association has it [doc: associations v4 "unlabeled"].
 */
export function addAssociation(
  portal: Portal,
  fromType: ObjectType,
  fromId: string,
  row: AssociationTypeRow,
  toId: string,
): void {
  put(portal, key(fromType, fromId), key(row.to, toId), row.typeId);
  put(portal, key(row.to, toId), key(fromType, fromId), row.reverseTypeId);
  if (row.label !== null) {
    const plain = defaultAssociationType(fromType, row.to);
    if (plain) addAssociation(portal, fromType, fromId, plain, toId);
  }
}

/** The live records of `toType` associated with a record, with the types of each link. */
export function associatedWith(
  portal: Portal,
  fromType: ObjectType,
  fromId: string,
  toType: ObjectType,
): { toId: string; types: AssociationType[] }[] {
  const out: { toId: string; types: AssociationType[] }[] = [];
  for (const [target, types] of portal.associations.get(key(fromType, fromId)) ?? []) {
    const [type, id = ''] = target.split(':');
    if (type !== toType) continue;
    const obj = portal.objects[toType].get(id);
    if (obj && !obj.archived) out.push({ toId: id, types: [...types] });
  }
  return out.sort((a, b) => Number(a.toId) - Number(b.toId));
}

export function isAssociated(
  portal: Portal,
  fromType: ObjectType,
  fromId: string,
  toType: ObjectType,
  toId: string,
): boolean {
  return portal.associations.get(key(fromType, fromId))?.has(key(toType, toId)) ?? false;
}

export function removeAssociation(
  portal: Portal,
  fromType: ObjectType,
  fromId: string,
  toType: ObjectType,
  toId: string,
): void {
  portal.associations.get(key(fromType, fromId))?.delete(key(toType, toId));
  portal.associations.get(key(toType, toId))?.delete(key(fromType, fromId));
}

/** Archiving a record drops its associations (both directions). */
export function dropAssociations(portal: Portal, type: ObjectType, id: string): void {
  const self = key(type, id);
  for (const target of portal.associations.get(self)?.keys() ?? [])
    portal.associations.get(target)?.delete(self);
  portal.associations.delete(self);
}

export function labelOf(fromType: ObjectType, typeId: number): string | null {
  return associationTypeFrom(fromType, typeId)?.label ?? null;
}

/**
 * The v3 `associations.{type}.results[].type` name [unverified]: e.g.
 * "call_to_contact"; where a pair has a "Primary" label, the primary one
 * takes the plain name and the unlabelled one gets "_unlabeled".
 */
export function v3TypeName(fromType: ObjectType, toType: ObjectType, typeId: number): string {
  const base = `${singular(fromType)}_to_${singular(toType)}`;
  if (labelOf(fromType, typeId) !== null) return base;
  const pairHasLabel = ASSOCIATION_TYPES.some(
    (r) => r.from === fromType && r.to === toType && r.label !== null,
  );
  return pairHasLabel ? `${base}_unlabeled` : base;
}

/** `[{associationCategory, associationTypeId}]` (API-CONTRACTS 2.1 `AssociationSpec`). */
export const associationSpecSchema = z.looseObject({
  associationCategory: z.string(),
  associationTypeId: z.coerce.number().int(),
});

/** The association type a spec names for `fromType`, or a 400 saying why not [unverified wording]. */
export function resolveSpec(
  fromType: ObjectType,
  spec: z.infer<typeof associationSpecSchema>,
  toType?: ObjectType,
): AssociationTypeRow {
  if (spec.associationCategory !== 'HUBSPOT_DEFINED') {
    throw badRequest(
      `associationCategory ${spec.associationCategory} is not supported by the simulator (only HUBSPOT_DEFINED types of API-CONTRACTS 2.3)`,
    );
  }
  const row = associationTypeFrom(fromType, spec.associationTypeId);
  if (!row || (toType && row.to !== toType)) {
    throw badRequest(
      `${spec.associationTypeId} is not a valid association type id from ${singular(fromType)}${toType ? ` to ${singular(toType)}` : ''}`,
    );
  }
  return row;
}

const paramsSchema = z.object({ from: z.string(), fromId: z.string(), to: z.string(), toId: z.string() });

/** The v4 association endpoints (API-CONTRACTS 2.1 "Associate after the fact"). */
export function registerAssociationRoutes(app: FastifyInstance, ctx: SimContext): void {
  const ends = (req: { params: unknown }) => {
    const p = paramsSchema.parse(req.params);
    const fromType = pathType(p.from);
    const toType = pathType(p.to);
    return { fromType, toType, fromId: p.fromId, toId: p.toId };
  };
  const mustExist = (portal: Portal, type: ObjectType, id: string) => {
    try {
      liveRecord(portal, type, id);
    } catch {
      throw notFound(`No ${singular(type)} with ID ${id} exists`);
    }
  };

  app.put('/crm/v4/objects/:from/:fromId/associations/default/:to/:toId', async (req) => {
    const portal = ctx.portalOf(req);
    const { fromType, toType, fromId, toId } = ends(req);
    mustExist(portal, fromType, fromId);
    mustExist(portal, toType, toId);
    const row = defaultAssociationType(fromType, toType);
    if (!row)
      throw badRequest(`No default association type from ${singular(fromType)} to ${singular(toType)}`);
    addAssociation(portal, fromType, fromId, row, toId);
    const now = iso(ctx.clock.now());
    const spec = (typeId: number) => ({ associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId });
    return {
      status: 'COMPLETE',
      results: [
        { from: { id: fromId }, to: { id: toId }, associationSpec: spec(row.typeId) },
        { from: { id: toId }, to: { id: fromId }, associationSpec: spec(row.reverseTypeId) },
      ],
      startedAt: now,
      completedAt: now,
    };
  });

  app.put('/crm/v4/objects/:from/:fromId/associations/:to/:toId', async (req, reply) => {
    const portal = ctx.portalOf(req);
    const { fromType, toType, fromId, toId } = ends(req);
    const specs = parseBody(z.array(associationSpecSchema).min(1), req.body);
    const rows = specs.map((s) => resolveSpec(fromType, s, toType));
    mustExist(portal, fromType, fromId);
    mustExist(portal, toType, toId);
    for (const row of rows) addAssociation(portal, fromType, fromId, row, toId);
    return reply.code(201).send({
      fromObjectTypeId: objectTypeId(fromType),
      fromObjectId: Number(fromId),
      toObjectTypeId: objectTypeId(toType),
      toObjectId: Number(toId),
      labels: rows.map((r) => r.label).filter((l): l is string => l !== null),
    });
  });

  app.get('/crm/v4/objects/:from/:fromId/associations/:to', async (req) => {
    const portal = ctx.portalOf(req);
    const p = z.object({ from: z.string(), fromId: z.string(), to: z.string() }).parse(req.params);
    const q = z
      .object({
        limit: z.coerce.number().int().min(1).max(500).default(500),
        after: z.coerce.number().int().min(0).default(0),
      })
      .safeParse(req.query);
    if (!q.success) throw badRequest('limit must be 1..500 and after a paging cursor');
    const fromType = pathType(p.from);
    const toType = pathType(p.to);
    mustExist(portal, fromType, p.fromId);
    const all = associatedWith(portal, fromType, p.fromId, toType);
    const page = all.slice(q.data.after, q.data.after + q.data.limit);
    const next = q.data.after + q.data.limit;
    return {
      results: page.map((a) => ({
        toObjectId: Number(a.toId),
        associationTypes: a.types.map((t) => ({
          category: t.category,
          typeId: t.typeId,
          label: labelOf(fromType, t.typeId),
        })),
      })),
      ...(next < all.length ? { paging: { next: { after: String(next) } } } : {}),
    };
  });

  app.delete('/crm/v4/objects/:from/:fromId/associations/:to/:toId', async (req, reply) => {
    const portal = ctx.portalOf(req);
    const { fromType, toType, fromId, toId } = ends(req);
    removeAssociation(portal, fromType, fromId, toType, toId);
    return reply.code(204).send();
  });
}
