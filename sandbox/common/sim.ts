/**
 * What every simulator shares (API-CONTRACTS 5): an injectable clock, a log
 * of the requests it served (per vendor account) that tests read, and the
 * `/_sandbox/*` control endpoints (seed, reset, clock, requests, limits).
 * Simulators stand in for the vendors' clouds only: their state is in
 * memory, like a fresh vendor account per test.
 */
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { z } from 'zod';

/** A clock that tests can set or advance; starts at the real time. */
export class SimClock {
  private offsetMs = 0;
  private frozenAt: number | null = null;
  now(): number {
    return this.frozenAt ?? Date.now() + this.offsetMs;
  }
  /** Set the time to `ms` (UNIX ms); it keeps running from there unless `frozen`. */
  set(ms: number, frozen = false): void {
    if (frozen) this.frozenAt = ms;
    else {
      this.frozenAt = null;
      this.offsetMs = ms - Date.now();
    }
  }
  advance(ms: number): void {
    if (this.frozenAt !== null) this.frozenAt += ms;
    else this.offsetMs += ms;
  }
}

export interface LoggedRequest {
  /** UNIX ms on the simulator's clock. */
  at: number;
  method: string;
  /** Path without the query string. */
  path: string;
  query: string;
  status: number;
  /** The vendor account the request was made for (HubSpot portal, Aircall company...), or null. */
  account: string | null;
}

export const clockBodySchema = z.union([
  z.object({ now: z.union([z.number(), z.string()]), frozen: z.boolean().optional() }),
  z.object({ advanceMs: z.number() }),
]);

export interface SimulatorBase {
  app: FastifyInstance;
  clock: SimClock;
  requests: LoggedRequest[];
  faults: Fault[];
}

/**
 * An injected failure: the next `count` requests matching `method` and
 * `pathPrefix` get `status` with `body` (default: the vendor's error body,
 * built by the simulator's `faultBody`), as a vendor outage or a 429 would.
 * `latencyMs` instead delays matching requests (and does not fail them).
 * `holdAnswerMs` serves the next `count` matching requests, then holds each
 * answer that long: the vendor has done the work, and the answer is late, or
 * lost when the client dies first (a kill between a CRM write and its commit).
 */
export const faultSchema = z.object({
  method: z.string().optional(),
  pathPrefix: z.string().optional(),
  status: z.number().int().min(100).max(599).optional(),
  headers: z.record(z.string(), z.string()).optional(),
  body: z.unknown().optional(),
  count: z.number().int().positive().default(1),
  latencyMs: z.number().int().nonnegative().optional(),
  jitterMs: z.number().int().nonnegative().optional(),
  holdAnswerMs: z.number().int().nonnegative().optional(),
});
export type Fault = z.infer<typeof faultSchema>;

/**
 * A Fastify instance with the request log and the shared control endpoints.
 * `accountOf` tells which vendor account a request was for (set by the
 * simulator's auth hook); `onSeed`/`onReset` receive the simulator's own
 * seed body, already validated by the simulator.
 */
