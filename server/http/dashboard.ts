/**
 * Serves the admin dashboard's build (dashboard/, `npm run build:dashboard`
 * writes dist/dashboard) at /dashboard/. The page itself is public; every
 * call it makes needs the admin token (server/http/register.ts).
 */
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import type { FastifyInstance } from 'fastify';

export const DASHBOARD_DIR = join(import.meta.dirname, '..', '..', 'dist', 'dashboard');

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
};

export function dashboardRoutes(app: FastifyInstance): void {
  app.get('/', (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard', (_req, reply) => reply.redirect('/dashboard/'));
  app.get('/dashboard/*', async (req, reply) => {
    const rel = (req.params as { '*': string })['*'] || 'index.html';
    // normalize() folds "..": a path that climbs out of the build is refused, not read.
    const file = normalize(join(DASHBOARD_DIR, rel));
    if (!file.startsWith(DASHBOARD_DIR)) return reply.code(404).send();
    try {
      const body = await readFile(file);
      const type = TYPES[extname(file)] ?? 'application/octet-stream';
      // Built assets carry a content hash in their name; index.html must always be fresh.
      const cache = rel.startsWith('assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';
      return reply.type(type).header('cache-control', cache).send(body);
    } catch {
      if (rel === 'index.html') {
        return reply
          .code(503)
          .type('text/plain; charset=utf-8')
          .send(
            'The dashboard is not built: run `npm run build:dashboard` (npm start and npm test do), then reload.',
          );
      }
      return reply.code(404).send();
    }
  });
}
