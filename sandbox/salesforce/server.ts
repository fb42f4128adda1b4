/**
 * The Salesforce REST API simulator (API-CONTRACTS 3 and 5.2; paths and
 * verbs from the Postman collection in shared/specs/salesforce/). One server
 * plays both the login host and the org's instance:
 *
 * - OAuth web server flow (oauth.ts): `/services/oauth2/authorize` (auto-
 *   approved; sandbox `org_id`/`user_id`), `/services/oauth2/token`
 *   (authorization_code, refresh_token), `/revoke`, `/userinfo`, `/id/{org}/{user}`.
 *   `instance_url` is the simulator's own URL.
 * - REST under `/services/data/vNN.N/` (any version >= 42.0; `GET /services/data/`
 *   lists them), Bearer auth (auth.ts; 401 INVALID_SESSION_ID):
 *   sObjects Account, Contact, Lead, Case, Opportunity, OpportunityContactRole,
 *   Task, User, Profile (catalog.ts): create/read/update/delete, upsert by
 *   external id, describe (records.ts, fields.ts, rest.ts); SOQL `/query`
 *   (soql-parser.ts, query.ts); SOSL `/search` and `/parameterizedSearch`
 *   with phone matching (sosl.ts); `/composite` (composite.ts) and sObject
 *   Collections (collections.ts); `/limits` and the rolling 24 h allocation
 *   with `Sforce-Limit-Info` (limits.ts).
 * - Errors are Salesforce's JSON arrays `[{message, errorCode, fields?}]` (errors.ts).
 * - Sandbox controls (sandbox/common/sim.ts): `/_sandbox/seed` (seed.ts,
 *   body documented on `salesforceSeedSchema`), `/reset`, `/clock`,
 *   `/requests?account=<orgId>`, `/faults`, `/limits` (limits.ts), plus
 *   `/_sandbox/revoke` and `/_sandbox/expire-sessions` (oauth.ts).
 *
 * Every org has SF-FLD-1's Task fields and the bridge's idempotency key
 * `Aircall_Bridge_Key__c` (external id, unique) on Task, Contact, Lead,
 * Account and Case. A real org has that key only once the product's package
 * (or an admin) created it: the adapter must not assume it exists without
 * checking describe.
 */
import type { FastifyError } from 'fastify';
import { SimClock, type SimulatorBase, createSimulatorBase, listen } from '../common/sim.ts';
import { bearerToken, installAuth } from './auth.ts';
import type { SObjectType } from './catalog.ts';
import { SalesforceSimError, badRequest, notFound, salesforceFaultBody } from './errors.ts';
import { configureLimits } from './limits.ts';
import { registerOAuthRoutes } from './oauth.ts';
import { dispatch, parseVersion, versionsList } from './rest.ts';
import { type SeedResult, applySeed } from './seed.ts';
import { type Org, type SalesforceState, type StoredRecord, clearState, createState } from './state.ts';
import { to18 } from './ids.ts';

export type { SalesforceSeed, SeedResult } from './seed.ts';
export type { Org, StoredRecord } from './state.ts';
export type { SObjectType } from './catalog.ts';

export interface SalesforceSimulator extends SimulatorBase {
  state: SalesforceState;
  /** Same as `POST /_sandbox/seed` (see `salesforceSeedSchema` for the body). */
  seed(body: unknown): SeedResult;
  /** A seeded org (15- or 18-character id); throws when there is none. */
  org(orgId: string): Org;
  /** The org's live (not deleted) records of a type, in creation order. */
  records(orgId: string, type: SObjectType): StoredRecord[];
  /** One live record by id, or null. */
  record(orgId: string, id: string): StoredRecord | null;
}

