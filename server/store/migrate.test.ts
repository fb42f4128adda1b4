/** Migrations on both real stores: a start on an up-to-date schema reads once (issue 8, restart to ready). */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freshStore, STORES } from '../../test/support/world.ts';
import type { Db } from './db.ts';
import { migrate } from './migrate.ts';

const VERSIONS = readdirSync(join(import.meta.dirname, 'migrations'))
  .filter((f) => f.endsWith('.sql'))
  .sort();

/** `db`, with every statement and transaction it runs listed in `log`. */
function logged(db: Db, log: string[]): Db {
  return {
    ...db,
    query: (sql, params) => {
      log.push(sql);
      return db.query(sql, params);
    },
    tx: (fn) => {
      log.push('tx');
      return db.tx(fn);
    },
  };
}

describe.each(STORES)('migrate (%s store)', (store) => {
  let db: Db;
  let close: (() => Promise<void>) | undefined;
  beforeAll(async () => {
    ({ db, close } = await freshStore(store));
  }, 60_000);
  afterAll(async () => close?.());

  it('issue 8: a first start (no migrations table yet) applies every migration', async () => {
    const versions = await db.query<{ version: string }>('select version from schema_migrations order by 1');
    expect(versions.map((v) => v.version)).toEqual(VERSIONS);
  });

  it('issue 8: on a schema already at the latest version, one read and no transaction', async () => {
    const log: string[] = [];
    await migrate(logged(db, log));
    expect(log).toEqual(['select version from schema_migrations']);
  });

  it('issue 8: a version missing from the store is applied, under the lock, and recorded', async () => {
    // As if the store were last opened by a backend that knew only the first migration.
    await db.query('alter table work drop column first_failed_at');
    await db.query("delete from schema_migrations where version = '002_work_retry_window.sql'");
    const log: string[] = [];
    await migrate(logged(db, log));
    expect(log).toEqual(['select version from schema_migrations', 'tx']);
    const versions = await db.query<{ version: string }>('select version from schema_migrations order by 1');
    expect(versions.map((v) => v.version)).toEqual(VERSIONS);
    const cols = await db.query(
      "select 1 from information_schema.columns where table_name = 'work' and column_name = 'first_failed_at'",
    );
    expect(cols).toHaveLength(1);
  });
});
