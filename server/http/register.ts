/**
 * Registers a route of the contract (lib/api/contract.ts) with its auth and
 * zod validation, and maps every failure to the one error shape.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { z } from 'zod';
import { type Api, API, type Reply, type RouteName } from '../../lib/api/contract.ts';
import { ApiError } from '../../lib/api/errors.ts';
import type { Services } from '../services.ts';
import { sameSecret, sha256 } from '../store/secrets.ts';
import { type AgentToken, agentByToken } from '../store/tokens.ts';
import { hubspotCaller } from './card-auth.ts';
import { loggableUrl } from './log-safe.ts';

type In<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface Call<N extends RouteName> {
  params: In<Api[N] extends { params: infer P } ? P : undefined>;
  query: In<Api[N] extends { query: infer Q } ? Q : undefined>;
  body: In<Api[N] extends { body: infer B } ? B : undefined>;
  /** The agent, on agent routes; on 'hubspot' routes, the Aircall user the HubSpot user is (card-auth.ts). */
  agent: AgentToken;
  req: FastifyRequest;
  reply: FastifyReply;
}

export function handle<N extends RouteName>(
  app: FastifyInstance,
  svc: Services,
  name: N,
  handler: (call: Call<N>) => Promise<Reply<N>>,
  opts: { bodyLimit?: number } = {},
): void {
  const def = API[name];
  app.route({
    method: def.method,
    url: def.path,
    ...(opts.bodyLimit ? { bodyLimit: opts.bodyLimit } : {}),
    handler: async (req, reply) => {
      const agent = await authorize(svc, def.auth, req);
      const params = parse('path', 'params' in def ? def.params : undefined, req.params);
      const query = parse('query', 'query' in def ? def.query : undefined, req.query);
      const body = parse('body', 'body' in def ? def.body : undefined, req.body);
      const out = await handler({ params, query, body, agent, req, reply } as Call<N>);
      if (reply.sent) return reply;
      return reply.code('status' in def ? def.status : 200).send(out);
    },
  });
}

function parse(where: string, schema: z.ZodType | undefined, value: unknown): unknown {
  if (!schema) return value;
  const r = schema.safeParse(value ?? (where === 'body' ? undefined : {}));
  if (r.success) return r.data;
  const fields = r.error.issues.map((i) => {
    const field = i.path.map(String).join('.') || `(${where})`;
    return { field, message: `${field}: ${i.message}` };
  });
  throw new ApiError(
    400,
    `invalid_${where}`,
    `The request ${where} is invalid: ${fields.map((f) => f.message).join('; ')}`,
    {
      fields,
      fix: 'Correct the fields listed and send the request again.',
    },
  );
}

function bearer(req: FastifyRequest): string | null {
  const h = req.headers.authorization;
  if (!h) return null;
  const m = /^Bearer\s+(.+)$/i.exec(h);
  return m?.[1]?.trim() ?? null;
}

async function authorize(svc: Services, auth: string, req: FastifyRequest): Promise<AgentToken | null> {
  if (auth === 'public') return null;
  if (auth === 'hubspot') return hubspotCaller(svc, req);
  const token = bearer(req);
  if (!token) {
    throw new ApiError(401, 'unauthorized', 'This route needs an `Authorization: Bearer <token>` header.', {
      fix:
        auth === 'admin'
          ? 'Send the ADMIN_TOKEN of this backend.'
          : 'Send the agent token an admin issued to you.',
    });
  }
  if (auth === 'admin') {
    if (!sameSecret(token, sha256(svc.config.ADMIN_TOKEN))) {
      throw new ApiError(401, 'unauthorized', 'The admin token is wrong.', {
        fix: "Use this backend's ADMIN_TOKEN.",
      });
    }
    return null;
  }
  const agent = await agentByToken(svc.db, token);
  if (!agent) {
    throw new ApiError(401, 'unauthorized', 'The agent token is unknown or was revoked.', {
      fix: 'Ask an admin for a new agent token and enter it in the extension options.',
    });
  }
  return agent;
}

/** Errors from Fastify itself (bad JSON, body too large, unknown route) in the same shape. */
export function installErrorHandlers(app: FastifyInstance, svc: Services): void {
  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    if (err instanceof ApiError) return reply.code(err.status).send(err.body());
    if (err.code === 'FST_ERR_CTP_BODY_TOO_LARGE') {
      return reply.code(413).send(
        new ApiError(
          413,
          'body_too_large',
          `The body is larger than this route accepts (${err.message}); nothing was stored.`,
          {
            fix: 'Send a smaller body: webhooks take up to WEBHOOK_BODY_LIMIT bytes (an Aircall webhook is a few KB), other routes 1 MB.',
          },
        ).body(),
      );
    }
    if (err.statusCode && err.statusCode >= 400 && err.statusCode < 500) {
      return reply.code(err.statusCode).send(
        new ApiError(err.statusCode, 'bad_request', `The request could not be read: ${err.message}`, {
          fix: 'Send a JSON body with Content-Type: application/json.',
        }).body(),
      );
    }
    svc.log.error({ err, url: loggableUrl(req.url) }, 'unhandled error');
    return reply.code(500).send(
      new ApiError(500, 'internal', 'The backend failed on this request; it was logged.', {
        fix: 'Retry; if it keeps failing, report the time of the request.',
      }).body(),
    );
  });
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send(
      new ApiError(404, 'no_route', `There is no route ${req.method} ${req.url.split('?')[0]}.`, {
        fix: 'See /openapi.json for the routes.',
      }).body(),
    ),
  );
}
