/**
 * What the fault tests (issue 8 "Faults") share: the simulators' fault
 * controls (`/_sandbox/faults`, sandbox/common/sim.ts), a CRM that refuses
 * connections (nothing listens on its port), and reading back, through each
 * CRM's own API, how many activities a call has there.
 */
import type { Server } from 'node:http';
import { KEY_PROPERTY } from '../../lib/crm/hubspot/adapter.ts';
import { jobadderCallReference } from '../../lib/crm/jobadder/mapper.ts';
import { CLAIRE, DEMO_CRMS, type DemoIds } from '../../sandbox/demo.ts';

export type Json = Record<string, unknown>;

export async function http(
  url: string,
  init: { method?: string; token?: string; body?: unknown } = {},
): Promise<{ status: number; json: Json }> {
  const res = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: {
      ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
      ...(init.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(init.body === undefined ? {} : { body: JSON.stringify(init.body) }),
  });
  const text = await res.text();
  return { status: res.status, json: text ? (JSON.parse(text) as Json) : {} };
}

/** Add a fault to a simulator (sandbox/common/sim.ts `faultSchema`). */
export async function fault(simUrl: string, body: Json): Promise<void> {
  const r = await http(`${simUrl}/_sandbox/faults`, { body });
  if (r.status !== 200) throw new Error(`${simUrl} refused the fault: ${JSON.stringify(r.json)}`);
}

export async function clearFaults(simUrl: string): Promise<void> {
  await http(`${simUrl}/_sandbox/faults`, { method: 'DELETE' });
}

/** A simulator's request log (all accounts: token requests carry none). */
export interface LoggedRequest {
  method: string;
  path: string;
  query: string;
  status: number;
  account: string | null;
}

export async function requestLog(simUrl: string): Promise<LoggedRequest[]> {
  const r = await http(`${simUrl}/_sandbox/requests`);
  return r.json.requests as LoggedRequest[];
}

/**
 * The CRM is down: nothing listens on its port, so every connection is
 * refused (ECONNREFUSED), open keep-alive connections included. `restore()`
 * listens on the same port again, with the simulator's state intact.
 */
export function refuseConnections(server: Server, url: string): { restore(): Promise<void> } {
  server.close();
  server.closeAllConnections();
  return {
    restore: () =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(new URL(url).port), '127.0.0.1', () => {
          server.off('error', reject);
          resolve();
        });
      }),
  };
}

/** How many activities a call has in each CRM, and the one activity's fields, read through the CRMs' APIs. */
export function crmReader(urls: { hubspot: string; salesforce: string; jobadder: string }, ids: DemoIds) {
  const hubspotToken = DEMO_CRMS.hubspot.readToken(ids);
  return {
    /** HubSpot calls carrying this call's idempotency key (HS: one per Aircall call). */
    async hubspot(callId: number): Promise<Record<string, string>[]> {
      const r = await http(`${urls.hubspot}/crm/v3/objects/calls/search`, {
        token: hubspotToken,
        body: {
          filterGroups: [
            {
              filters: [
                {
                  propertyName: KEY_PROPERTY,
                  operator: 'EQ',
                  value: `${ids.companyId}:hubspot/call/${callId}/activity`,
                },
              ],
            },
          ],
          properties: [
            KEY_PROPERTY,
            'hs_call_body',
            'hs_call_duration',
            'hs_call_status',
            'hs_call_disposition',
            'hs_call_direction',
          ],
          limit: 10,
        },
      });
      if (r.status !== 200) throw new Error(`HubSpot search: ${r.status} ${JSON.stringify(r.json)}`);
      return (r.json.results as { properties: Record<string, string> }[]).map((x) => x.properties);
    },
    /** Salesforce Tasks of this call (CallObject is the Aircall call id, API-CONTRACTS 3.3). */
    async salesforce(callId: number): Promise<Json[]> {
      const q = `SELECT Id, CallObject, CallDurationInSeconds, Description, Status FROM Task WHERE CallObject = '${callId}'`;
      const r = await http(`${urls.salesforce}/services/data/v60.0/query?q=${encodeURIComponent(q)}`, {
        token: DEMO_CRMS.salesforce.readToken(ids),
      });
      if (r.status !== 200) throw new Error(`Salesforce query: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.records as Json[];
    },
    /** JobAdder notes on Claire's contact whose reference names this call (lib/crm/jobadder/mapper.ts). */
    async jobadder(callId: number): Promise<{ noteId: string; text: string }[]> {
      const q = new URLSearchParams({ Fields: 'text', Reference: jobadderCallReference({ id: callId }) });
      const r = await http(`${urls.jobadder}/v2/contacts/${CLAIRE.id}/notes?${q}`, {
        token: DEMO_CRMS.jobadder.readToken(ids),
      });
      if (r.status !== 200) throw new Error(`JobAdder notes: ${r.status} ${JSON.stringify(r.json)}`);
      return r.json.items as { noteId: string; text: string }[];
    },
  };
}
