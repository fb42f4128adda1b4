/**
 * The API's one Fastify route: every path outside `/connect/*` and
 * `/_sandbox/*`. In order: a path under some account's base (else 404),
 * Bearer auth (auth.ts), the token's own account base, the account's request
 * limit (limits.ts), then the handler the router finds (router.ts).
 */
import type { FastifyInstance } from 'fastify';
import type { SimClock } from '../common/sim.ts';
import { apiUrl, authenticate, checkSomeBase, pathInAccount } from './auth.ts';
import { notFound } from './errors.ts';
import type { AccountLimiter } from './limits.ts';
import { registerNoteTypeRoutes } from './note-types.ts';
import { registerNoteRoutes } from './notes.ts';
import { registerRecordRoutes } from './records.ts';
import { ApiRouter, readQuery } from './router.ts';
import { registerSearchRoutes } from './search.ts';
import type { JobadderState } from './state.ts';
import { registerUserRoutes } from './users.ts';

export function installApi(
  app: FastifyInstance,
  state: JobadderState,
  clock: SimClock,
  limiter: AccountLimiter,
): void {
  const router = new ApiRouter();
  // Static paths before parametric ones: /contacts/lists/notetype before /contacts/:id/notes.
  registerNoteTypeRoutes(router);
  registerSearchRoutes(router);
  registerUserRoutes(router);
  registerNoteRoutes(router);
  registerRecordRoutes(router);

  app.all('/*', async (req, reply) => {
    const path = req.url.split('?')[0] ?? '/';
    if (path.startsWith('/_sandbox/') || path.startsWith('/connect/')) {
      throw notFound(`No JobAdder simulator route for ${req.method} ${path}`);
    }
    checkSomeBase(state, path);
    const now = clock.now();
    const { account, user } = authenticate(state, now, req.headers.authorization);
    const rest = pathInAccount(account, path);
    limiter.take(account, now);
    const found = router.match(req.method, rest);
    if (!found) throw notFound(`No JobAdder API route for ${req.method} ${account.apiPath}${rest}`);
    const answer = found.handler({
      account,
      user,
      params: found.params,
      query: readQuery(req.query),
      body: req.body,
      now,
      baseUrl: apiUrl(req, account),
    });
    reply.code(answer.status).headers(answer.headers ?? {});
    return answer.body === undefined ? reply.send() : reply.send(answer.body);
  });
}