/** Builds the simulator (not listening); see `startSalesforceSimulator`. */
export function createSalesforceSimulator(opts: { clock?: SimClock } = {}): SalesforceSimulator {
  const state = createState();
  const clock = opts.clock ?? new SimClock();
  const base = createSimulatorBase({
    name: 'salesforce',
    clock,
    accountOf: (req) => {
      const token = bearerToken(req.headers.authorization);
      return (token === null ? undefined : state.sessions.get(token)?.orgId) ?? null;
    },
    onSeed: (body) => applySeed(state, clock.now(), body),
    onReset: () => clearState(state),
    onLimits: (body) => configureLimits(state, clock.now(), body),
    faultBody: salesforceFaultBody,
  });
  const { app } = base;

  // The token and revoke endpoints take form bodies (API-CONTRACTS 3.1 "OAuth refresh"); JSON is accepted too.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  // An empty JSON body (DELETE or GET with a Content-Type header) is no body, not a parse error.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_req, body, done) => {
    const text = String(body);
    if (text.trim() === '') return done(null, undefined);
    try {
      done(null, JSON.parse(text));
    } catch (err) {
      done(
        badRequest('JSON_PARSER_ERROR', `Unexpected character in the JSON body: ${(err as Error).message}`),
        undefined,
      );
    }
  });

  app.setErrorHandler((err: FastifyError | SalesforceSimError, _req, reply) => {
    if (err instanceof SalesforceSimError) return reply.code(err.status).headers(err.headers).send(err.body);
    if (err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE')
      return reply
        .code(415)
        .send([
          { message: `Content type not supported: ${err.message}`, errorCode: 'UNSUPPORTED_MEDIA_TYPE' },
        ]);
    const status = err.statusCode && err.statusCode >= 400 ? err.statusCode : 500;
    const errorCode = status >= 500 ? 'UNKNOWN_EXCEPTION' : 'BAD_REQUEST';
    return reply.code(status).send([{ message: err.message, errorCode }]);
  });
  app.setNotFoundHandler((_req, reply) => {
    const e = notFound();
    return reply.code(e.status).send(e.body);
  });

  const sessionOf = installAuth(app, state, clock);
  registerOAuthRoutes(app, state, clock);

  app.get('/services/data', async () => versionsList());
  app.get('/services/data/', async () => versionsList());
  app.route({
    method: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
    url: '/services/data/:version/*',
    handler: async (req, reply) => {
      const { version: segment } = req.params as { version: string };
      const version = parseVersion(segment);
      if (!version) throw notFound();
      const auth = sessionOf(req);
      const q = req.url.indexOf('?');
      const pathOnly = q === -1 ? req.url : req.url.slice(0, q);
      const answer = dispatch(
        { state, clock, org: auth.org, userId: auth.userId },
        {
          method: req.method,
          path: pathOnly.slice(`/services/data/${segment}`.length),
          query: new URLSearchParams(q === -1 ? '' : req.url.slice(q + 1)),
          body: req.body,
          version,
        },
      );
      reply.code(answer.status).headers(answer.headers ?? {});
      return answer.body === undefined ? reply.send() : reply.send(answer.body);
    },
  });
  // `/services/data/v60.0` without a trailing path: the resources list.
  app.get('/services/data/:version', async (req) => {
    const { version: segment } = req.params as { version: string };
    const version = parseVersion(segment);
    if (!version) throw notFound();
    const auth = sessionOf(req);
    return dispatch(
      { state, clock, org: auth.org, userId: auth.userId },
      {
        method: 'GET',
        path: '',
        query: new URLSearchParams(),
        body: undefined,
        version,
      },
    ).body;
  });

  const org = (orgId: string) => {
    const o = state.orgs.get(to18(orgId) ?? orgId);
    if (!o) throw new Error(`no Salesforce org ${orgId} is seeded`);
    return o;
  };
  return {
    ...base,
    state,
    seed: (body) => applySeed(state, clock.now(), body),
    org,
    records: (orgId, type) => [...org(orgId).records[type].values()].filter((r) => !r.deleted),
    record: (orgId, id) => {
      const o = org(orgId);
      const full = to18(id);
      if (!full) return null;
      for (const map of Object.values(o.records)) {
        const rec = map.get(full);
        if (rec) return rec.deleted ? null : rec;
      }
      return null;
    },
  };
}

/** Starts the simulator on 127.0.0.1 (`port` 0 or omitted: any free port). */
export async function startSalesforceSimulator(
  opts: { port?: number; clock?: SimClock } = {},
): Promise<{ url: string; sim: SalesforceSimulator; close(): Promise<void> }> {
  const sim = createSalesforceSimulator(opts.clock ? { clock: opts.clock } : {});
  const url = await listen(sim.app, opts.port ?? 0);
  return { url, sim, close: () => sim.app.close() };
}
