/**
 * The embedded store's own open time (issue 8 restart floor): a process that
 * opens PGlite on DATA_DIR, runs one query, prints `store opened` and waits
 * to be stopped.
 */
import { PGlite } from '@electric-sql/pglite';

const dir = process.env.DATA_DIR;
if (!dir) throw new Error('DATA_DIR is required: the embedded store directory to open');
const db = await PGlite.create(dir);
await db.query('select 1');
process.stdout.write('store opened\n');
process.on('SIGTERM', () => void db.close().then(() => process.exit(0)));
