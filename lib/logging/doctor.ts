/**
 * The doctor's checks (GEN-DOC-1..6), pure: the troubleshooting article
 * (seed 004) turned into findings, each naming the fix. The backend feeds
 * them live data (Aircall users and numbers, CRM users, records, describe
 * results); GEN-DOC-1 (plan and permission checks) needs the CRMs' APIs and
 * GEN-DOC-6 is the decision trace of a call (plan.ts), so neither is here.
 */

import { phoneFixesFor } from '../phone/match.ts';
import type { CrmRecord, CrmUser } from './plan-types.ts';
import { normaliseEmail } from './users.ts';

export interface Finding {
  check: 'GEN-DOC-2' | 'GEN-DOC-3' | 'GEN-DOC-4' | 'GEN-DOC-5';
  severity: 'error' | 'warning' | 'info';
  title: string;
  detail: string;
  fix: string;
  examples?: string[];
  count?: number;
}

export interface AircallUserInfo {
  id: number;
  name: string;
  email: string | null;
  isAdmin?: boolean;
}

/** GEN-DOC-2, GEN-EMAIL-1: Aircall users whose email matches no CRM user, or only ignoring case. */
export function checkUserEmails(aircallUsers: AircallUserInfo[], crmUsers: CrmUser[]): Finding[] {
  const findings: Finding[] = [];
  const exact = new Set(crmUsers.map((u) => u.email?.trim()).filter(Boolean));
  const folded = new Map(crmUsers.map((u) => [normaliseEmail(u.email), u] as const));
  const missingEmail = aircallUsers.filter((u) => !normaliseEmail(u.email));
  const caseOnly = aircallUsers.filter(
    (u) => u.email && !exact.has(u.email.trim()) && folded.has(normaliseEmail(u.email)),
  );
  const unmatched = aircallUsers.filter(
    (u) => normaliseEmail(u.email) && !folded.has(normaliseEmail(u.email)),
  );
  if (caseOnly.length > 0) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'warning',
      title: 'Emails that match only when case is ignored',
      detail: `${caseOnly.length} Aircall user(s) match a CRM user only if upper and lower case are ignored. This product matches them, but other tools may not.`,
      fix: 'Write each email the same way in Aircall and in the CRM.',
      examples: caseOnly.slice(0, 5).map((u) => `${u.name} <${u.email}>`),
      count: caseOnly.length,
    });
  }
  if (unmatched.length > 0) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'error',
      title: 'Aircall users with no CRM user of the same email',
      detail: `${unmatched.length} Aircall user(s) have no CRM user with their email: their calls get the fallback owner instead of them.`,
      fix: 'Give each agent the same email in Aircall and in the CRM, or create their CRM user.',
      examples: unmatched.slice(0, 5).map((u) => `${u.name} <${u.email}>`),
      count: unmatched.length,
    });
  }
  if (missingEmail.length > 0) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'error',
      title: 'Aircall users without an email',
      detail: `${missingEmail.length} Aircall user(s) have no email, so they cannot be matched to a CRM user.`,
      fix: 'Add their email in Aircall.',
      examples: missingEmail.slice(0, 5).map((u) => u.name),
      count: missingEmail.length,
    });
  }
  return findings;
}

export interface InstallerFacts {
  /** The installer still exists and is an admin in Aircall. */
  aircallAdmin: boolean;
  /** The installer still exists and is an admin in the CRM. */
  crmAdmin: boolean;
  name: string;
}

/**
 * GEN-ADM-1: if the installer is deleted or loses admin rights in either
 * system, the integration becomes inactive, and the dashboard says why.
 * Returns the reason, or null when the installer is fine.
 */
export function installerInactiveReason(installer: InstallerFacts): string | null {
  const lost = [!installer.aircallAdmin && 'Aircall', !installer.crmAdmin && 'the CRM'].filter(Boolean);
  if (lost.length === 0) return null;
  return `the installer ${installer.name} is no longer an admin in ${lost.join(' and ')}; an admin of both must reconnect the integration`;
}

/** GEN-DOC-3: CRM records whose phone numbers are not in E.164, with examples and their rewrite. */
export function checkPhoneFormats(records: CrmRecord[], defaultCountry: string): Finding[] {
  const fixes = records.flatMap((r) => phoneFixesFor(r, defaultCountry).map((f) => ({ record: r, ...f })));
  if (fixes.length === 0) return [];
  const unreadable = fixes.filter((f) => f.e164 === null);
  const findings: Finding[] = [
    {
      check: 'GEN-DOC-3',
      severity: 'warning',
      title: 'Phone numbers not stored in E.164',
      detail: `${fixes.length} phone value(s) on ${new Set(fixes.map((f) => f.record.id)).size} record(s) are not in E.164. This product reads them with the default country ${defaultCountry}; Aircall's own integrations may not.`,
      fix: 'Rewrite them in E.164 (one click in the dashboard or the panel).',
      examples: fixes
        .slice(0, 5)
        .map((f) => `${f.record.name} ${f.field}: "${f.value}" → ${f.e164 ?? 'unreadable'}`),
      count: fixes.length,
    },
  ];
  if (unreadable.length > 0) {
    findings.push({
      check: 'GEN-DOC-3',
      severity: 'error',
      title: 'Phone values that cannot be read',
      detail: `${unreadable.length} phone value(s) cannot be read as a number and never match a call.`,
      fix: 'Correct them by hand in the CRM, in E.164 (e.g. +33176360695).',
      examples: unreadable.slice(0, 5).map((f) => `${f.record.name} ${f.field}: "${f.value}"`),
      count: unreadable.length,
    });
  }
  return findings;
}

