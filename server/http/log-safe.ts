/**
 * What the backend's log may hold (issue 8: no token ever appears in the
 * logs). Requests are logged with their path and the names of their query
 * parameters, not the values: an OAuth redirect carries its authorization
 * code and state there (RFC 6749 4.1.2), a call search a phone number. The
 * redact paths are a second net for objects a log line might carry.
 */
import type { FastifyRequest } from 'fastify';

/** The URL with every query value replaced. */
export function loggableUrl(url: string): string {
  const q = url.indexOf('?');
  if (q < 0) return url;
  const names = [...new URLSearchParams(url.slice(q + 1)).keys()];
  return `${url.slice(0, q)}?${names.map((n) => `${encodeURIComponent(n)}=[redacted]`).join('&')}`;
}

/** Fastify's request serializer (fastify/lib/logger-pino.js) with the query values left out. */
export const logSerializers = {
  req: (req: FastifyRequest) => ({
    method: req.method,
    url: loggableUrl(req.url),
    host: req.host,
    remoteAddress: req.ip,
    remotePort: req.socket?.remotePort,
  }),
};

/** pino `redact` paths: credentials and tokens under the names this codebase gives them. */
export const LOG_REDACT = [
  'req.headers.authorization',
  'headers.authorization',
  'authorization',
  ...['token', 'apiToken', 'accessToken', 'refreshToken', 'credentials', 'secret'].flatMap((k) => [
    k,
    `*.${k}`,
  ]),
];
