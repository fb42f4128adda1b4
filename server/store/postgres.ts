/**
 * PostgreSQL through a `pg` pool, for several backend instances sharing one
 * database (work is shared with FOR UPDATE SKIP LOCKED, server/store/work.ts).
 */
import pg from 'pg';
import type { Engine, Queryable } from './db.ts';

// BIGINT columns hold UNIX ms and Aircall ids, all below 2^53: read them as numbers.
pg.types.setTypeParser(20, (v) => Number(v));

export async function openPostgres(url: string): Promise<Engine> {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client whose connection the server ends (restart, admin shutdown, a dropped
  // database) emits 'error' on the pool; unhandled, that would crash the process. The pool
  // replaces the client; the next query reports a real failure where it happens.
  pool.on('error', (err) => {
    process.emitWarning(`PostgreSQL closed an idle connection: ${err.message}`);
  });
  // Fail at start-up, with the reason, rather than at the first webhook.
  try {
    await pool.query('select 1');
  } catch (err) {
    await pool.end();
    throw new Error(`cannot reach PostgreSQL at DATABASE_URL (${redact(url)}): ${(err as Error).message}`, {
      cause: err,
    });
  }
  return {
    kind: 'postgres',
    async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
      return (await pool.query(sql, params)).rows as T[];
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const q: Queryable = {
          async query<R>(sql: string, params: unknown[] = []): Promise<R[]> {
            return (await client.query(sql, params)).rows as R[];
          },
        };
        const out = await fn(q);
        await client.query('commit');
        return out;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
