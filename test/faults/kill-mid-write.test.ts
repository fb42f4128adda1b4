/**
 * Issue 8 "Faults": kill -9 of the backend between a CRM write and its
 * commit. test/crash.test.ts kills at random moments of a burst; here the
 * kill lands in that window on purpose, for each CRM: the simulator serves
 * the create (the activity exists in the CRM) and holds its answer
 * (`holdAnswerMs`, sandbox/common/sim.ts); the test sees the activity through
 * the CRM's API and kills the backend process (SIGKILL) before the answer
 * reaches it. The call's later events arrive while it is dead (Aircall
 * re-delivers them). Restarted, the backend finds the stored intent without
 * a CRM id, asks the CRM for the object by its idempotency key instead of
 * creating it again, and brings it up to date: exactly one activity per call,
 * with the final values (the same as a call logged without a fault).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { KEY_PROPERTY } from '../../lib/crm/hubspot/adapter.ts';
import { CLAIRE, connectDemoCompany, demoIds } from '../../sandbox/demo.ts';
import { type Sandbox, startSandbox } from '../../sandbox/start.ts';
import { type BackendProcess, spawnBackend } from '../support/process.ts';
import { freePort } from '../support/ports.ts';
import { waitFor } from '../support/wait.ts';
import { ADMIN_TOKEN, backendEnv, freshPostgres, sandboxUrls, STORES } from '../support/world.ts';
import { crmReader, fault, http, requestLog } from './support.ts';

const CRMS = ['hubspot', 'salesforce', 'jobadder'] as const;
type CrmName = (typeof CRMS)[number];

const COMMENT = 'Wants the signed quote by Friday';
const SUMMARY = 'Claire confirmed the order and asked for the signed quote.';

interface Logged {
  method: string;
  path: string;
  query: string;
}

/** Each CRM's create of the call activity, and how a resumed worker finds it by its key (GEN-IDEM-1). */
const WRITES: Record<
  CrmName,
  { create: { method: string; pathPrefix: string }; recover(r: Logged): boolean }
> = {
  // POST /crm/v3/objects/calls; found again by searching the key property.
  hubspot: {
    create: { method: 'POST', pathPrefix: '/crm/v3/objects/calls' },
    recover: (r) => r.method === 'POST' && r.path === '/crm/v3/objects/calls/search',
  },
  // An upsert on the external id; found again by SOQL on that field.
  salesforce: {
    create: { method: 'PATCH', pathPrefix: '/services/data/v60.0/sobjects/Task/Aircall_Bridge_Key__c/' },
    recover: (r) =>
      r.method === 'GET' &&
      r.path === '/services/data/v60.0/query' &&
      decodeURIComponent(r.query).includes('Aircall_Bridge_Key__c'),
  },
  // POST /contacts/{id}/notes; found again by its `reference`.
  jobadder: {
    create: { method: 'POST', pathPrefix: `/v2/contacts/${CLAIRE.id}/notes` },
    recover: (r) =>
      r.method === 'GET' && r.path === `/v2/contacts/${CLAIRE.id}/notes` && r.query.includes('Reference='),
  },
};

