/**
 * The no-op HTTP floor (issue 8): a bare node:http server on loopback that
 * reads the body and answers 200 `{}`; run as its own process, like the
 * backend, so the load generator measures the same path minus the backend.
 * Prints `noop listening on <url>` once ready.
 */
import http from 'node:http';

const server = http.createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': 2 });
    res.end('{}');
  });
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => {
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : 0;
  process.stdout.write(`noop listening on http://127.0.0.1:${port}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
