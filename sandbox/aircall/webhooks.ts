/**
 * Webhook subscriptions (API-CONTRACTS 1.3): `POST /v1/webhooks {custom_name,
 * url, events}` -> 201 `{webhook: {webhook_id, token, ...}}`, at most 100 per
 * company; `GET /v1/webhooks`, `GET /v1/webhooks/:id`, `DELETE
 * /v1/webhooks/:id`. Plus the sandbox's view of deliveries and the
 * subscriptions' health: `GET /_sandbox/deliveries?company=`,
 * `GET /_sandbox/webhooks?company=`, `POST /_sandbox/flush`.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimContext } from './context.ts';
import { notFound, unprocessable } from './errors.ts';
import { ALL_WEBHOOK_EVENTS } from './events.ts';
import { webhookJson } from './objects.ts';
import { paginate } from './pagination.ts';

export const MAX_WEBHOOKS_PER_COMPANY = 100;

const createBody = z.object({
  custom_name: z.string().nullish(),
  // http is allowed so a local backend can receive; Aircall requires https [unverified for webhooks].
  url: z.url({ protocol: /^https?$/ }),
  events: z.array(z.string()).optional(),
});

export function registerWebhookRoutes(app: FastifyInstance, ctx: SimContext): void {
  app.post('/v1/webhooks', async (req, reply) => {
    const company = ctx.companyOf(req);
    const body = createBody.safeParse(req.body ?? {});
    if (!body.success) {
      const fields: Record<string, string[]> = {};
      for (const issue of body.error.issues)
        (fields[String(issue.path[0] ?? 'base')] ??= []).push(issue.message);
      return unprocessable(reply, fields);
    }
    const unknown = (body.data.events ?? []).filter((e) => !ALL_WEBHOOK_EVENTS.includes(e));
    if (unknown.length > 0) {
      return unprocessable(reply, { events: unknown.map((e) => `"${e}" is not an Aircall webhook event`) });
    }
    // "There is a limit of 100 webhooks you can create per account" (API-CONTRACTS 1.3); the status is [unverified].
    if (company.webhooks.size >= MAX_WEBHOOKS_PER_COMPANY) {
      return unprocessable(reply, {
        webhooks: [`limit of ${MAX_WEBHOOKS_PER_COMPANY} webhooks per account reached; delete unused ones`],
      });
    }
    const webhook = {
      webhook_id: randomUUID(),
      token: randomBytes(16).toString('hex'),
      url: body.data.url,
      // "Events default to all if omitted" (API-CONTRACTS 1.3).
      events: body.data.events?.length ? [...new Set(body.data.events)] : [...ALL_WEBHOOK_EVENTS],
      active: true,
      custom_name: body.data.custom_name ?? null,
      created_at: new Date(ctx.clock.now()).toISOString(),
      consecutiveFailures: 0,
    };
    company.webhooks.set(webhook.webhook_id, webhook);
    return reply.code(201).send({ webhook: webhookJson(webhook) });
  });

  app.get('/v1/webhooks', async (req) => {
    const { page, meta } = paginate(req, [...ctx.companyOf(req).webhooks.values()]);
    return { webhooks: page.map(webhookJson), meta };
  });

  app.get('/v1/webhooks/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const webhook = ctx.companyOf(req).webhooks.get(id);
    if (!webhook) return notFound(reply, 'Webhook');
    return { webhook: webhookJson(webhook) };
  });

  // [unverified] answer: 204 with no body.
  app.delete('/v1/webhooks/:id', async (req, reply) => {
    const id = (req.params as { id: string }).id;
    const company = ctx.companyOf(req);
    if (!company.webhooks.delete(id)) return notFound(reply, 'Webhook');
    return reply.code(204).send();
  });

  app.get('/_sandbox/deliveries', async (req) => {
    const company = Number((req.query as { company?: string }).company);
    const records = ctx.deliverer.records;
    return { deliveries: Number.isFinite(company) ? records.filter((r) => r.company === company) : records };
  });

  app.get('/_sandbox/webhooks', async (req) => {
    const wanted = Number((req.query as { company?: string }).company);
    const out = [];
    for (const company of ctx.state.companies.values()) {
      if (Number.isFinite(wanted) && company.id !== wanted) continue;
      for (const w of company.webhooks.values()) {
        out.push({ company: company.id, ...webhookJson(w), consecutiveFailures: w.consecutiveFailures });
      }
    }
    return { webhooks: out };
  });

  // Waits until every delivery, retries included, has succeeded or given up.
  app.post('/_sandbox/flush', async () => {
    await ctx.deliverer.flush();
    return { ok: true, deliveries: ctx.deliverer.records.length };
  });
}
