/**
 * The backend process: configuration from the environment, then
 * `startBackend`. SIGTERM/SIGINT stop it gracefully (no new requests,
 * running work finishes); a kill -9 loses nothing acknowledged (the webhook
 * route answers after the commit) and leased work is resumed elsewhere.
 */
import { startBackend } from './app.ts';
import { configFrom } from './config.ts';

try {
  const backend = await startBackend(configFrom(process.env));
  process.stdout.write(`backend listening on ${backend.url}\n`);
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    backend.svc.log.info({ signal }, 'shutting down');
    await backend.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
} catch (err) {
  process.stderr.write(`backend did not start: ${(err as Error).message}\n`);
  process.exit(1);
}
