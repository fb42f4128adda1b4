/**
 * The backend process: configuration from the environment, then
 * `startBackend`. SIGTERM/SIGINT stop it gracefully (no new requests,
 * running work finishes); a kill -9 loses nothing acknowledged (the webhook
 * route answers after the commit) and leased work is resumed elsewhere.
 */
import { configFrom } from './config.ts';
import { openDb } from './store/db.ts';

try {
  const config = configFrom(process.env);
  // Opening the store is most of a restart (issue 8: restart to ready): it
  // runs while the rest of the backend's modules load, not after.
  const [{ startBackend }, db] = await Promise.all([
    import('./app.ts'),
    openDb({ databaseUrl: config.DATABASE_URL ?? null, dataDir: config.DATA_DIR }),
  ]);
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
