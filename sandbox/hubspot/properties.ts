/**
 * The properties API (read a property or all, create a custom one) and the
 * legacy dispositions endpoint; both expose the portal's call outcomes
 * (API-CONTRACTS 2.1 "Properties", 2.2).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type SimContext, parseBody, pathType } from './context.ts';
import { hsError, notFound } from './errors.ts';
import { type PropertyDef, allPropertyDefs, propertyDef, propertyJson } from './property-defs.ts';
import type { ObjectType, Portal } from './state.ts';

/** `PropertyCreate` [spec: properties API]; `hasUniqueValue` makes writes check for duplicates. */
export const propertyCreateSchema = z.looseObject({
  name: z
    .string()
    .regex(/^[a-z][a-z0-9_]*$/, 'lowercase letters, digits and underscores, starting with a letter'),
  label: z.string().min(1),
  type: z.enum(['string', 'number', 'datetime', 'date', 'enumeration', 'bool', 'phone_number']),
  fieldType: z.string().min(1),
  groupName: z.string().min(1),
  description: z.string().default(''),
  hasUniqueValue: z.boolean().default(false),
  options: z
    .array(
      z.looseObject({
        label: z.string(),
        value: z.string(),
        displayOrder: z.number().default(0),
        hidden: z.boolean().default(false),
      }),
    )
    .default([]),
});
export type PropertyCreate = z.input<typeof propertyCreateSchema>;

/** Adds a custom property; 409 CONFLICT when the name is taken [unverified wording]. */
export function addCustomProperty(
  portal: Portal,
  type: ObjectType,
  input: z.infer<typeof propertyCreateSchema>,
  now: number,
): PropertyDef {
  if (propertyDef(portal, type, input.name)) {
    throw hsError(409, 'CONFLICT', `Property named '${input.name}' already exists.`);
  }
  const def: PropertyDef = {
    name: input.name,
    label: input.label,
    type: input.type,
    fieldType: input.fieldType,
    groupName: input.groupName,
    description: input.description,
    hasUniqueValue: input.hasUniqueValue,
    options: input.options,
    readOnlyValue: false,
    calculated: false,
    hubspotDefined: false,
    createdAt: now,
  };
  portal.customProperties[type].set(def.name, def);
  return def;
}

export function registerPropertyRoutes(app: FastifyInstance, ctx: SimContext): void {
  const params = z.object({ objectType: z.string(), name: z.string().optional() });

  app.get('/crm/v3/properties/:objectType', async (req) => {
    const portal = ctx.portalOf(req);
    const type = pathType(params.parse(req.params).objectType);
    return { results: allPropertyDefs(portal, type).map((d) => propertyJson(portal, d)) };
  });

  app.get('/crm/v3/properties/:objectType/:name', async (req) => {
    const portal = ctx.portalOf(req);
    const p = params.parse(req.params);
    const type = pathType(p.objectType);
    const def = propertyDef(portal, type, p.name ?? '');
    if (!def) throw notFound(`Unable to find property ${p.name} for object type ${type}`);
    return propertyJson(portal, def);
  });

  app.post('/crm/v3/properties/:objectType', async (req, reply) => {
    const portal = ctx.portalOf(req);
    const type = pathType(params.parse(req.params).objectType);
    const input = parseBody(propertyCreateSchema, req.body);
    const def = addCustomProperty(portal, type, input, ctx.clock.now());
    return reply.code(201).send(propertyJson(portal, def));
  });

  // API-CONTRACTS 2.2 [doc: legacy get-calling-v1-dispositions]: [{id, label}].
  app.get('/calling/v1/dispositions', async (req) => ctx.portalOf(req).outcomes.map((o) => ({ ...o })));
}
