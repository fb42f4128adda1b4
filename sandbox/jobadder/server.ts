/**
 * The JobAdder API v2 simulator (API-CONTRACTS 4 and 5): JobAdder's identity
 * server (OAuth, with the per-account `api` base URL), and per account the
 * phone search, contacts, candidates, notes, note types and users, behind
 * Bearer auth with JobAdder's ErrorModel bodies; plus the settings JobAdder
 * does not publish (maximum note length, a request limit) and the shared
 * `/_sandbox/*` controls (sandbox/common/sim.ts).
 */
import type { FastifyError } from 'fastify';
import { SimClock, type SimulatorBase, createSimulatorBase, listen } from '../common/sim.ts';
import { installApi } from './api.ts';
import { bearerToken } from './auth.ts';
import { JobadderSimError, jobadderFaultBody } from './errors.ts';
import { AccountLimiter, applyLimits } from './limits.ts';
import { registerOAuthRoutes } from './oauth.ts';
import { type SeedResult, applySeed } from './seed.ts';
import {
  type Account,
  type JobadderState,
  type Note,
  accountIdOfGrant,
  accountIdOfToken,
  clearState,
  createState,
} from './state.ts';

export type { JobadderSeed, SeedResult } from './seed.ts';
export type { Account, Note, Person, User } from './state.ts';

export interface JobadderSimulator extends SimulatorBase {
  state: JobadderState;
  /** Same as `POST /_sandbox/seed` (see `jobadderSeedSchema` in seed.ts for the body). */
  seed(body: unknown): SeedResult;
  /** A seeded account; throws when there is none. */
  account(accountId: string): Account;
  /** The account's notes, oldest first; only those on a contact or candidate when one is named. */
  notes(accountId: string, on?: { contactId?: number; candidateId?: number }): Note[];
}

/** Builds the simulator (not listening); see `startJobadderSimulator`. */
export function createJobadderSimulator(opts: { clock?: SimClock } = {}): JobadderSimulator {
  const state = createState();
  const limiter = new AccountLimiter();
  const clock = opts.clock ?? new SimClock();
  const base = createSimulatorBase({
    name: 'jobadder',
    clock,
    // API requests by their token; token-endpoint requests by their code or refresh token.
    accountOf: (req) => {
      const token = bearerToken(req.headers.authorization);
      if (token !== null) return accountIdOfToken(state, token);
      return req.url.startsWith('/connect/token') ? accountIdOfGrant(state, req.body) : null;
    },
    onSeed: (body) => applySeed(state, clock.now(), body),
    onReset: () => {
      clearState(state);
      limiter.reset();
    },
    onLimits: (body) => applyLimits(state, body, limiter),
    faultBody: jobadderFaultBody,
  });
  const { app } = base;

  // The token endpoint takes form bodies (API-CONTRACTS 4.1); JSON is accepted too.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });

  app.setErrorHandler((err: FastifyError | JobadderSimError, _req, reply) => {
    if (err instanceof JobadderSimError) return reply.code(err.status).headers(err.headers).send(err.body);
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    return reply.code(status).send({ message: err.message });
  });

  registerOAuthRoutes(app, state, clock);
  installApi(app, state, clock, limiter);

  const account = (accountId: string) => {
    const a = state.accounts.get(accountId);
    if (!a) throw new Error(`no JobAdder account "${accountId}" is seeded`);
    return a;
  };
  return {
    ...base,
    state,
    seed: (body) => applySeed(state, clock.now(), body),
    account,
    notes: (accountId, on = {}) =>
      [...account(accountId).notes.values()]
        .filter((n) => on.contactId === undefined || n.contactIds.includes(on.contactId))
        .filter((n) => on.candidateId === undefined || n.candidateIds.includes(on.candidateId))
        .sort((a, b) => a.createdAt - b.createdAt),
  };
}

/** Starts the simulator on 127.0.0.1 (`port` 0 or omitted: any free port). */
export async function startJobadderSimulator(
  opts: { port?: number; clock?: SimClock } = {},
): Promise<{ url: string; sim: JobadderSimulator; close(): Promise<void> }> {
  const sim = createJobadderSimulator(opts.clock ? { clock: opts.clock } : {});
  const url = await listen(sim.app, opts.port ?? 0);
  return { url, sim, close: () => sim.app.close() };
}
