/**
 * `GET /crm/v3/owners` and `/crm/v3/owners/{ownerId}` (API-CONTRACTS 2.1
 * "Owners": `PublicOwner`, limit default 100, `archived` default false).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimContext } from './context.ts';
import { badRequest, notFound } from './errors.ts';
import { type Owner, iso } from './state.ts';

export function ownerJson(o: Owner) {
  return {
    id: o.id,
    email: o.email,
    firstName: o.firstName,
    lastName: o.lastName,
    userId: o.archived ? null : o.userId,
    userIdIncludingInactive: o.userId,
    type: 'PERSON',
    teams: o.teams,
    archived: o.archived,
    createdAt: iso(o.createdAt),
    updatedAt: iso(o.updatedAt),
  };
}

const bool = z.enum(['true', 'false']).transform((v) => v === 'true');

export function registerOwnerRoutes(app: FastifyInstance, ctx: SimContext): void {
  // Settings users API (`GET /settings/v3/users/{userId}`): the portal's users with
  // their super admin right, read for GEN-ADM-1. [unverified: field names beyond id/email]
  // Users here are the seeded owners with a `userId`; an archived owner is a removed user.
  app.get('/settings/v3/users/:userId', async (req) => {
    const portal = ctx.portalOf(req);
    const { userId } = z.object({ userId: z.coerce.number().int() }).parse(req.params);
    const owner = portal.owners.find((o) => o.userId === userId && !o.archived);
    if (!owner) throw notFound(`User ${userId} does not exist in this portal`);
    return {
      id: String(userId),
      email: owner.email,
      firstName: owner.firstName,
      lastName: owner.lastName,
      roleIds: [],
      superAdmin: owner.superAdmin,
    };
  });

  app.get('/crm/v3/owners', async (req) => {
    const portal = ctx.portalOf(req);
    const q = z
      .looseObject({
        email: z.string().optional(),
        limit: z.coerce.number().int().min(1).max(500).default(100),
        after: z.coerce.number().int().min(0).default(0),
        archived: bool.default(false),
      })
      .safeParse(req.query);
    if (!q.success)
      throw badRequest(`Invalid owners query: ${q.error.issues.map((i) => i.message).join('; ')}`);
    const { email, limit, after, archived } = q.data;
    const all = portal.owners.filter(
      (o) => o.archived === archived && (!email || o.email.toLowerCase() === email.toLowerCase()),
    );
    const next = after + limit;
    return {
      results: all.slice(after, next).map(ownerJson),
      ...(next < all.length ? { paging: { next: { after: String(next), link: `?after=${next}` } } } : {}),
    };
  });

  app.get('/crm/v3/owners/:ownerId', async (req) => {
    const portal = ctx.portalOf(req);
    const { ownerId } = z.object({ ownerId: z.string() }).parse(req.params);
    const q = z
      .looseObject({ idProperty: z.enum(['id', 'userId']).default('id'), archived: bool.default(false) })
      .safeParse(req.query);
    if (!q.success) throw badRequest('idProperty must be id or userId; archived true or false');
    const owner = portal.owners.find(
      (o) =>
        o.archived === q.data.archived &&
        (q.data.idProperty === 'id' ? o.id === ownerId : String(o.userId) === ownerId),
    );
    if (!owner) throw notFound(`Owner ${ownerId} not found`);
    return ownerJson(owner);
  });
}