export interface AircallNumberInfo {
  id: number;
  name: string;
  isIvr: boolean;
  /** Numbers an IVR routes to. */
  ivrDestinationIds: number[];
}

/** GEN-DOC-4: Aircall numbers not connected, IVR destinations not connected, and the reverse (GEN-NUM-2). */
export function checkNumbers(numbers: AircallNumberInfo[], connected: number[]): Finding[] {
  const isConnected = (id: number) => connected.includes(id);
  const name = (id: number) => numbers.find((n) => n.id === id)?.name ?? `number ${id}`;
  const findings: Finding[] = [];
  const notConnected = numbers.filter((n) => !isConnected(n.id));
  if (notConnected.length > 0) {
    findings.push({
      check: 'GEN-DOC-4',
      severity: 'info',
      title: 'Aircall numbers not connected',
      detail: `${notConnected.length} Aircall number(s) are not connected: their calls and SMS are not logged.`,
      fix: "Connect them in the integration's numbers if their calls should be logged.",
      examples: notConnected.map((n) => n.name),
      count: notConnected.length,
    });
  }
  for (const ivr of numbers.filter((n) => n.isIvr)) {
    const missing = ivr.ivrDestinationIds.filter((id) => !isConnected(id));
    if (isConnected(ivr.id) && missing.length > 0) {
      findings.push({
        check: 'GEN-DOC-4',
        severity: 'error',
        title: `IVR ${ivr.name}: destinations not connected`,
        detail: `Calls through IVR ${ivr.name} to ${missing.map(name).join(', ')} are not logged: both the IVR and the destination must be connected (GEN-NUM-2).`,
        fix: `Connect ${missing.map(name).join(', ')}.`,
      });
    }
    const connectedDestinations = ivr.ivrDestinationIds.filter(isConnected);
    if (!isConnected(ivr.id) && connectedDestinations.length > 0) {
      findings.push({
        check: 'GEN-DOC-4',
        severity: 'error',
        title: `IVR ${ivr.name} not connected`,
        detail: `Calls reaching ${connectedDestinations.map(name).join(', ')} through IVR ${ivr.name} are not logged, because the IVR number is not connected (GEN-NUM-2).`,
        fix: `Connect ${ivr.name}.`,
      });
    }
  }
  return findings;
}

export interface RequiredField {
  /** CRM object, e.g. "Lead", "contacts". */
  object: string;
  field: string;
  label?: string;
}

/**
 * GEN-DOC-5: numbers stored only in secondary phone fields (this product
 * matches them, GEN-PHONE-2, but the article warns other tools may not), and
 * required custom fields that stop the integration from creating records
 * (GEN-REQ-1), or hidden fields it needs (SF-TYPE-1's Task `Type`).
 */
export function checkFields(
  records: CrmRecord[],
  primaryFields: string[],
  required: RequiredField[],
  hidden: RequiredField[] = [],
): Finding[] {
  const findings: Finding[] = [];
  const secondaryOnly = records.filter(
    (r) =>
      r.phones.some((p) => p.value.trim()) &&
      !r.phones.some((p) => primaryFields.includes(p.field) && p.value.trim()),
  );
  if (secondaryOnly.length > 0) {
    findings.push({
      check: 'GEN-DOC-5',
      severity: 'info',
      title: 'Numbers only in secondary phone fields',
      detail: `${secondaryOnly.length} record(s) have a number only outside ${primaryFields.join(', ')}. This product matches them; Aircall's own integrations may not.`,
      fix: `Keep each record's main number in ${primaryFields[0] ?? 'the main phone field'}.`,
      examples: secondaryOnly.slice(0, 5).map((r) => `${r.name}: ${r.phones.map((p) => p.field).join(', ')}`),
      count: secondaryOnly.length,
    });
  }
  for (const f of required) {
    findings.push({
      check: 'GEN-DOC-5',
      severity: 'error',
      title: `Required field ${f.object}.${f.field}`,
      detail: `${f.object}.${f.label ?? f.field} is required, so the integration cannot create ${f.object} records for unknown numbers; those calls are logged without a record (GEN-REQ-1).`,
      fix: `Make ${f.object}.${f.field} optional, or give it a default value.`,
    });
  }
  for (const f of hidden) {
    findings.push({
      check: 'GEN-DOC-5',
      severity: 'error',
      title: `Field ${f.object}.${f.field} not accessible`,
      detail: `The integration's user cannot see ${f.object}.${f.label ?? f.field}, so ${f.object} records cannot be written.`,
      fix: `Make ${f.object}.${f.field} visible to the integration's user (field-level security and layout).`,
    });
  }
  return findings;
}
