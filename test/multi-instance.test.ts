/**
 * Two backend processes on one PostgreSQL share one webhook stream with no
 * duplicate CRM writes (issue 3, section 2). Every webhook is delivered to
 * BOTH processes at once, as a load balancer retrying on the other instance
 * would: the store drops the second copy and the queue's FOR UPDATE SKIP
 * LOCKED claims keep each call with one worker at a time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callWebhooks, inboundAnsweredScript } from '../lib/aircall/scenarios.ts';
import { KEY_PROPERTY } from '../lib/crm/hubspot/adapter.ts';
import { connectDemoCompany, demoIds, readToken } from '../sandbox/demo.ts';
import { type Sandbox, startSandbox } from '../sandbox/start.ts';
import { type BackendProcess, spawnBackend } from './support/process.ts';
import { ADMIN_TOKEN, backendEnv, freshPostgres, sandboxUrls } from './support/world.ts';
import { waitFor } from './support/wait.ts';

const CALLS = 20;

describe('two backend processes on one PostgreSQL', () => {
  let sandbox: Sandbox;
  let a: BackendProcess;
  let b: BackendProcess;
  let drop: () => Promise<void>;
  const ids = demoIds(21, 'two-instances');

  beforeAll(async () => {
    sandbox = await startSandbox();
    const pg = await freshPostgres();
    drop = pg.drop;
    const env = backendEnv(sandbox, { DATABASE_URL: pg.url, POLL_MS: '20' });
    [a, b] = await Promise.all([spawnBackend(env), spawnBackend(env)]);
    await connectDemoCompany({
      backendUrl: a.url,
      adminToken: ADMIN_TOKEN,
      urls: sandboxUrls(sandbox),
      ids,
      crms: { hubspot: { createContacts: true } },
    });
    await fetch(`${sandbox.hubspot.url}/_sandbox/limits`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ searchPerSecond: 1000, tenSecondly: 10_000 }),
    });
  }, 90_000);

  afterAll(async () => {
    await Promise.all([a?.kill('SIGTERM'), b?.kill('SIGTERM')]);
    await sandbox?.close();
    await drop?.();
  });

  it('GEN-IDEM-1: every webhook sent to both instances, each call written once', async () => {
    const auth = `Basic ${Buffer.from(`${ids.apiId}:${ids.apiToken}`).toString('base64')}`;
    const hooks = (await (
      await fetch(`${sandbox.aircall.url}/v1/webhooks`, { headers: { authorization: auth } })
    ).json()) as {
      webhooks: { token: string }[];
    };
    const token = hooks.webhooks[0]?.token ?? '';
    const webhooks = Array.from({ length: CALLS }, (_, i) =>
      callWebhooks(
        inboundAnsweredScript({
          callId: 9100 + i,
          token,
          external: i % 2 === 0 ? '+33612345678' : `+336200${String(10_000 + i)}`,
          startedAt: Math.floor(Date.now() / 1000) - 300,
        }),
      ),
    ).flat();

    const statuses: number[] = [];
    await Promise.all(
      webhooks.flatMap((body) =>
        [a, b].map(async (p) => {
          const res = await fetch(`${p.url}/webhooks/aircall/${ids.companyId}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(body),
          });
          statuses.push(res.status);
        }),
      ),
    );
    expect(statuses.every((s) => s === 200)).toBe(true);

    const work = async () =>
      (
        (await (
          await fetch(`${b.url}/admin/companies/${ids.companyId}/work`, {
            headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
          })
        ).json()) as { work: { state: string }[] }
      ).work;
    await waitFor(
      'both instances to drain the queue',
      async () => {
        const items = await work();
        return items.length === CALLS && items.every((w) => w.state === 'done');
      },
      40_000,
    );

    const search = async (object: string, properties: string[]) =>
      (
        (await (
          await fetch(`${sandbox.hubspot.url}/crm/v3/objects/${object}/search`, {
            method: 'POST',
            headers: { authorization: `Bearer ${readToken(ids)}`, 'content-type': 'application/json' },
            body: JSON.stringify({ properties, limit: 200 }),
          })
        ).json()) as { results: { properties: Record<string, string> }[] }
      ).results;
    const keys = (await search('calls', [KEY_PROPERTY])).map((r) => r.properties[KEY_PROPERTY]);
    expect(keys.length).toBe(CALLS);
    expect(new Set(keys).size).toBe(CALLS);
    const phones = (await search('contacts', ['phone'])).map((r) => r.properties.phone);
    expect(phones.length).toBe(1 + CALLS / 2);
  }, 90_000);
});
