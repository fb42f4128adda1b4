/**
 * PostgreSQL's floor for the restart (issue 8): a process that connects to
 * DATABASE_URL, runs one query, prints `store opened` and waits to be stopped.
 */
import pg from 'pg';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL is required: the PostgreSQL database to connect to');
const client = new pg.Client({ connectionString: url });
await client.connect();
await client.query('select 1');
process.stdout.write('store opened\n');
process.on('SIGTERM', () => void client.end().then(() => process.exit(0)));
