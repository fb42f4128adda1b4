/**
 * Bearer authentication of the API (API-CONTRACTS 4.1): access tokens from
 * the token endpoint live 60 minutes on the simulator's clock, seeded read
 * tokens never expire; and the account base path. Each account is served
 * under the `api` URL its token response names, and a token only opens its
 * own account's base: a client that ignores `api` gets 404 (no API there) or
 * 401 (another region's API does not know the token) [unverified: what
 * JobAdder answers across regions].
 */
import type { FastifyRequest } from 'fastify';
import { notFound, unauthorized } from './errors.ts';
import type { Account, JobadderState, User } from './state.ts';

export function bearerToken(header: string | undefined): string | null {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header ?? '');
  return m?.[1] ?? null;
}

/** The account and user a request's token opens, or 401 saying why not. */
export function authenticate(
  state: JobadderState,
  now: number,
  header: string | undefined,
): { account: Account; user: User | null } {
  const token = bearerToken(header);
  if (token === null) throw unauthorized(null);
  const grant = state.accessTokens.get(token);
  const account = grant ? state.accounts.get(grant.accountId) : undefined;
  if (!grant || !account) throw unauthorized('The access token is invalid');
  if (grant.expiresAt !== null && grant.expiresAt <= now) throw unauthorized('The access token expired');
  return { account, user: grant.userId === null ? null : (account.users.get(grant.userId) ?? null) };
}

/** True when `path` is `base` or below it. */
function under(path: string, base: string): boolean {
  return path === base || path.startsWith(`${base}/`);
}

/** 404 when `path` is under no account's API base: no JobAdder API answers there. */
export function checkSomeBase(state: JobadderState, path: string): void {
  for (const account of state.accounts.values()) if (under(path, account.apiPath)) return;
  throw notFound(
    `No JobAdder API at ${path}: call the "api" base URL of the token response (e.g. <api>/contacts)`,
  );
}

/** The path below the account's base, or 401 when the request went to another account's base. */
export function pathInAccount(account: Account, path: string): string {
  if (!under(path, account.apiPath)) {
    throw unauthorized(
      `This token belongs to the API at ${account.apiPath}, not this one; use the "api" URL of the token response`,
    );
  }
  return path.slice(account.apiPath.length) || '/';
}

/** The `api` base URL of an account as this server is reached (API-CONTRACTS 4.1). */
export function apiUrl(req: FastifyRequest, account: Account): string {
  return `${req.protocol}://${req.headers.host ?? '127.0.0.1'}${account.apiPath}`;
}
