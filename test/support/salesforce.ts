/**
 * What the Salesforce end-to-end tests share: a world whose demo company is
 * connected to the Salesforce simulator through OAuth, and helpers to set the
 * integration's settings, play calls, and read back through Salesforce's own
 * REST API (SOQL, sObject reads) and the backend's traces (GEN-TRACE-1).
 */
import { expect } from 'vitest';
import { salesforceDemoIds } from '../../sandbox/salesforce/demo.ts';
import { loggedOf } from '../../server/store/writes.ts';
import { type StoreKind, startWorld, type World } from './world.ts';

export interface TraceStep {
  rule: string;
  outcome: string;
  detail: string;
}

export interface Logging {
  integrationId: string;
  outcome: string;
  recordId: string | null;
  unmatched: boolean;
  written: Record<string, { target: string; id: string }>;
  trace: TraceStep[];
}

export type Sobject = Record<string, unknown>;

/** The Task fields the tests read back (SPEC section 5, API-CONTRACTS 3.3). */
export const TASK_FIELDS = [
  'Id',
  'Subject',
  'Type',
  'TaskSubtype',
  'CallType',
  'CallDurationInSeconds',
  'CallDisposition',
  'CallObject',
  'ActivityDate',
  'Status',
  'Priority',
  'IsClosed',
  'Description',
  'WhoId',
  'WhatId',
  'OwnerId',
  'CreatedById',
  'LastModifiedById',
  'aircall__Waiting_Time__c',
  'aircall__Answered_by__c',
  'aircall__Phone_number__c',
  'aircall__Country__c',
  'aircall__Call_Recording__c',
  'aircall__Transferred_to__c',
  'aircall__Time_Zone__c',
  'aircall__Time_of_Day__c',
  'aircall__Connection_Status__c',
  'aircall__Was_Connected__c',
];

