/**
 * Users (API-CONTRACTS 4.2): `GET /users/current`, the token's user (the
 * installer, for GEN-ADM-1), and `GET /users/{userId}`; both
 * UserRepresentation, with `admin`, `inactive` and `deleted` as seeded.
 */
import { notFound } from './errors.ts';
import { userRepresentation } from './models.ts';
import { type ApiRouter, pathId } from './router.ts';

export function registerUserRoutes(router: ApiRouter): void {
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
