/**
 * The company's numbers, users and tags (API-CONTRACTS 1.5, 1.6):
 * `GET /v1/numbers`, `GET /v1/numbers/:id`, `GET /v2/users` (the v1 list is
 * deprecated but still served), `GET /v1/users/:id`, `DELETE /v1/users/:id`, `GET /v1/tags`.
 */
import type { FastifyInstance } from 'fastify';
import { type SimContext, idParam } from './context.ts';
import { notFound } from './errors.ts';
import { numberJson, tagJson, userJson } from './objects.ts';
import { paginate } from './pagination.ts';

export function registerDirectoryRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.get('/v1/numbers', async (req) => {
    const now = ctx.clock.now();
    const { page, meta } = paginate(req, [...ctx.companyOf(req).numbers.values()]);
    return { numbers: page.map((n) => numberJson(n, now)), meta };
  });

  app.get('/v1/numbers/:id', async (req, reply) => {
    const number = ctx.companyOf(req).numbers.get(idParam(req) ?? 0);
    if (!number) return notFound(reply, 'Number');
    return { number: numberJson(number, ctx.clock.now()) };
  });

  // v2 pagination is assumed to be the same as v1's [unverified].
  app.get('/v2/users', async (req) => {
    const { page, meta } = paginate(req, [...ctx.companyOf(req).users.values()]);
    return { users: page.map((u) => userJson(u, 2)), meta };
  });

  app.get('/v1/users', async (req) => {
    const { page, meta } = paginate(req, [...ctx.companyOf(req).users.values()]);
    return { users: page.map((u) => userJson(u, 1)), meta };
  });

  app.get('/v1/users/:id', async (req, reply) => {
    const user = ctx.companyOf(req).users.get(idParam(req) ?? 0);
    if (!user) return notFound(reply, 'User');
    return { user: userJson(user, 1) };
  });

  // `DELETE /v1/users/:id` (Aircall's "Delete a user"; path [unverified]): sends `user.deleted.v2` (GEN-ADM-1 tests).
  app.delete('/v1/users/:id', async (req, reply) => {
    const company = ctx.companyOf(req);
    const user = company.users.get(idParam(req) ?? 0);
    if (!user) return notFound(reply, 'User');
    company.users.delete(user.id);
    ctx.emit(company, {
      resource: 'user',
      event: 'user.deleted.v2',
      timestamp: ctx.nowSeconds(),
      data: userJson(user, 2),
    });
    return reply.code(204).send();
  });

  app.get('/v1/tags', async (req) => {
    const { page, meta } = paginate(req, [...ctx.companyOf(req).tags.values()]);
    return { tags: page.map(tagJson), meta };
  });
}
