/**
 * What the JobAdder end-to-end tests (test/jobadder-*.test.ts) share on top
 * of the world (test/support/world.ts): the integration's settings through
 * the admin API, waiting for the backend, the backend's traces, and JobAdder
 * read back through its own API with the demo account's read token, as a
 * person would.
 */
import { expect } from 'vitest';
import { loggedOf } from '../../server/store/writes.ts';
import type { World } from './world.ts';

export type Json = Record<string, unknown>;

export interface TraceStep {
  rule: string;
  outcome: 'applied' | 'stopped' | 'skipped';
  detail: string;
}

export interface Logging {
  outcome: 'write' | 'wait' | 'nothing';
  recordId: string | null;
  unmatched: boolean;
  written: Record<string, { target: string; id: string }>;
  trace: TraceStep[];
}

/** A note as JobAdder lists it (NoteSummaryModel with `Fields=text`, API-CONTRACTS 4.2). */
export interface JaNote {
  noteId: string;
  type: string;
  text: string;
  reference: string | null;
  createdAt: string;
  updatedAt: string;
  createdBy?: { userId: number; email: string } | null;
}

export interface SeededAccount {
  userIds: number[];
  contactIds: number[];
  candidateIds: number[];
}

export function step(trace: TraceStep[], rule: string): TraceStep[] {
  return trace.filter((s) => s.rule === rule);
}

export function jobadderHelpers(w: World) {
  const companyId = w.company.ids.companyId;
  const accountId = String(w.company.ids.jobadderAccountId);

  return {
    companyId,
    accountId,

    /** PUT replaces the settings: every test states all it needs. */
    async settings(extra: Json = {}): Promise<Json> {
      const r = await w.admin('PUT', `/admin/companies/${companyId}/integrations/jobadder`, {
        name: 'JobAdder e2e',
        connectedNumbers: [1],
        defaultCountry: 'FR',
        ...extra,
      });
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json;
    },

    /** Seed people (and more) into the demo JobAdder account; returns the ids in seed order. */
    async seed(account: Json): Promise<SeededAccount> {
      const r = await w.seedJobadder(account);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const [seeded] = (r.json.accounts ?? []) as SeededAccount[];
      if (!seeded) throw new Error('the JobAdder seed returned no account');
      return seeded;
    },

    /** w.settle(), then also the work the backend postponed (retries), so JobAdder is never read too early. */
    async settled(timeoutMs = 20_000): Promise<void> {
      const end = Date.now() + timeoutMs;
      for (;;) {
        await w.settle();
        const [open] = await w.db.query<{ n: number }>(
          `select count(*)::int as n from work where company_id = $1 and state in ('pending', 'running')`,
          [companyId],
        );
        if ((open?.n ?? 0) === 0) return;
        if (Date.now() > end) throw new Error(`work of ${companyId} did not settle`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },

    /** The backend's logging of a call for the JobAdder integration (GEN-TRACE-1). */
    async callLogging(callId: number): Promise<Logging> {
      const r = await w.admin('GET', `/admin/companies/${companyId}/calls/${callId}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      const [logging] = r.json.logging as Logging[];
      if (!logging) throw new Error(`call ${callId} has no logging`);
      return logging;
    },

    /** SMS have no admin route by id; the backend's store keeps their trace (GEN-TRACE-1). */
    async messageTrace(messageId: string): Promise<{ outcome: string; trace: TraceStep[] }> {
      const [row] = await loggedOf(w.db, companyId, { kind: 'message', id: messageId });
      if (!row) throw new Error(`message ${messageId} has no trace`);
      return { outcome: row.outcome, trace: row.trace as TraceStep[] };
    },

    /** Every note of a contact or candidate, oldest first, with its whole text, read through JobAdder's API. */
    async notesOf(kind: 'contacts' | 'candidates', id: number | string, type?: string): Promise<JaNote[]> {
      const q = new URLSearchParams({ Fields: 'text', Sort: 'createdAt', Limit: '100' });
      if (type) q.set('Type', type);
      const r = await w.jobadder('GET', `/${kind}/${id}/notes?${q}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json.items as JaNote[];
    },

    /** One note, `GET /notes/{noteId}`. */
    async note(noteId: string): Promise<JaNote> {
      const r = await w.jobadder('GET', `/notes/${noteId}`);
      expect(r.status, JSON.stringify(r.json)).toBe(200);
      return r.json as unknown as JaNote;
    },

    /** The JobAdder simulator's request log for the demo account (`GET /_sandbox/requests?account=`). */
    async requests(): Promise<{ method: string; path: string; query: string; status: number }[]> {
      const res = await fetch(`${w.sandbox.jobadder.url}/_sandbox/requests?account=${accountId}`);
      return (
        (await res.json()) as { requests: { method: string; path: string; query: string; status: number }[] }
      ).requests;
    },

    /** Token endpoint calls (they carry no account). */
    async tokenCalls(): Promise<{ status: number }[]> {
      const res = await fetch(`${w.sandbox.jobadder.url}/_sandbox/requests`);
      return (
        (await res.json()) as { requests: { method: string; path: string; status: number }[] }
      ).requests.filter((r) => r.method === 'POST' && r.path === '/connect/token');
    },
  };
}
