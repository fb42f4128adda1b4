/**
 * GEN-IDEM-1 with batches (issue 8): kill -9 of the backend while a batch
 * create is in the CRM's hands. The calls of a burst share one lookup (slowed
 * here, so they leave it together) and then one batch create: HubSpot's
 * `batch/create`, Salesforce's sObject Collections upsert. The simulator serves
 * that batch (the activities exist in the CRM) and holds its answer
 * (`holdAnswerMs`, sandbox/common/sim.ts); the test kills the backend before
 * the answer reaches it. Each item had stored its intent and key before the
 * batch left (server/workers/process.ts), so the restarted backend finds every
 * activity of the batch by its key instead of creating it again: one activity
 * per call, none lost, none doubled.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { connectDemoCompany, demoIds } from '../sandbox/demo.ts';
import { type Sandbox, startSandbox } from '../sandbox/start.ts';
import { crmReader, fault, http, type LoggedRequest, requestLog } from './faults/support.ts';
import { type BackendProcess, spawnBackend } from './support/process.ts';
import { freePort } from './support/ports.ts';
import { waitFor } from './support/wait.ts';
import { ADMIN_TOKEN, backendEnv, freshPostgres, sandboxUrls, STORES } from './support/world.ts';

const V = '/services/data/v60.0';
const CALLS = 10;

const CASES = {
  hubspot: {
    firstCall: 9500,
    number: '+33640009501',
    seed: (ids: ReturnType<typeof demoIds>) => ({
      portals: [
        {
          portalId: ids.portalId,
          objects: { contacts: [{ properties: { firstname: 'Rita', phone: '+33640009501' } }] },
        },
      ],
    }),
    lookup: '/crm/v3/objects/contacts/search',
    batch: { method: 'POST', pathPrefix: '/crm/v3/objects/calls/batch/create' },
    recover: (r: LoggedRequest) => r.method === 'POST' && r.path === '/crm/v3/objects/calls/search',
  },
  salesforce: {
    firstCall: 9600,
    number: '+33640009601',
    seed: (ids: ReturnType<typeof demoIds>) => ({
      orgs: [
        {
          orgId: ids.salesforceOrgId,
          records: { Contact: [{ LastName: 'Rita', Phone: '+33640009601' }] },
        },
      ],
    }),
    lookup: `${V}/search`,
    batch: { method: 'PATCH', pathPrefix: `${V}/composite/sobjects/Task/Aircall_Bridge_Key__c` },
    recover: (r: LoggedRequest) =>
      r.method === 'GET' &&
      r.path === `${V}/query` &&
      decodeURIComponent(r.query).includes('Aircall_Bridge_Key__c'),
  },
} as const;
type CrmName = keyof typeof CASES;

describe.each(STORES)(
  'kill -9 while a batch create is in flight (%s store)',
  { timeout: 120_000 },
  (store) => {
    let sandbox: Sandbox;
    let backend: BackendProcess;
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    const ids = demoIds(92, `batching-crash-${store}`);
    const read = () => crmReader(sandboxUrls(sandbox), ids);

    beforeAll(async () => {
      sandbox = await startSandbox();
      let storeEnv: Record<string, string>;
      if (store === 'postgres') {
        const pg = await freshPostgres();
        storeEnv = { DATABASE_URL: pg.url };
        cleanup = pg.drop;
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'batching-crash-'));
        storeEnv = { DATA_DIR: dir };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      }
      // A short lease: the restarted backend resumes the killed run's items a second later.
      env = backendEnv(sandbox, { ...storeEnv, PORT: String(await freePort()), LEASE_MS: '1000' });
      backend = await spawnBackend(env);
      await connectDemoCompany({
        backendUrl: backend.url,
        adminToken: ADMIN_TOKEN,
        urls: sandboxUrls(sandbox),
        ids,
        crms: { hubspot: {}, salesforce: {} },
      });
      // Aircall re-delivers quickly what the dead backend did not acknowledge (API-CONTRACTS 1.3).
      await http(`${sandbox.aircall.url}/_sandbox/limits`, {
        body: {
          webhookRetryBaseMs: 100,
          webhookMaxDelayMs: 1000,
          webhookDeactivateAfter: 100_000,
          webhookMaxAttempts: 1000,
        },
      });
      await http(`${sandbox.hubspot.url}/_sandbox/limits`, {
        body: { tenSecondly: 10_000, searchPerSecond: 1_000 },
      });
    }, 90_000);

    afterAll(async () => {
      await backend?.kill('SIGTERM');
      await sandbox?.close();
      await cleanup?.();
    });

    async function workDone(crm: CrmName, callIds: number[]): Promise<void> {
      await waitFor(
        `the ${crm} work of calls ${callIds.join(', ')} done`,
        async () => {
          const r = await http(`${backend.url}/admin/companies/${ids.companyId}/work`, {
            token: ADMIN_TOKEN,
          });
          const items = (
            (r.json.work ?? []) as { id: string; integrationId: string; state: string }[]
          ).filter((x) => x.integrationId.endsWith(`:${crm}`) && callIds.includes(Number(x.id)));
          return items.length === callIds.length && items.every((x) => x.state === 'done');
        },
        60_000,
      );
    }

    const activities = (crm: CrmName, callId: number) =>
      crm === 'hubspot' ? read().hubspot(callId) : read().salesforce(callId);

    it.each(Object.keys(CASES) as CrmName[])(
      'GEN-IDEM-1: %s: killed while a batch create was answered to nobody: each call of the batch has one activity',
      async (crm) => {
        const c = CASES[crm];
        const sim = sandboxUrls(sandbox)[crm];
        const seeded = await http(`${sim}/_sandbox/seed`, { body: c.seed(ids) });
        expect(seeded.status, JSON.stringify(seeded.json)).toBe(200);
        const callIds = Array.from({ length: CALLS }, (_, i) => c.firstCall + i);
        const from = (await requestLog(sim)).length;
        // Every item waits for the one slow lookup of the number, then their creates leave together.
        await fault(sim, { pathPrefix: c.lookup, latencyMs: 1_500, count: 1 });
        await fault(sim, { ...c.batch, holdAnswerMs: 8_000, count: 1 });
        const plays = callIds.map((callId) =>
          http(`${sandbox.aircall.url}/_sandbox/scenarios/play`, {
            body: {
              company: ids.aircallCompanyId,
              call: {
                callId,
                direction: 'inbound',
                external: c.number,
                answerAfter: 4,
                talk: 60,
                user: ALICE,
              },
              spacingMs: 50,
            },
          }),
        );
        // The batch was served (the hold fault is used up) and its activities are in the CRM.
        const simFaults = sandbox[crm].sim.faults;
        await waitFor(
          'the batch create served',
          async () => !simFaults.some((f) => f.holdAnswerMs !== undefined),
        );
        const inBatch = await waitFor(`the ${crm} activities of the held batch`, async () => {
          const n = (await Promise.all(callIds.map((id) => activities(crm, id)))).filter(
            (a) => a.length > 0,
          ).length;
          return n >= 2 ? n : 0;
        });
        const killedAt = (await requestLog(sim)).length;
        await backend.kill('SIGKILL');
        backend = await spawnBackend(env);
        for (const p of plays) expect((await p).status).toBe(200);
        await sandbox.aircall.sim.flush();
        await workDone(crm, callIds);

        for (const callId of callIds) {
          expect(await activities(crm, callId), `${crm} activities of call ${callId}`).toHaveLength(1);
        }
        const log = await requestLog(sim);
        const shown = log
          .slice(from)
          .map((r) => `${r.method} ${r.path}?${decodeURIComponent(r.query)} ${r.status}`)
          .join('\n');
        // The resumed workers looked the held batch's activities up by their keys.
        expect(
          log.slice(killedAt).filter((r) => c.recover(r)).length,
          `${inBatch} activities were in the held batch:\n${shown}`,
        ).toBeGreaterThan(0);
      },
    );
  },
);
