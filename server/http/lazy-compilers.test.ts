/** Fastify's compilers loaded on first use (issue 8, restart to ready) still do their work. */
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { lazyCompilers } from './lazy-compilers.ts';

describe('lazyCompilers', () => {
  it('issue 8: a route declaring a Fastify schema is still validated and its reply serialized by it', async () => {
    const app = Fastify({ schemaController: { compilersFactory: lazyCompilers } });
    app.post(
      '/echo',
      {
        schema: {
          body: { type: 'object', required: ['a'], properties: { a: { type: 'integer' } } },
          response: { 200: { type: 'object', properties: { a: { type: 'integer' } } } },
        },
      },
      async (req) => ({ ...(req.body as object), extra: 'left out by the serializer' }),
    );
    try {
      const refused = await app.inject({ method: 'POST', url: '/echo', payload: { b: 1 } });
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({ code: 'FST_ERR_VALIDATION' });
      const ok = await app.inject({ method: 'POST', url: '/echo', payload: { a: 2 } });
      expect(ok.statusCode).toBe(200);
      expect(ok.body).toBe('{"a":2}');
    } finally {
      await app.close();
    }
  });
});