export function createSimulatorBase(opts: {
  name: string;
  clock?: SimClock;
  accountOf: (req: FastifyRequest) => string | null;
  onSeed: (body: unknown) => unknown;
  onReset: () => void;
  onLimits?: (body: unknown) => unknown;
  /** The vendor's error body for an injected failure with this status. */
  faultBody: (status: number) => unknown;
}): SimulatorBase {
  const clock = opts.clock ?? new SimClock();
  const requests: LoggedRequest[] = [];
  const faults: Fault[] = [];
  const app = Fastify({ logger: false, bodyLimit: 10 * 1024 * 1024 });
  const held = new WeakMap<FastifyRequest, number>();

  // Injected faults run before the simulator's own routes (and its auth).
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/_sandbox/')) return;
    const fault = faults.find(
      (f) =>
        f.count > 0 &&
        (!f.method || f.method.toUpperCase() === req.method) &&
        (!f.pathPrefix || req.url.startsWith(f.pathPrefix)),
    );
    if (!fault) return;
    const latency = fault.latencyMs;
    if (latency !== undefined) {
      const jitter = fault.jitterMs ? (Math.random() * 2 - 1) * fault.jitterMs : 0;
      await new Promise((r) => setTimeout(r, Math.max(0, latency + jitter)));
      return;
    }
    fault.count -= 1;
    if (fault.count <= 0) faults.splice(faults.indexOf(fault), 1);
    if (fault.holdAnswerMs !== undefined) {
      held.set(req, fault.holdAnswerMs);
      return;
    }
    const status = fault.status ?? 500;
    return reply
      .code(status)
      .headers(fault.headers ?? {})
      .send(fault.body ?? opts.faultBody(status));
  });

  // The route has run (the vendor did the work); its answer waits.
  app.addHook('onSend', async (req, _reply, payload) => {
    const ms = held.get(req);
    if (ms !== undefined) await new Promise((r) => setTimeout(r, ms));
    return payload;
  });

  app.addHook('onResponse', async (req: FastifyRequest, reply: FastifyReply) => {
    const url = req.url;
    if (url.startsWith('/_sandbox/')) return;
    const q = url.indexOf('?');
    requests.push({
      at: clock.now(),
      method: req.method,
      path: q === -1 ? url : url.slice(0, q),
      query: q === -1 ? '' : url.slice(q + 1),
      status: reply.statusCode,
      account: opts.accountOf(req),
    });
  });

  app.post('/_sandbox/seed', async (req, reply) => {
    try {
      return reply.send(opts.onSeed(req.body) ?? { ok: true });
    } catch (err) {
      return reply.code(400).send({ error: `${opts.name} seed refused: ${(err as Error).message}` });
    }
  });
  app.post('/_sandbox/reset', async () => {
    opts.onReset();
    requests.length = 0;
    faults.length = 0;
    return { ok: true };
  });
  app.post('/_sandbox/clock', async (req, reply) => {
    const parsed = clockBodySchema.safeParse(req.body);
    if (!parsed.success)
      return reply
        .code(400)
        .send({ error: 'send {"now": <UNIX ms or ISO>, "frozen"?: bool} or {"advanceMs": n}' });
    const body = parsed.data;
    if ('advanceMs' in body) clock.advance(body.advanceMs);
    else clock.set(typeof body.now === 'number' ? body.now : Date.parse(body.now), body.frozen ?? false);
    return { now: clock.now() };
  });
  app.get('/_sandbox/clock', async () => ({ now: clock.now() }));
  app.get('/_sandbox/requests', async (req) => {
    const account = (req.query as { account?: string }).account;
    return { requests: account ? requests.filter((r) => r.account === account) : requests };
  });
  app.delete('/_sandbox/requests', async () => {
    requests.length = 0;
    return { ok: true };
  });
  app.post('/_sandbox/faults', async (req, reply) => {
    const parsed = faultSchema.safeParse(req.body);
    if (!parsed.success) return reply.code(400).send({ error: parsed.error.message });
    faults.push(parsed.data);
    return { ok: true, faults: faults.length };
  });
  app.delete('/_sandbox/faults', async () => {
    faults.length = 0;
    return { ok: true };
  });
  app.post('/_sandbox/limits', async (req, reply) => {
    if (!opts.onLimits) return reply.code(404).send({ error: `${opts.name} has no configurable limits` });
    try {
      return reply.send(opts.onLimits(req.body) ?? { ok: true });
    } catch (err) {
      return reply.code(400).send({ error: (err as Error).message });
    }
  });
  return { app, clock, requests, faults };
}

/** Listen on 127.0.0.1 (port 0: any free port) and return the base URL. */
export async function listen(app: FastifyInstance, port = 0): Promise<string> {
  await app.listen({ host: '127.0.0.1', port });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('simulator did not bind a TCP port');
  return `http://127.0.0.1:${addr.port}`;
}

/**
 * A sliding-window request limiter, as vendors publish them ("110 requests
 * per 10 s per account"). `take` returns null when allowed, or the ms until
 * a slot frees up.
 */
export class WindowLimiter {
  private readonly hits = new Map<string, number[]>();
  max: number;
  windowMs: number;
  constructor(max: number, windowMs: number) {
    this.max = max;
    this.windowMs = windowMs;
  }
  take(key: string, now: number): number | null {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    if (list.length >= this.max) {
      this.hits.set(key, list);
      return (list[0] ?? now) + this.windowMs - now;
    }
    list.push(now);
    this.hits.set(key, list);
    return null;
  }
  remaining(key: string, now: number): number {
    const list = (this.hits.get(key) ?? []).filter((t) => t > now - this.windowMs);
    return Math.max(0, this.max - list.length);
  }
  reset(): void {
    this.hits.clear();
  }
}
