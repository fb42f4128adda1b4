/**
 * POST /webhooks/aircall/:companyId (STYLE.md 8): verify, record, answer;
 * the work happens after, in the workers. Aircall waits 5 s at most and
 * retries on anything but 2xx (API-CONTRACTS 1.3), so the route does only
 * what makes the event safe: the token check (from memory when it matches:
 * webhook-tokens.ts), the validation and the commit (shared with the
 * webhooks that arrive meanwhile: server/store/intake.ts).
 */
import type { FastifyInstance } from 'fastify';
import { parseWebhook } from '../../lib/aircall/webhook.ts';
import { ApiError } from '../../lib/api/errors.ts';
import type { Services } from '../services.ts';
import { IntakeBatcher } from '../store/intake.ts';
import { onAircallUserDeleted } from '../workers/installer.ts';
import { handle } from './register.ts';

export function webhookRoutes(app: FastifyInstance, svc: Services): void {
  // One batcher per process: concurrent webhooks share commits (server/store/intake.ts).
  const intake = new IntakeBatcher(svc.db);
  handle(
    app,
    svc,
    'webhook',
    async ({ params, body }) => {
      const token =
        typeof body === 'object' && body !== null ? (body as { token?: unknown }).token : undefined;
      const check = await svc.webhookTokens.check(params.companyId, token);
      if (check === 'unknown_company') {
        throw new ApiError(
          404,
          'unknown_company',
          `No company "${params.companyId}" exists on this backend.`,
          {
            fix: 'Check the webhook URL registered in Aircall.',
          },
        );
      }
      if (check === 'bad_token') {
        throw new ApiError(
          401,
          'bad_webhook_token',
          'The webhook token is missing or wrong; nothing was stored.',
          {
            fix: 'Reconnect Aircall for this company so the backend registers a webhook whose token it knows.',
          },
        );
      }
      const parsed = parseWebhook(body);
      if (!parsed.ok) {
        throw new ApiError(
          400,
          'invalid_webhook',
          `The webhook is invalid; nothing was stored: ${parsed.message}`,
          {
            fields: parsed.problems.map((p) => ({ field: p.field, message: p.message })),
            fix: "Send the event as Aircall does (API-CONTRACTS 1.3): Aircall's own events carry these fields, so something between it and this backend changed it.",
          },
        );
      }
      const result = await intake.record({
        companyId: params.companyId,
        event: parsed.event,
        body: body as Record<string, unknown>,
        now: svc.clock.now(),
      });
      if (!result.duplicate && result.subject) svc.kick();
      // GEN-ADM-1: the installer deleted in Aircall stops the company's integrations.
      if (
        !result.duplicate &&
        parsed.event.family === 'user' &&
        parsed.event.event.startsWith('user.deleted')
      ) {
        await onAircallUserDeleted(svc, params.companyId, parsed.event.data.email ?? null);
      }
      return { ok: true as const, duplicate: result.duplicate };
    },
    { bodyLimit: svc.config.WEBHOOK_BODY_LIMIT },
  );
}
