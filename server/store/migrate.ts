/**
 * Applies migrations/NNN_name.sql in order, once each, in one transaction per
 * file. On PostgreSQL an advisory lock makes concurrent starts of several
 * instances wait for one another instead of racing.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Db } from './db.ts';

const DIR = join(import.meta.dirname, 'migrations');
const LOCK_ID = 4_211_042;

export async function migrate(db: Db): Promise<void> {
  const files = (await readdir(DIR)).filter((f) => /^\d+_.+\.sql$/.test(f)).sort();
  if (await upToDate(db, files)) return;
  await db.tx(async (q) => {
    await q.query('select pg_advisory_xact_lock($1)', [LOCK_ID]);
    await q.query(
      'create table if not exists schema_migrations (version text primary key, applied_at bigint not null)',
    );
    const done = new Set(
      (await q.query<{ version: string }>('select version from schema_migrations')).map((r) => r.version),
    );
    for (const file of files) {
      if (done.has(file)) continue;
      const sql = await readFile(join(DIR, file), 'utf8');
      for (const statement of splitStatements(sql)) await q.query(statement);
      await q.query('insert into schema_migrations (version, applied_at) values ($1, $2)', [
        file,
        Date.now(),
      ]);
    }
  });
}

/**
 * Every start but the first finds the schema up to date (issue 8, restart to
 * ready): one read says so, without the transaction, the lock and the DDL
 * check. A migration's row is committed with its statements, so a listed
 * version is applied; a missing table or version takes the full path, which
 * re-checks under the lock.
 */
async function upToDate(db: Db, files: string[]): Promise<boolean> {
  try {
    const rows = await db.query<{ version: string }>('select version from schema_migrations');
    const done = new Set(rows.map((r) => r.version));
    return files.every((f) => done.has(f));
  } catch {
    return false;
  }
}

/**
 * Our migrations hold no functions or quoted semicolons: with comments
 * removed first, `;` at a line end splits them.
 */
function splitStatements(sql: string): string[] {
  return sql
    .replace(/--.*$/gm, '')
    .split(/;\s*$/m)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
