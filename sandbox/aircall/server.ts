/**
 * The Aircall simulator: the slice of Aircall's Public API the product uses
 * (API-CONTRACTS 1.1-1.9) and its webhooks, in memory, one Fastify app.
 * Routes: calls.ts, contacts.ts, directory.ts (numbers, users, tags),
 * webhooks.ts; sandbox controls: seed.ts (`POST /_sandbox/seed`), player.ts
 * (`/_sandbox/scenarios`), `POST /_sandbox/limits`, and the shared ones of
 * ../common/sim.ts (requests log by company id, reset, clock, faults).
 */
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { createSimulatorBase, listen, SimClock, type SimulatorBase } from '../common/sim.ts';
import { installAuth, isApiPath } from './auth.ts';
import { registerCallRoutes } from './calls.ts';
import { registerContactRoutes } from './contacts.ts';
import type { SimContext } from './context.ts';
import {
  DEFAULT_DELIVERY,
  type DeliveryOptions,
  type DeliveryRecord,
  type OutgoingEvent,
  WebhookDeliverer,
} from './delivery.ts';
import { registerDirectoryRoutes } from './directory.ts';
import { errorBody, faultBody } from './errors.ts';
import { play, type PlayRequest, type PlayResult, registerPlayerRoutes } from './player.ts';
import { CompanyRateLimiter, DEFAULT_PER_MINUTE } from './rate-limit.ts';
import { applySeed } from './seed.ts';
import { AircallState, type CompanyState } from './state.ts';
import { registerWebhookRoutes } from './webhooks.ts';

/**
 * `POST /_sandbox/limits`: the API rate limit (per company per minute,
 * API-CONTRACTS 1.2) and the webhook delivery settings (1.3), so tests can
 * reach a 429 or a deactivation quickly. Omitted fields keep their value.
 */
export const aircallLimitsSchema = z.object({
  perMinute: z.number().int().positive().optional(),
  webhookRetryBaseMs: z.number().int().nonnegative().optional(),
  webhookMaxDelayMs: z.number().int().nonnegative().optional(),
  webhookMaxAttempts: z.number().int().positive().optional(),
  webhookDeactivateAfter: z.number().int().positive().optional(),
  webhookTimeoutMs: z.number().int().positive().optional(),
});
export type AircallLimits = z.input<typeof aircallLimitsSchema>;

export interface AircallSimulatorOptions {
  clock?: SimClock;
  /** Requests per company per minute; default 60 (API-CONTRACTS 1.2). */
  perMinute?: number;
  /** Webhook delivery settings; defaults: 1 s backoff base, 50 attempts, deactivation after 50, 5 s timeout. */
  delivery?: Partial<DeliveryOptions>;
}

export interface AircallSimulator extends SimulatorBase {
  state: AircallState;
  deliverer: WebhookDeliverer;
  /** Every delivery attempt so far (also `GET /_sandbox/deliveries?company=`). */
  deliveries: DeliveryRecord[];
  /** `POST /_sandbox/seed`, programmatically (see seed.ts for the body). */
  seed(body: unknown): ReturnType<typeof applySeed>;
  /** `POST /_sandbox/limits`, programmatically. */
  setLimits(limits: AircallLimits): { perMinute: number; delivery: DeliveryOptions };
  /** `POST /_sandbox/scenarios/play`, programmatically; resolves after the first attempt of every send. */
  play(request: PlayRequest): Promise<PlayResult>;
  /** Send any event to a company's subscribed webhooks; resolves with the first attempts. */
  emit(companyId: number, event: OutgoingEvent): Promise<DeliveryRecord[]>;
  /** Resolves when every pending delivery (retries included) has succeeded or given up. */
  flush(): Promise<void>;
  company(id: number): CompanyState | undefined;
}