describe.each(STORES)(
  'kill -9 between a CRM write and its commit (%s store)',
  { timeout: 120_000 },
  (store) => {
    let sandbox: Sandbox;
    let backend: BackendProcess;
    let env: Record<string, string>;
    let cleanup: () => Promise<void>;
    const ids = demoIds(87, `faults-kill-${store}`);
    const read = () => crmReader(sandboxUrls(sandbox), ids);

    beforeAll(async () => {
      sandbox = await startSandbox();
      let storeEnv: Record<string, string>;
      if (store === 'postgres') {
        const pg = await freshPostgres();
        storeEnv = { DATABASE_URL: pg.url };
        cleanup = pg.drop;
      } else {
        const dir = mkdtempSync(join(tmpdir(), 'faults-kill-'));
        storeEnv = { DATA_DIR: dir };
        cleanup = async () => rmSync(dir, { recursive: true, force: true });
      }
      // A short lease: the restarted backend resumes the killed run's item a second later.
      env = backendEnv(sandbox, { ...storeEnv, PORT: String(await freePort()), LEASE_MS: '1000' });
      backend = await spawnBackend(env);
      await connectDemoCompany({
        backendUrl: backend.url,
        adminToken: ADMIN_TOKEN,
        urls: sandboxUrls(sandbox),
        ids,
        crms: { hubspot: {}, salesforce: {}, jobadder: {} },
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

    /** Events a few hundred ms apart: the tag, the comment and the summary come after the end. */
    const play = (callId: number) =>
      http(`${sandbox.aircall.url}/_sandbox/scenarios/play`, {
        body: {
          company: ids.aircallCompanyId,
          call: {
            callId,
            direction: 'inbound',
            external: CLAIRE.e164,
            answerAfter: 4,
            talk: 95,
            user: ALICE,
            tags: [{ id: 33, name: 'VIP' }],
            comments: [{ id: callId * 10, content: COMMENT, by: ALICE }],
            summary: SUMMARY,
          },
          spacingMs: 300,
        },
      });

    async function workDone(callId: number): Promise<void> {
      await waitFor(
        `every CRM's work of call ${callId} done`,
        async () => {
          const r = await http(`${backend.url}/admin/companies/${ids.companyId}/work`, {
            token: ADMIN_TOKEN,
          });
          const items = ((r.json.work ?? []) as { id: string; state: string }[]).filter(
            (x) => x.id === String(callId),
          );
          return items.length === CRMS.length && items.every((x) => x.state === 'done');
        },
        60_000,
      );
    }

    /** What a call's activity holds in each CRM that must be final: compared with a call logged without a fault. */
    async function finalValues(crm: CrmName, callId: number): Promise<unknown> {
      if (crm === 'hubspot') {
        const [call] = await read().hubspot(callId);
        return {
          duration: call?.hs_call_duration,
          status: call?.hs_call_status,
          disposition: call?.hs_call_disposition,
          direction: call?.hs_call_direction,
          comment: call?.hs_call_body?.includes(COMMENT),
          summary: call?.hs_call_body?.includes(SUMMARY),
          tag: call?.hs_call_body?.includes('VIP'),
        };
      }
      if (crm === 'salesforce') {
        const [task] = await read().salesforce(callId);
        const description = String(task?.Description ?? '');
        return {
          duration: task?.CallDurationInSeconds,
          status: task?.Status,
          comment: description.includes(COMMENT),
        };
      }
      const [note] = await read().jobadder(callId);
      return { comment: note?.text.includes(COMMENT), summary: note?.text.includes(SUMMARY) };
    }

    const control: Partial<Record<CrmName, unknown>> = {};

    it('a call logged without a fault, to compare with', async () => {
      expect((await play(8700)).status).toBe(200);
      await sandbox.aircall.sim.flush();
      await workDone(8700);
      for (const crm of CRMS) {
        control[crm] = await finalValues(crm, 8700);
        // The final values include what came after the call ended (a comment).
        expect(control[crm], crm).toMatchObject({ comment: true });
      }
    });

    it.each(CRMS.map((crm, i) => [crm, 8701 + i] as const))(
      'GEN-IDEM-1: %s: killed after the CRM wrote the activity, before the backend recorded it: one activity, with the final values',
      async (crm, callId) => {
        const sim = sandboxUrls(sandbox)[crm];
        const activities = () =>
          crm === 'hubspot'
            ? read().hubspot(callId)
            : crm === 'salesforce'
              ? read().salesforce(callId)
              : read().jobadder(callId);
        // Seen while the answer is held. HubSpot is read in the simulator's memory: a search
        // through its API would be a POST under the held path.
        const written = async () =>
          crm === 'hubspot'
            ? sandbox.hubspot.sim
                .objects(ids.portalId, 'calls')
                .some(
                  (o) => o.properties[KEY_PROPERTY] === `${ids.companyId}:hubspot/call/${callId}/activity`,
                )
            : (await activities()).length > 0;

        const from = (await requestLog(sim)).length;
        await fault(sim, { ...WRITES[crm].create, holdAnswerMs: 5_000, count: 1 });
        const played = play(callId);
        await waitFor(`the ${crm} activity of call ${callId} written`, written);
        // The CRM has the activity; its answer is held: kill the backend now.
        const killedAt = (await requestLog(sim)).length;
        await backend.kill('SIGKILL');
        backend = await spawnBackend(env);
        expect((await played).status).toBe(200);
        await sandbox.aircall.sim.flush();
        await workDone(callId);
        const log = await requestLog(sim);

        expect(await activities(), `${crm} activities of call ${callId}`).toHaveLength(1);
        expect(await finalValues(crm, callId)).toEqual(control[crm]);
        // The kill landed in the window: the create's answer went to a dead process (the simulator
        // logs answered requests: it is not there), no create was made after the restart, and the
        // resumed worker found the activity by its key.
        const shown = log
          .slice(from)
          .map((r) => `${r.method} ${r.path}?${decodeURIComponent(r.query)} ${r.status}`)
          .join('\n');
        const { method, pathPrefix } = WRITES[crm].create;
        const creates = log
          .slice(from)
          .filter(
            (r) =>
              r.method === method &&
              (crm === 'salesforce' ? r.path.startsWith(pathPrefix) : r.path === pathPrefix),
          );
        expect(creates, shown).toEqual([]);
        expect(
          log.slice(killedAt).some((r) => WRITES[crm].recover(r)),
          shown,
        ).toBe(true);
      },
    );
  },
);
