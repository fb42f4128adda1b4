/**
 * The HubSpot API simulator (API-CONTRACTS 2 and 5): portals with records,
 * associations, owners, ticket pipelines and call outcomes, behind Bearer
 * auth (private app tokens and OAuth), HubSpot's rate limits and error
 * bodies, plus the shared `/_sandbox/*` controls (sandbox/common/sim.ts).
 */
import type { FastifyError } from 'fastify';
import { SimClock, type SimulatorBase, createSimulatorBase, listen } from '../common/sim.ts';
import { associatedWith, registerAssociationRoutes } from './associations.ts';
import { bearerToken, installAuth } from './auth.ts';
import type { SimContext } from './context.ts';
import { HubspotSimError, errorBody, hubspotFaultBody } from './errors.ts';
import { RateLimiter, limitsBodySchema } from './limits.ts';
import { registerOAuthRoutes } from './oauth.ts';
import { registerObjectRoutes } from './objects.ts';
import { registerOwnerRoutes } from './owners.ts';
import { registerPipelineRoutes } from './pipelines.ts';
import { registerPropertyRoutes } from './properties.ts';
import { runSearch, registerSearchRoutes } from './search.ts';
import { type SeedResult, applySeed } from './seed.ts';
import {
  DEFAULT_LIMITS,
  type HubspotState,
  type ObjectType,
  type Portal,
  type StoredObject,
  clearState,
  createState,
  portalIdOfToken,
} from './state.ts';

export type { HubspotSeed, SeedResult } from './seed.ts';
export type { ObjectType, StoredObject, Portal } from './state.ts';

export interface HubspotSimulator extends SimulatorBase {
  state: HubspotState;
  /** Same as `POST /_sandbox/seed` (see `hubspotSeedSchema` for the body). */
  seed(body: unknown): SeedResult;
  /** A seeded portal; throws when there is none. */
  portal(portalId: number): Portal;
  /** The portal's live (not archived) records of a type, in id order. */
  objects(portalId: number, type: ObjectType): StoredObject[];
  /** The records of `toType` a record is associated with, and the type ids of each link. */
  associations(
    portalId: number,
    fromType: ObjectType,
    fromId: string,
    toType: ObjectType,
  ): { toId: string; typeIds: number[] }[];
  /** Runs a search as `POST /crm/v3/objects/{type}/search` would, without auth or limits. */
  search(portalId: number, type: ObjectType, body: unknown): ReturnType<typeof runSearch>;
}

/** Builds the simulator (not listening); see `startHubspotSimulator`. */
export function createHubspotSimulator(opts: { clock?: SimClock } = {}): HubspotSimulator {
  const state = createState();
  const limiter = new RateLimiter(DEFAULT_LIMITS);
  const clock = opts.clock ?? new SimClock();
  const base = createSimulatorBase({
    name: 'hubspot',
    clock,
    accountOf: (req) => {
      const token = bearerToken(req.headers.authorization);
      const portalId = token === null ? null : portalIdOfToken(state, token);
      return portalId === null ? null : String(portalId);
    },
    onSeed: (body) => applySeed(state, clock.now(), body),
    onReset: () => {
      clearState(state);
      limiter.reset(state.limits);
    },
    onLimits: (body) => {
      const parsed = limitsBodySchema.parse(body ?? {});
      state.limits = { ...state.limits, ...parsed };
      limiter.configure(state.limits);
      return { ok: true, limits: state.limits };
    },
    faultBody: hubspotFaultBody,
  });
  const { app } = base;

  // The token endpoint takes form bodies (API-CONTRACTS 2 "Auth"); JSON is accepted too.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler((err: FastifyError | HubspotSimError, _req, reply) => {
    if (err instanceof HubspotSimError) return reply.code(err.status).headers(err.headers).send(err.body);
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const category = status >= 500 ? 'INTERNAL_ERROR' : 'VALIDATION_ERROR';
    return reply.code(status).send(errorBody(category, err.message));
  });
  app.setNotFoundHandler((req, reply) =>
    reply
      .code(404)
      .send(errorBody('OBJECT_NOT_FOUND', `No HubSpot simulator route for ${req.method} ${req.url}`)),
  );

  const ctx: SimContext = { state, clock, portalOf: installAuth(app, state, clock, limiter) };
  registerOAuthRoutes(app, ctx);
  registerObjectRoutes(app, ctx);
  registerSearchRoutes(app, ctx);
  registerAssociationRoutes(app, ctx);
  registerPropertyRoutes(app, ctx);
  registerOwnerRoutes(app, ctx);
  registerPipelineRoutes(app, ctx);

  const portal = (portalId: number) => {
    const p = state.portals.get(portalId);
    if (!p) throw new Error(`no HubSpot portal ${portalId} is seeded`);
    return p;
  };
  return {
    ...base,
    state,
    seed: (body) => applySeed(state, clock.now(), body),
    portal,
    objects: (portalId, type) =>
      [...portal(portalId).objects[type].values()]
        .filter((o) => !o.archived)
        .sort((a, b) => Number(a.id) - Number(b.id)),
    associations: (portalId, fromType, fromId, toType) =>
      associatedWith(portal(portalId), fromType, fromId, toType).map((a) => ({
        toId: a.toId,
        typeIds: a.types.map((t) => t.typeId),
      })),
    search: (portalId, type, body) => runSearch(portal(portalId), type, body),
  };
}

/** Starts the simulator on 127.0.0.1 (`port` 0 or omitted: any free port). */
export async function startHubspotSimulator(
  opts: { port?: number; clock?: SimClock } = {},
): Promise<{ url: string; sim: HubspotSimulator; close(): Promise<void> }> {
  const sim = createHubspotSimulator(opts.clock ? { clock: opts.clock } : {});
  const url = await listen(sim.app, opts.port ?? 0);
  return { url, sim, close: () => sim.app.close() };
}
