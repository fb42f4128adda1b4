/**
 * The store's one interface over two engines that speak the same SQL:
 * PGlite (embedded PostgreSQL in WebAssembly, the default: no server to run)
 * and PostgreSQL (`DATABASE_URL`, for several backend instances). Every query
 * in server/ goes through `Db`, so both engines run the same statements and
 * the same tests.
 */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Db extends Queryable {
  /** Which engine, for logs, readiness and benchmarks. */
  readonly kind: 'embedded' | 'postgres';
  /** Run `fn` in one transaction; it commits when `fn` resolves and rolls back when it throws. */
  tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T>;
  /**
   * Commits this process has made: transactions plus statements run outside
   * one (each is its own). Issue 8 counts commits per webhook event; PGlite
   * keeps no such counter and PostgreSQL's counts every session's.
   */
  commits(): number;
  close(): Promise<void>;
}

/** An engine as opened, before `openDb` counts its commits. */
export type Engine = Omit<Db, 'commits'>;

export interface OpenOptions {
  /** postgres://... to use PostgreSQL; otherwise the embedded store. */
  databaseUrl?: string | null;
  /** Directory of the embedded store's files; null: in memory (tests). */
  dataDir?: string | null;
}

/** Open the store chosen by the options and bring its schema up to date. */
export async function openDb(opts: OpenOptions): Promise<Db> {
  const db: Engine = opts.databaseUrl
    ? await (await import('./postgres.ts')).openPostgres(opts.databaseUrl)
    : await (await import('./embedded.ts')).openEmbedded(opts.dataDir ?? null);
  const counted = countCommits(db);
  const { migrate } = await import('./migrate.ts');
  await migrate(counted);
  return counted;
}

function countCommits(engine: Engine): Db {
  let commits = 0;
  return {
    kind: engine.kind,
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const rows = await engine.query<T>(sql, params);
      commits += 1;
      return rows;
    },
    async tx<T>(fn: (q: Queryable) => Promise<T>): Promise<T> {
      const out = await engine.tx(fn);
      commits += 1;
      return out;
    },
    commits: () => commits,
    close: () => engine.close(),
  };
}
