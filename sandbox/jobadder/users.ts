/**
 * Users: `GET /users/current` (API-CONTRACTS 4.2), the token's user (the
 * installer, for GEN-ADM-1), and `GET /users/{userId}`, both
 * UserRepresentation with `admin`, `inactive` and `deleted` as seeded; and
 * `GET /users` with `Email`, `Offset` and `Limit`, `{items[UserSummaryModel],
 * totalCount, links}`, the account's users for GEN-EMAIL-1 [spec: JobAdder's
 * published OpenAPI v2; not yet listed in API-CONTRACTS 4.2].
 */
import { notFound } from './errors.ts';
import { userRepresentation, userSummary } from './models.ts';
import { DEFAULT_LIMIT, MAX_LIMIT, pageLinks } from './records.ts';
import { type ApiCall, type ApiRouter, intParam, one, pathId } from './router.ts';

/**
 * The list as the contacts list pages it (records.ts), by id. Deleted users
 * are left out and inactive ones kept with their `inactive` flag
 * [unverified: JobAdder does not say which users the list holds].
 */
function listUsers(call: ApiCall) {
  const { account, query } = call;
  const email = one(query, 'Email')?.trim().toLowerCase();
  const offset = intParam(query, 'Offset', 0, 0);
  const limit = intParam(query, 'Limit', DEFAULT_LIMIT, 0, MAX_LIMIT);
  const matches = [...account.users.values()]
    .filter((u) => !u.deleted)
    .filter((u) => !email || u.email.toLowerCase() === email)
    .sort((a, b) => a.userId - b.userId);
  return {
    status: 200,
    body: {
      items: matches.slice(offset, offset + limit).map((u) => userSummary(u, call.baseUrl)),
      totalCount: matches.length,
      links: pageLinks(call, '/users', offset, limit, matches.length),
    },
  };
}

export function registerUserRoutes(router: ApiRouter): void {
  router.add('GET', '/users', listUsers);
  router.add('GET', '/users/current', (call) => {
    if (!call.user) throw notFound('The token has no user: seed one in this account');
    return { status: 200, body: userRepresentation(call.account, call.user, call.baseUrl) };
  });
  router.add('GET', '/users/:userId', (call) => {
    const id = pathId(call.params.userId, 'User');
    const user = call.account.users.get(id);
    if (!user) throw notFound(`User ${id} not found`);
    return { status: 200, body: userRepresentation(call.account, user, call.baseUrl) };
  });
}
