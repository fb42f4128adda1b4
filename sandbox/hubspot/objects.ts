/**
 * The v3 object endpoints (API-CONTRACTS 2.1): create, read, update, archive
 * and the batch variants, for the simulated object types.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { AssociationTypeRow } from './association-types.ts';
import {
  addAssociation,
  associatedWith,
  associationSpecSchema,
  dropAssociations,
  resolveSpec,
  v3TypeName,
} from './associations.ts';
import { type SimContext, listParam, parseBody, pathType } from './context.ts';
import { HubspotSimError, badRequest, hsError, notFound } from './errors.ts';
import {
  checkedValues,
  createRecord,
  findByUnique,
  isUniqueProperty,
  liveRecord,
  recordJson,
  updateRecord,
} from './records.ts';
import {
  type ObjectType,
  type Portal,
  type StoredObject,
  iso,
  objectTypeId,
  singular,
  toObjectType,
} from './state.ts';

const idSchema = z.union([z.string(), z.number()]).transform(String);
const propertiesSchema = z.record(z.string(), z.unknown());

/**
 * `SimplePublicObjectInputForCreate`; `associations` optional (API-CONTRACTS 2.1 caveat);
 * `objectWriteTraceId` (batch create) turns on multi-status answers.
 */
const createInputSchema = z.looseObject({
  objectWriteTraceId: z.string().min(1).optional(),
  properties: propertiesSchema.default({}),
  associations: z
    .array(
      z.looseObject({ to: z.looseObject({ id: idSchema }), types: z.array(associationSpecSchema).min(1) }),
    )
    .default([]),
});
type CreateInput = z.infer<typeof createInputSchema>;

/** HubSpot caps batch inputs at 100 [doc: batch endpoints]. */
const batchOf = <T extends z.ZodType>(input: T) =>
  z.looseObject({ inputs: z.array(input).max(100, 'at most 100 inputs per batch') });

/** Resolves a create body's associations before anything is written (targets must exist). */
function resolveAssociations(portal: Portal, type: ObjectType, input: CreateInput) {
  const links: { row: AssociationTypeRow; toId: string }[] = [];
  for (const assoc of input.associations) {
    for (const spec of assoc.types) {
      const row = resolveSpec(type, spec);
      const target = portal.objects[row.to].get(assoc.to.id);
      if (!target || target.archived) {
        // [unverified wording] HubSpot refuses the create when a target does not exist.
        throw badRequest(`${singular(row.to)} ${assoc.to.id} does not exist, so it cannot be associated`, [
          { message: `${singular(row.to)} ${assoc.to.id} does not exist`, code: 'INVALID_ASSOCIATION' },
        ]);
      }
      links.push({ row, toId: assoc.to.id });
    }
  }
  return links;
}

function createWithAssociations(
  portal: Portal,
  type: ObjectType,
  input: CreateInput,
  now: number,
): StoredObject {
  const links = resolveAssociations(portal, type, input);
  const obj = createRecord(portal, type, input.properties, now);
  for (const { row, toId } of links) addAssociation(portal, type, obj.id, row, toId);
  return obj;
}

/** Finds a record by id, or by a unique property with `idProperty` (HubSpot's `?idProperty=`). */
function lookup(portal: Portal, type: ObjectType, id: string, idProperty: string | undefined): StoredObject {
  if (!idProperty || idProperty === 'hs_object_id') return liveRecord(portal, type, id);
  const found = findByUnique(portal, type, idProperty, id);
  if (!found) throw notFound(`resource not found: no ${singular(type)} has ${idProperty} ${id}`);
  return found;
}

function batchEnvelope(now: number, results: unknown[], errors: unknown[] = []) {
  return {
    status: 'COMPLETE',
    results,
    ...(errors.length ? { numErrors: errors.length, errors } : {}),
    startedAt: iso(now),
    completedAt: iso(now),
  };
}

/** The 207 error for ids a batch could not find [unverified wording]. */
function notFoundError(type: ObjectType, ids: string[]) {
  return {
    status: 'error',
    category: 'OBJECT_NOT_FOUND',
    message: `Could not get some ${singular(type).toUpperCase()} objects, they may be deleted or not exist. Check that ids are valid.`,
    context: { ids },
  };
}

