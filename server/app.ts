/**
 * The backend as one object: store, HTTP server and workers. `main.ts` runs
 * it as a process; tests start it in-process on port 0 (real HTTP on
 * loopback, real store) or as a child process (kill -9 tests).
 */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import pino, { type DestinationStream } from 'pino';
import { API } from '../lib/api/contract.ts';
import { openApiDocument } from '../lib/api/openapi.ts';
import { type Clock, systemClock } from './clock.ts';
import type { Config } from './config.ts';
import { adminRoutes } from './http/admin.ts';
import { agentRoutes } from './http/agent.ts';
import { cardRoutes } from './http/card.ts';
import { dashboardRoutes } from './http/dashboard.ts';
import { doctorRoutes } from './http/doctor.ts';
import { dashboardApiRoutes } from './http/dashboard-api.ts';
import { oauthRoutes } from './http/oauth.ts';
import { settingsChoicesRoutes } from './http/settings-choices.ts';
import { LOG_REDACT, logSerializers } from './http/log-safe.ts';
import { handle, installErrorHandlers } from './http/register.ts';
import { lazyCompilers } from './http/lazy-compilers.ts';
import { webhookRoutes } from './http/webhooks.ts';
import { Services } from './services.ts';
import { type Db, openDb } from './store/db.ts';
import { Secrets } from './store/secrets.ts';
import { workCounts } from './store/work.ts';
import { type Runner, startRunner } from './workers/runner.ts';

export interface Backend {
  url: string;
  svc: Services;
  app: FastifyInstance;
  /** Stop taking requests, let running work finish, close the store. */
  close(): Promise<void>;
}

export async function startBackend(
  config: Config,
  opts: {
    clock?: Clock;
    db?: Db;
    /** Where the log goes (default stdout); tests capture it to check no secret is written (issue 8). */
    logStream?: DestinationStream;
  } = {},
): Promise<Backend> {
  const log = pino(
    {
      level: config.LOG_LEVEL,
      base: { pid: process.pid },
      serializers: logSerializers,
      redact: { paths: LOG_REDACT, censor: '[redacted]' },
    },
    opts.logStream,
  );
  const db =
    opts.db ?? (await openDb({ databaseUrl: config.DATABASE_URL ?? null, dataDir: config.DATA_DIR }));
  const svc = new Services({
    db,
    secrets: Secrets.fromEnv(config.SECRET_KEY),
    clock: opts.clock ?? systemClock,
    config,
    log,
  });
  const app: FastifyInstance = Fastify({
    loggerInstance: log.child({ part: 'http' }) as unknown as FastifyBaseLogger,
    bodyLimit: 1024 * 1024,
    schemaController: { compilersFactory: lazyCompilers },
  });
  // Every route takes JSON only: a text/plain body would reach the handlers as a string and be
  // refused for the wrong reason ("token missing"); without this parser it gets 415 (issue 8).
  app.removeContentTypeParser('text/plain');
  installErrorHandlers(app, svc);

  let runner: Runner | null = null;
  handle(app, svc, 'health', async () => ({ status: 'ok' as const }));
  handle(app, svc, 'ready', async ({ reply }) => {
    try {
      const work = await workCounts(db);
      const ready = runner !== null;
      if (!ready) reply.code(503);
      return {
        status: ready ? ('ready' as const) : ('not_ready' as const),
        store: db.kind,
        commits: db.commits(),
        work,
      };
    } catch {
      reply.code(503);
      return { status: 'not_ready' as const, store: db.kind, commits: db.commits(), work: {} };
    }
  });
  handle(app, svc, 'openapi', async () => openApiDocument());
  webhookRoutes(app, svc);
  oauthRoutes(app, svc);
  adminRoutes(app, svc);
  agentRoutes(app, svc);
  cardRoutes(app, svc);
  settingsChoicesRoutes(app, svc);
  doctorRoutes(app, svc);
  dashboardRoutes(app);
  dashboardApiRoutes(app, svc);

  await app.listen({ host: config.HOST, port: config.PORT });
  const addr = app.server.address();
  const port = addr && typeof addr === 'object' ? addr.port : config.PORT;
  const url = `http://${config.HOST}:${port}`;
  if (config.PORT === 0 || !process.env.PUBLIC_URL)
    svc.publicUrl = config.PUBLIC_URL.includes(':0') ? url : config.PUBLIC_URL;
  runner = startRunner(svc);
  log.info(
    { url, store: db.kind, workers: config.WORKERS, routes: Object.keys(API).length },
    'backend ready',
  );

  return {
    url,
    svc,
    app,
    async close() {
      await app.close();
      await runner?.stop();
      if (!opts.db) await db.close();
    },
  };
}
