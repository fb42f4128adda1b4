/**
 * What the doctor's end-to-end tests share: a world whose demo company is
 * connected to HubSpot, Salesforce and JobAdder at once, and readers of the
 * doctor's answer (GEN-DOC-1..6, lib/api/contract-doctor.ts).
 */
import { expect } from 'vitest';
import { connectDemoCrm } from '../../sandbox/demo.ts';
import type { Crm } from '../../lib/logging/plan-types.ts';
import { ADMIN_TOKEN, type StoreKind, sandboxUrls, startWorld, type World } from './world.ts';

export interface FindingJson {
  check: string;
  severity: 'error' | 'warning' | 'info' | 'ok';
  title: string;
  detail: string;
  fix: string | null;
  examples: string[];
  count: number | null;
  records?: {
    objectType: string;
    recordId: string;
    name: string;
    fixes: { field: string; from: string; to: string }[];
    unreadable: { field: string; value: string }[];
  }[];
}

export interface DoctorJson {
  ranAt: number;
  integrations: {
    integrationId: string;
    crm: Crm;
    label: string;
    active: boolean;
    findings: FindingJson[];
    phoneRewrite: { supported: boolean; reason: string | null };
  }[];
}

/** A world (HubSpot first, as startWorld connects it) with Salesforce and JobAdder connected too. */
export async function startDoctorWorld(store: StoreKind, n: number): Promise<World> {
  const w = await startWorld({ store, n });
  for (const crm of ['salesforce', 'jobadder'] as const) {
    await connectDemoCrm({
      backendUrl: w.backend.url,
      adminToken: ADMIN_TOKEN,
      urls: sandboxUrls(w.sandbox),
      ids: w.company.ids,
      crm,
      settings: {},
    });
  }
  return w;
}

/** GET /admin/companies/:id/doctor; always 200 (a check that cannot run is a finding). */
export async function runDoctor(w: World, crm?: Crm): Promise<DoctorJson> {
  const r = await w.admin(
    'GET',
    `/admin/companies/${w.company.ids.companyId}/doctor${crm ? `?crm=${crm}` : ''}`,
  );
  expect(r.status, JSON.stringify(r.json)).toBe(200);
  return r.json as unknown as DoctorJson;
}

/** The findings of one integration for one check. */
export function findingsOf(d: DoctorJson, crm: Crm, check: string): FindingJson[] {
  const i = d.integrations.find((x) => x.crm === crm);
  if (!i) throw new Error(`no ${crm} integration in the doctor's answer: ${JSON.stringify(d)}`);
  return i.findings.filter((f) => f.check === check);
}

/** The one finding with this title (fails, showing what there is, when absent). */
export function finding(d: DoctorJson, crm: Crm, check: string, title: string | RegExp): FindingJson {
  const all = findingsOf(d, crm, check);
  const hit = all.find((f) => (typeof title === 'string' ? f.title === title : title.test(f.title)));
  if (!hit) throw new Error(`${crm} ${check} has no finding "${title}": ${JSON.stringify(all, null, 1)}`);
  return hit;
}

/** Every finding names its fix, except the `ok` ones. */
export function expectFixes(d: DoctorJson): void {
  for (const i of d.integrations) {
    for (const f of i.findings) {
      if (f.severity === 'ok') expect(f.fix).toBeNull();
      else expect(f.fix, `${i.crm} ${f.check} "${f.title}" has no fix`).toMatch(/\w/);
    }
  }
}

export async function seedOk(r: Promise<{ status: number; json: Record<string, unknown> }>) {
  const res = await r;
  expect(res.status, JSON.stringify(res.json)).toBe(200);
  return res.json;
}