export function createAircallSimulator(opts: AircallSimulatorOptions = {}): AircallSimulator {
  const state = new AircallState();
  const clock = opts.clock ?? new SimClock();
  const companies = new WeakMap<FastifyRequest, CompanyState>();
  const limiter = new CompanyRateLimiter(opts.perMinute ?? DEFAULT_PER_MINUTE);
  const initialDelivery = { ...DEFAULT_DELIVERY, ...opts.delivery };
  const deliverer = new WebhookDeliverer(clock, initialDelivery);

  const setLimits = (body: unknown) => {
    const limits = aircallLimitsSchema.parse(body);
    if (limits.perMinute !== undefined) limiter.perMinute = limits.perMinute;
    const d = deliverer.options;
    if (limits.webhookRetryBaseMs !== undefined) d.baseDelayMs = limits.webhookRetryBaseMs;
    if (limits.webhookMaxDelayMs !== undefined) d.maxDelayMs = limits.webhookMaxDelayMs;
    if (limits.webhookMaxAttempts !== undefined) d.maxAttempts = limits.webhookMaxAttempts;
    if (limits.webhookDeactivateAfter !== undefined) d.deactivateAfter = limits.webhookDeactivateAfter;
    if (limits.webhookTimeoutMs !== undefined) d.timeoutMs = limits.webhookTimeoutMs;
    return { perMinute: limiter.perMinute, delivery: { ...d } };
  };

  const base = createSimulatorBase({
    name: 'Aircall simulator',
    clock,
    accountOf: (req) => {
      const company = companies.get(req);
      return company ? String(company.id) : null;
    },
    onSeed: (body) => applySeed(state, body, clock.now()),
    onReset: () => {
      state.reset();
      limiter.reset();
      limiter.perMinute = opts.perMinute ?? DEFAULT_PER_MINUTE;
      deliverer.reset();
      deliverer.options = { ...initialDelivery };
    },
    onLimits: setLimits,
    faultBody,
  });
  const { app } = base;

  const ctx: SimContext = {
    state,
    clock: base.clock,
    deliverer,
    companyOf(req) {
      const company = companies.get(req);
      if (!company) throw new Error(`no authenticated company on ${req.method} ${req.url}`);
      return company;
    },
    emit(company, event) {
      void deliverer.emit(company, event);
    },
    nowSeconds: () => Math.floor(base.clock.now() / 1000),
  };

  installAuth(app, { state, clock: base.clock, limiter, companies });
  registerCallRoutes(app, ctx);
  registerContactRoutes(app, ctx);
  registerDirectoryRoutes(app, ctx);
  registerWebhookRoutes(app, ctx);
  registerPlayerRoutes(app, ctx);

  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(errorBody(404, `No route for ${req.method} ${req.url.split('?')[0]}`)),
  );
  app.setErrorHandler((err: Error & { statusCode?: number }, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const where = isApiPath(req.url) ? '' : ' (sandbox control)';
    return reply.code(status).send(errorBody(status, `${err.message}${where}`));
  });
  app.addHook('onClose', async () => deliverer.reset());

  return {
    ...base,
    state,
    deliverer,
    deliveries: deliverer.records,
    seed: (body) => applySeed(state, body, base.clock.now()),
    setLimits,
    play: (request) => play(ctx, request),
    emit: (companyId, event) => {
      const company = state.company(companyId);
      if (!company) return Promise.reject(new Error(`company ${companyId} is not seeded`));
      return deliverer.emit(company, event);
    },
    flush: () => deliverer.flush(),
    company: (id) => state.company(id),
  };
}

/** Start the simulator on 127.0.0.1 (`port` 0 or omitted: any free port). */
export async function startAircallSimulator(
  opts: AircallSimulatorOptions & { port?: number } = {},
): Promise<{ url: string; sim: AircallSimulator; close(): Promise<void> }> {
  const sim = createAircallSimulator(opts);
  const url = await listen(sim.app, opts.port ?? 0);
  return { url, sim, close: () => sim.app.close() };
}
