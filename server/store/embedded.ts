/**
 * The embedded store: PGlite, PostgreSQL compiled to WebAssembly, in this
 * process. One connection, so transactions are serialised here; PGlite runs
 * with fsync off by default (TOOLCHAIN.md): a commit survives a killed
 * process but not a power loss. README "Configuration" says so.
 */
import { PGlite } from '@electric-sql/pglite';
import type { Engine, Queryable } from './db.ts';

export async function openEmbedded(dataDir: string | null): Promise<Engine> {
  // BIGINT columns hold UNIX ms and Aircall ids, all below 2^53: read them as numbers.
  const parsers = { 20: (v: string) => Number(v) };
  const pg = dataDir ? await PGlite.create(dataDir, { parsers }) : await PGlite.create({ parsers });
  // PGlite has one connection: queue transactions so two never interleave.
  let chain: Promise<unknown> = Promise.resolve();
  const direct: Queryable = {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      const res = await pg.query<T>(sql, params);
      return res.rows;
    },
  };
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = chain.then(fn, fn);
    chain = run.catch(() => undefined);
    return run;
  };
  return {
    kind: 'embedded',
    query: <T>(sql: string, params?: unknown[]) => serial(() => direct.query<T>(sql, params)),
    tx: <T>(fn: (q: Queryable) => Promise<T>) => serial(() => pg.transaction((t) => fn(wrap(t)))),
    close: async () => {
      await chain;
      await pg.close();
    },
  };
}

function wrap(t: { query<T>(sql: string, params?: unknown[]): Promise<{ rows: T[] }> }): Queryable {
  return {
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      return (await t.query<T>(sql, params)).rows;
    },
  };
}