export function registerObjectRoutes(app: FastifyInstance, ctx: SimContext): void {
  const typeOf = (params: unknown) => pathType(z.object({ type: z.string() }).parse(params).type);
  const objectQuery = z.looseObject({
    properties: z.unknown().optional(),
    associations: z.unknown().optional(),
    idProperty: z.string().optional(),
  });

  app.post('/crm/v3/objects/:type', async (req, reply) => {
    const portal = ctx.portalOf(req);
    const type = typeOf(req.params);
    const input = parseBody(createInputSchema, req.body);
    const obj = createWithAssociations(portal, type, input, ctx.clock.now());
    return reply.code(201).send(recordJson(type, obj, 'all', portal));
  });

  app.get('/crm/v3/objects/:type/:id', async (req) => {
    const portal = ctx.portalOf(req);
    const type = typeOf(req.params);
    const { id } = z.object({ id: z.string() }).parse(req.params);
    const q = objectQuery.parse(req.query);
    const obj = lookup(portal, type, id, q.idProperty);
    const json = recordJson(type, obj, listParam(q.properties) ?? 'default', portal);
    const assocTypes = (listParam(q.associations) ?? []).map((t) => toObjectType(t));
    const associations: Record<string, { results: { id: string; type: string }[] }> = {};
    for (const toType of assocTypes) {
      if (!toType) continue;
      const results = associatedWith(portal, type, obj.id, toType).flatMap((a) =>
        a.types.map((t) => ({ id: a.toId, type: v3TypeName(type, toType, t.typeId) })),
      );
      if (results.length) associations[toType] = { results };
    }
    return Object.keys(associations).length ? { ...json, associations } : json;
  });

  app.patch('/crm/v3/objects/:type/:id', async (req) => {
    const portal = ctx.portalOf(req);
    const type = typeOf(req.params);
    const { id } = z.object({ id: z.string() }).parse(req.params);
    const q = objectQuery.parse(req.query);
    const body = parseBody(z.looseObject({ properties: propertiesSchema }), req.body);
    const obj = lookup(portal, type, id, q.idProperty);
    updateRecord(portal, type, obj, body.properties, ctx.clock.now());
    return recordJson(type, obj, 'all', portal);
  });

  app.delete('/crm/v3/objects/:type/:id', async (req, reply) => {
    const portal = ctx.portalOf(req);
    const type = typeOf(req.params);
    const { id } = z.object({ id: z.string() }).parse(req.params);
    archive(portal, type, id, ctx.clock.now());
    // [unverified] HubSpot answers 204 whether or not the record existed.
    return reply.code(204).send();
  });

  app.post('/crm/v3/objects/:type/batch/:op', async (req, reply) => {
    const portal = ctx.portalOf(req);
    const type = typeOf(req.params);
    const { op } = z.object({ op: z.string() }).parse(req.params);
    const now = ctx.clock.now();
    switch (op) {
      case 'create': {
        const out = batchCreate(portal, type, req.body, now);
        return reply.code(out.errors.length ? 207 : 201).send(batchEnvelope(now, out.results, out.errors));
      }
      case 'read': {
        const out = batchRead(portal, type, req.body);
        return reply.code(out.errors.length ? 207 : 200).send(batchEnvelope(now, out.results, out.errors));
      }
      case 'update': {
        const out = batchUpdate(portal, type, req.body, now);
        return reply.code(out.errors.length ? 207 : 200).send(batchEnvelope(now, out.results, out.errors));
      }
      case 'upsert':
        return reply.send(batchUpsert(portal, type, req.body, now));
      case 'archive': {
        const body = parseBody(batchOf(z.looseObject({ id: idSchema })), req.body);
        for (const input of body.inputs) archive(portal, type, input.id, now);
        return reply.code(204).send();
      }
      default:
        throw hsError(404, 'OBJECT_NOT_FOUND', `Unknown batch operation ${op}`);
    }
  });
}

function archive(portal: Portal, type: ObjectType, id: string, now: number): void {
  const obj = portal.objects[type].get(id);
  if (!obj || obj.archived) return;
  obj.archived = true;
  obj.archivedAt = now;
  dropAssociations(portal, type, id);
}

/**
 * Batch create (API-CONTRACTS 2.1: 201, or 207 with `errors[]`). When every
 * input carries an `objectWriteTraceId`, HubSpot answers multi-status: the
 * valid inputs are created, each refused one is an entry of `errors[]` whose
 * `context.objectWriteTraceId` names it, and results echo their trace id
 * [doc: HubSpot "Error handling", multi-status errors for batch create].
 * Without trace ids the batch is all or nothing [unverified]: a failing input
 * undoes the ones created before it and the request is refused with its error.
 */
