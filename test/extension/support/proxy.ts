/**
 * A loopback relay between the extension and the backend, so a test can
 * take the backend off the network and bring it back (EXT-OFF-1), or slow
 * down the answers for one record (EXT-DET-1: a late answer must not show
 * on another record's page).
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Relay {
  url: string;
  /** Delay answers whose path matches, in ms. */
  delay(pattern: RegExp | null, ms?: number): void;
  /** Refuse connections (as a stopped backend would) until `up()`. */
  down(): Promise<void>;
  up(): Promise<void>;
  close(): Promise<void>;
}

export async function startRelay(target: string): Promise<Relay> {
  let slow: { pattern: RegExp; ms: number } | null = null;
  let port = 0;
  let server: Server;
  const listen = () =>
    new Promise<void>((resolve) => {
      server = createServer((req, res) => {
        void (async () => {
          const chunks: Buffer[] = [];
          for await (const c of req) chunks.push(c as Buffer);
          if (slow && slow.pattern.test(req.url ?? ''))
            await new Promise((r) => setTimeout(r, slow?.ms ?? 0));
          const headers = Object.fromEntries(
            Object.entries(req.headers).filter(
              ([k, v]) => typeof v === 'string' && k !== 'host' && k !== 'connection',
            ),
          ) as Record<string, string>;
          try {
            const upstream = await fetch(`${target}${req.url ?? '/'}`, {
              method: req.method ?? 'GET',
              headers,
              ...(chunks.length ? { body: Buffer.concat(chunks) } : {}),
            });
            res.writeHead(upstream.status, {
              'content-type': upstream.headers.get('content-type') ?? 'application/json',
            });
            res.end(Buffer.from(await upstream.arrayBuffer()));
          } catch (err) {
            res.writeHead(502).end(String(err));
          }
        })();
      });
      server.listen(port, '127.0.0.1', () => {
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  await listen();
  const stop = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return {
    url: `http://127.0.0.1:${port}`,
    delay(pattern, ms = 0) {
      slow = pattern ? { pattern, ms } : null;
    },
    down: stop,
    up: listen,
    close: stop,
  };
}
