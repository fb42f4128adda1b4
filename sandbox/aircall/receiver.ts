/**
 * A local webhook receiver for tests: a Fastify app on a free loopback port
 * that records every POSTed body and answers with the statuses the test
 * queues (default 200), or holds the answer to provoke a timeout.
 */
import Fastify from 'fastify';
import { listen } from '../common/sim.ts';

export interface ReceivedWebhook {
  /** UNIX ms, real time. */
  at: number;
  path: string;
  body: Record<string, unknown>;
}

export interface WebhookReceiver {
  /** Base URL; webhooks may point at any path under it. */
  url: string;
  received: ReceivedWebhook[];
  /** Answer the next requests with these statuses, in order (then 200 again). */
  respondWith(...statuses: number[]): void;
  /** Hold each of the next `count` answers for `ms` (a timeout for the sender). */
  hang(ms: number, count?: number): void;
  /** Resolves once `n` bodies have arrived (rejects after `timeoutMs`). */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const app = Fastify({ logger: false });
  const received: ReceivedWebhook[] = [];
  const statuses: number[] = [];
  const hangs: number[] = [];
  let notify: () => void = () => undefined;

  app.post('/*', async (req, reply) => {
    const hold = hangs.shift();
    if (hold !== undefined) await new Promise((r) => setTimeout(r, hold));
    received.push({ at: Date.now(), path: req.url, body: (req.body ?? {}) as Record<string, unknown> });
    notify();
    return reply.code(statuses.shift() ?? 200).send({ ok: true });
  });
  const url = await listen(app, 0);

  return {
    url,
    received,
    respondWith: (...s) => statuses.push(...s),
    hang: (ms, count = 1) => hangs.push(...Array.from({ length: count }, () => ms)),
    waitFor(n, timeoutMs = 5_000) {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`receiver got ${received.length} webhooks, expected ${n}`)),
          timeoutMs,
        );
        const check = () => {
          if (received.length < n) return;
          clearTimeout(timer);
          notify = () => undefined;
          resolve(received);
        };
        notify = check;
        check();
      });
    },
    close: () => app.close(),
  };
}
