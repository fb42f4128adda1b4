/**
 * The store a benchmark runs on: a fresh PostgreSQL database (like
 * test/support/world.ts) or a fresh embedded-store directory; its durability
 * setting as read from the engine; the engine's commit counter; and the
 * single-durable-commit floor (issue 8).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { freshPostgres } from '../test/support/world.ts';
import { type Latency, summarize } from './stats.ts';

export type StoreKind = 'embedded' | 'postgres';

export interface BenchStore {
  kind: StoreKind;
  /** The backend's environment for this store (DATABASE_URL or DATA_DIR). */
  env: Record<string, string>;
  /** Durability settings as the engine reports them. */
  durability(): Promise<Record<string, string>>;
  /** Transactions committed in this database so far, by the engine (PostgreSQL; a cross-check of the backend's own count), or null (PGlite keeps no such counter). */
  commits(): Promise<number | null>;
  /** `count` single-row insert+commit round trips into a scratch table, one after the other. */
  commitFloor(count: number): Promise<Latency>;
  drop(): Promise<void>;
}

async function pgOne(url: string, sql: string): Promise<Record<string, unknown>> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(sql)).rows[0] ?? {};
  } finally {
    await c.end();
  }
}

async function timeCommits(count: number, commit: (i: number) => Promise<unknown>): Promise<Latency> {
  const samples: number[] = [];
  for (let i = 0; i < count; i++) {
    const t = performance.now();
    await commit(i);
    samples.push(performance.now() - t);
  }
  return summarize(samples);
}

async function postgresStore(): Promise<BenchStore> {
  const db = await freshPostgres();
  return {
    kind: 'postgres',
    env: { DATABASE_URL: db.url },
    async durability() {
      const sc = await pgOne(db.url, 'show synchronous_commit');
      const fs = await pgOne(db.url, 'show fsync');
      return { synchronous_commit: String(sc.synchronous_commit), fsync: String(fs.fsync) };
    },
    async commits() {
      // Backends flush their counters at most once a second when they go idle (PostgreSQL 15
      // pgstat): the caller waits before reading; the snapshot is cleared by the new session.
      const row = await pgOne(
        db.url,
        'select xact_commit::int as n from pg_stat_database where datname = current_database()',
      );
      return Number(row.n);
    },
    async commitFloor(count) {
      const c = new pg.Client({ connectionString: db.url });
      await c.connect();
      try {
        await c.query('create table if not exists bench_scratch (id serial primary key, v text)');
        // Autocommit: each insert is one transaction and one durable commit.
        return await timeCommits(count, (i) =>
          c.query('insert into bench_scratch (v) values ($1)', [`v${i}`]),
        );
      } finally {
        await c.query('drop table if exists bench_scratch');
        await c.end();
      }
    },
    drop: () => db.drop(),
  };
}

async function embeddedStore(): Promise<BenchStore> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-embedded-'));
  const dataDir = join(dir, 'data');
  return {
    kind: 'embedded',
    env: { DATA_DIR: dataDir },
    async durability() {
      // The backend holds DATA_DIR; a scratch PGlite reports the engine's defaults, which it uses too.
      const scratch = await PGlite.create(join(dir, 'durability'));
      try {
        const fs = (await scratch.query<{ fsync: string }>('show fsync')).rows[0]?.fsync ?? '?';
        const sc =
          (await scratch.query<{ synchronous_commit: string }>('show synchronous_commit')).rows[0]
            ?.synchronous_commit ?? '?';
        return { fsync: fs, synchronous_commit: sc };
      } finally {
        await scratch.close();
      }
    },
    commits: async () => null,
    async commitFloor(count) {
      // Same engine and disk as the backend's store, in its own directory (PGlite has one owner).
      const scratch = await PGlite.create(join(dir, 'floor'));
      try {
        await scratch.query('create table bench_scratch (id serial primary key, v text)');
        return await timeCommits(count, (i) =>
          scratch.query('insert into bench_scratch (v) values ($1)', [`v${i}`]),
        );
      } finally {
        await scratch.close();
      }
    },
    async drop() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fresh store of this kind for one benchmark. */
export function benchStore(kind: StoreKind): Promise<BenchStore> {
  return kind === 'postgres' ? postgresStore() : embeddedStore();
}