export interface SalesforceWorld {
  w: World;
  companyId: string;
  /** The demo org's fixed ids: orgId (18 characters), installer, alice, bob, claire. */
  sf: ReturnType<typeof salesforceDemoIds>;
  /** PUT the integration's settings (the whole set: every test passes what it needs). */
  settings(extra?: Record<string, unknown>): Promise<void>;
  /** Play a call through the Aircall simulator and wait until the backend is done with it. */
  playCall(call: Record<string, unknown>, extra?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** `w.settle()`, then also wait out work put back with a delay. */
  settled(timeoutMs?: number): Promise<void>;
  /** The backend's logging of a call for the Salesforce integration (GEN-TRACE-1). */
  logging(callId: number): Promise<Logging>;
  /** The trace of an SMS (no admin route by id: the store keeps it). */
  messageLogging(messageId: string): Promise<{ outcome: string; trace: TraceStep[] }>;
  /** The Task the backend wrote for a call, read back from Salesforce. */
  task(callId: number): Promise<Sobject>;
  /** Tasks whose CallObject is this value (the Aircall call id, or `message:<id>` for SMS). */
  tasksOf(callObject: string): Promise<Sobject[]>;
  /** A record read back from Salesforce. */
  read(sobject: string, id: string): Promise<Sobject>;
  /** SOQL through the read token. */
  soql(q: string): Promise<Sobject[]>;
  /** Add to the demo org; returns the ids the simulator gave, by object. */
  seed(org: Record<string, unknown>): Promise<Record<string, string[]>>;
  /** Seed one record; returns its id. */
  record(sobject: string, fields: Record<string, unknown>): Promise<string>;
  /** The simulator's request log for the demo org, as `METHOD path status`. */
  requests(): Promise<{ method: string; path: string; query: string; status: number }[]>;
  step(trace: TraceStep[], rule: string): TraceStep[];
}

/** A world connected to Salesforce (demo org of sandbox/salesforce/demo.ts) with these settings. */
export async function salesforceWorld(opts: {
  store: StoreKind;
  n: number;
  settings?: Record<string, unknown>;
  env?: Record<string, string>;
  /** Seed the org before the company connects (e.g. Person Accounts, before the adapter reads the org). */
  org?: Record<string, unknown>;
}): Promise<SalesforceWorld> {
  const w = await startWorld({
    store: opts.store,
    n: opts.n,
    crm: 'salesforce',
    settings: opts.settings ?? {},
    ...(opts.env ? { env: opts.env } : {}),
  });
  const ids = w.company.ids;
  const companyId = ids.companyId;
  const sf = salesforceDemoIds(ids);

  const sfApi = async (method: string, path: string, body?: unknown) => {
    const r = await w.salesforce(method, path, body);
    expect(r.status, `${method} ${path}: ${JSON.stringify(r.json)}`).toBeLessThan(300);
    return r.json;
  };
  const soql = async (q: string) => {
    const json = await sfApi('GET', `/query?q=${encodeURIComponent(q)}`);
    return json.records as Sobject[];
  };
  const seed = async (org: Record<string, unknown>) => {
    const r = await w.seedSalesforce(org);
    if (r.status !== 200) throw new Error(`Salesforce seed refused: ${JSON.stringify(r.json)}`);
    return ((r.json.orgs as { ids: Record<string, string[]> }[])[0]?.ids ?? {}) as Record<string, string[]>;
  };
  const logging = async (callId: number): Promise<Logging> => {
    const r = await w.admin('GET', `/admin/companies/${companyId}/calls/${callId}`);
    expect(r.status, JSON.stringify(r.json)).toBe(200);
    const found = (r.json.logging as (Logging & { crm: string })[]).find((l) => l.crm === 'salesforce');
    if (!found) throw new Error(`call ${callId} has no Salesforce logging: ${JSON.stringify(r.json)}`);
    return found;
  };
  const read = async (sobject: string, id: string) => sfApi('GET', `/sobjects/${sobject}/${id}`);
  const settled = async (timeoutMs = 20_000) => {
    const end = Date.now() + timeoutMs;
    for (;;) {
      await w.settle(timeoutMs);
      const r = await w.admin('GET', `/admin/companies/${companyId}/work?state=pending`);
      if ((r.json.work as unknown[]).length === 0) return;
      if (Date.now() > end) throw new Error(`work still pending: ${JSON.stringify(r.json)}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };

  if (opts.org) await seed(opts.org);

  const world: SalesforceWorld = {
    w,
    companyId,
    sf,
    async settings(extra = {}) {
      const r = await w.admin('PUT', `/admin/companies/${companyId}/integrations/salesforce`, {
        name: 'Salesforce e2e',
        connectedNumbers: [1],
        defaultCountry: 'FR',
        ...extra,
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
    },
    async playCall(call, extra = {}) {
      const played = await w.play({ call, ...extra });
      await settled();
      return played;
    },
    settled,
    logging,
    async messageLogging(messageId) {
      const [row] = await loggedOf(w.db, companyId, { kind: 'message', id: messageId });
      if (!row) throw new Error(`message ${messageId} has no trace`);
      return { outcome: row.outcome, trace: row.trace as TraceStep[] };
    },
    async task(callId) {
      const id = (await logging(callId)).written.activity?.id;
      if (!id)
        throw new Error(
          `call ${callId} was not written to Salesforce: ${JSON.stringify(await logging(callId))}`,
        );
      return read('Task', id);
    },
    tasksOf: (callObject) =>
      soql(
        `SELECT ${TASK_FIELDS.join(', ')} FROM Task WHERE CallObject = '${callObject}' ORDER BY CreatedDate`,
      ),
    read,
    soql,
    seed,
    async record(sobject, fields) {
      const id = (await seed({ records: { [sobject]: [fields] } }))[sobject]?.[0];
      if (!id) throw new Error(`the seed returned no ${sobject} id`);
      return id;
    },
    async requests() {
      const res = await fetch(`${w.sandbox.salesforce.url}/_sandbox/requests?account=${sf.orgId}`);
      return (
        (await res.json()) as { requests: { method: string; path: string; query: string; status: number }[] }
      ).requests;
    },
    step: (trace, rule) => trace.filter((s) => s.rule === rule),
  };
  return world;
}
