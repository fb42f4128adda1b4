/**
 * Fastify's JSON-schema compilers, loaded on first use. Fastify builds its
 * default validator (ajv) and serializer (fast-json-stringify) factories when
 * a server is created, which loads some 250 modules; our routes validate with
 * zod (register.ts) and give Fastify no schema, so nothing ever calls them.
 * Loading them only when called takes that off every start (issue 8, restart
 * to ready); a route that did declare a Fastify schema would still get
 * Fastify's own compilers, built the first time one is needed.
 */
import { createRequire } from 'node:module';
import type { FastifyServerOptions } from 'fastify';

type Factories = NonNullable<NonNullable<FastifyServerOptions['schemaController']>['compilersFactory']>;
type Factory = (...args: unknown[]) => unknown;

// Resolved from fastify's own folder: they are its dependencies, not ours.
const require = createRequire(createRequire(import.meta.url).resolve('fastify'));

/** Fastify's default factory from `id`, made on the first call (as fastify/lib/schema-controller.js does). */
function lazy(id: string): Factory {
  let built: Factory | null = null;
  return (...args) => {
    built ??= (require(id) as () => Factory)();
    return built(...args);
  };
}

/** `schemaController.compilersFactory` for `Fastify(...)`: the defaults, built when first needed. */
export const lazyCompilers = {
  buildValidator: lazy('@fastify/ajv-compiler'),
  buildSerializer: lazy('@fastify/fast-json-stringify-compiler'),
} as unknown as Factories;