function batchCreate(portal: Portal, type: ObjectType, raw: unknown, now: number) {
  const body = parseBody(batchOf(createInputSchema), raw);
  const traced = body.inputs.length > 0 && body.inputs.every((i) => i.objectWriteTraceId !== undefined);
  const json = (o: StoredObject, traceId: string | undefined) => ({
    ...recordJson(type, o, 'all', portal),
    ...(traceId === undefined ? {} : { objectWriteTraceId: traceId }),
  });
  if (traced) {
    const ids = body.inputs.map((i) => i.objectWriteTraceId);
    const dup = ids.find((id, n) => ids.indexOf(id) !== n);
    if (dup !== undefined) throw badRequest(`Duplicate objectWriteTraceId ${dup}: each input needs its own`);
    const results: unknown[] = [];
    const errors: unknown[] = [];
    for (const input of body.inputs) {
      try {
        results.push(json(createWithAssociations(portal, type, input, now), input.objectWriteTraceId));
      } catch (err) {
        if (!(err instanceof HubspotSimError)) throw err;
        const e = (err.body ?? {}) as {
          category?: string;
          message?: string;
          errors?: unknown;
          context?: object;
        };
        errors.push({
          status: 'error',
          category: e.category ?? 'VALIDATION_ERROR',
          message: e.message ?? err.message,
          ...(e.errors ? { errors: e.errors } : {}),
          context: { ...(e.context ?? {}), objectWriteTraceId: [input.objectWriteTraceId] },
        });
      }
    }
    return { results, errors };
  }
  const created: StoredObject[] = [];
  try {
    for (const input of body.inputs) created.push(createWithAssociations(portal, type, input, now));
  } catch (err) {
    for (const obj of created) {
      dropAssociations(portal, type, obj.id);
      portal.objects[type].delete(obj.id);
    }
    throw err;
  }
  return { results: created.map((o) => json(o, undefined)), errors: [] as unknown[] };
}

function batchRead(portal: Portal, type: ObjectType, raw: unknown) {
  const body = parseBody(
    z.looseObject({
      inputs: z.array(z.looseObject({ id: idSchema })).max(100),
      properties: z.array(z.string()).default([]),
      idProperty: z.string().optional(),
    }),
    raw,
  );
  const results = [];
  const missing: string[] = [];
  for (const { id } of body.inputs) {
    try {
      results.push(recordJson(type, lookup(portal, type, id, body.idProperty), body.properties, portal));
    } catch (err) {
      if (!(err instanceof HubspotSimError)) throw err;
      missing.push(id);
    }
  }
  return { results, errors: missing.length ? [notFoundError(type, missing)] : [] };
}

/** Checks every input before writing any (a 400 changes nothing); unknown ids give a 207. */
function batchUpdate(portal: Portal, type: ObjectType, raw: unknown, now: number) {
  const body = parseBody(
    batchOf(z.looseObject({ id: idSchema, idProperty: z.string().optional(), properties: propertiesSchema })),
    raw,
  );
  const found: { obj: StoredObject; properties: Record<string, unknown> }[] = [];
  const missing: string[] = [];
  for (const input of body.inputs) {
    try {
      const obj = lookup(portal, type, input.id, input.idProperty);
      checkedValues(portal, type, input.properties, { mode: 'update', existing: obj });
      found.push({ obj, properties: input.properties });
    } catch (err) {
      if (!(err instanceof HubspotSimError) || err.status !== 404) throw err;
      missing.push(input.id);
    }
  }
  const results = found.map(({ obj, properties }) =>
    recordJson(type, updateRecord(portal, type, obj, properties, now), 'all', portal),
  );
  return { results, errors: missing.length ? [notFoundError(type, missing)] : [] };
}

/**
 * Upsert by a unique property (API-CONTRACTS 2.1 batch upsert); a
 * non-unique `idProperty` is refused as HubSpot words it [partner-code:
 * "Unable to perform update/upsert by non-unique 0-2 property ..."].
 */
function batchUpsert(portal: Portal, type: ObjectType, raw: unknown, now: number) {
  const body = parseBody(
    batchOf(
      z.looseObject({
        id: idSchema,
        idProperty: z.string().optional(),
        properties: propertiesSchema.default({}),
      }),
    ),
    raw,
  );
  const plans = body.inputs.map((input) => {
    const idProperty = input.idProperty ?? '';
    if (!isUniqueProperty(portal, type, idProperty)) {
      throw badRequest(
        `Unable to perform update/upsert by non-unique ${objectTypeId(type)} property ${idProperty || '(none)'} in portal ID ${portal.portalId}`,
      );
    }
    const existing = findByUnique(portal, type, idProperty, input.id);
    const properties = existing ? input.properties : { ...input.properties, [idProperty]: input.id };
    checkedValues(portal, type, properties, existing ? { mode: 'update', existing } : { mode: 'create' });
    return { existing, properties };
  });
  const results = plans.map(({ existing, properties }) => {
    const obj = existing
      ? updateRecord(portal, type, existing, properties, now)
      : createRecord(portal, type, properties, now);
    return { ...recordJson(type, obj, 'all', portal), new: !existing };
  });
  return batchEnvelope(now, results);
}
