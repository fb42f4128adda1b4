/**
 * The backend process: configuration from the environment, then
 * `startBackend`. SIGTERM/SIGINT stop it gracefully (no new requests,
 * running work finishes); a kill -9 loses nothing acknowledged (the webhook
 * route answers after the commit) and leased work is resumed elsewhere.
 */
import { constants, enableCompileCache, flushCompileCache } from 'node:module';

// Restart to ready (issue 8): compiling the backend's ~530 modules (type-stripped
// TypeScript, zod, fastify, pino, libphonenumber) was most of what a restart spent
// beyond opening the store. Node's compile cache keeps the stripped code and V8's
// bytecode between starts, in NODE_COMPILE_CACHE or <os.tmpdir()>/node-compile-cache;
// each entry is checked against its source, so an edited file is compiled afresh.
// It covers the modules loaded after this call, hence the dynamic imports below.
// A start never depends on it: a directory that cannot be used gives status FAILED
// (with the reason) and the backend starts as before, compiling everything.
let cacheOn = false;
try {
  cacheOn = enableCompileCache().status !== constants.compileCacheStatus.FAILED;
} catch {
  // Not documented to throw; the cache is an optimisation either way.
}

try {
  const { configFrom } = await import('./config.ts');
  const { openDb } = await import('./store/db.ts');
  const config = configFrom(process.env);
  // Opening the store is most of a restart (issue 8: restart to ready): it
  // runs while the rest of the backend's modules load, not after.
  const [{ startBackend }, db] = await Promise.all([
    import('./app.ts'),
    openDb({ databaseUrl: config.DATABASE_URL ?? null, dataDir: config.DATA_DIR }),
  ]);
  // Node writes the cache at exit; write it now, before taking traffic, so that a
  // process later killed (kill -9, a crash) still leaves it for the next start.
  // With the cache current this writes nothing (~1 ms); after an upgrade it writes
  // the changed modules once (~0.5 s for all of them), better here than in the
  // middle of requests. It returns whether or not the writes succeed (Node docs).
  if (cacheOn) flushCompileCache();
  const backend = await startBackend(config, { db });
  process.stdout.write(`backend listening on ${backend.url}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    backend.svc.log.info({ signal }, 'shutting down');
    await backend.close();
    await db.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  process.stderr.write(`backend did not start: ${(err as Error).message}\n`);
  process.exit(1);
}
