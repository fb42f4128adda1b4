/**
 * The doctor's checks (GEN-DOC-1..6), pure: the troubleshooting article
 * (seed 004) turned into findings, each naming the fix. The backend feeds
 * them live data (Aircall users and numbers, CRM users, records, describe
 * results: lib/crm/doctor.ts, server/doctor/); GEN-DOC-1 (plan and
 * permission checks) reads each CRM's own API, so its findings are made in
 * lib/crm/<crm>/doctor.ts, and GEN-DOC-6 is the decision trace of a call
 * (plan.ts), so neither is here.
 */

import { phoneFixesFor } from '../phone/match.ts';
import type { CrmRecord, CrmUser } from './plan-types.ts';
import { normaliseEmail } from './users.ts';

export const DOCTOR_CHECKS = [
  'GEN-DOC-1',
  'GEN-DOC-2',
  'GEN-DOC-3',
  'GEN-DOC-4',
  'GEN-DOC-5',
  'GEN-DOC-6',
] as const;
export type DoctorCheck = (typeof DOCTOR_CHECKS)[number];

export interface Finding {
  check: DoctorCheck;
  /** `ok`: the check ran and found nothing to fix (the detail says what it looked at). */
  severity: 'error' | 'warning' | 'info' | 'ok';
  title: string;
  detail: string;
  /** What to do; null only for `ok` findings. */
  fix: string | null;
  examples?: string[];
  count?: number;
  /** GEN-DOC-3: the records whose numbers the one-click rewrite would change. */
  records?: PhoneRewrite[];
}

/** A check that ran and found nothing to fix, saying what it looked at. */
export function passed(check: DoctorCheck, title: string, detail: string): Finding {
  return { check, severity: 'ok', title, detail, fix: null };
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
  /** Default `error`; e.g. a hidden Task field the Task is written without is a `warning`. */
  severity?: 'error' | 'warning';
  /** What it stops, when the default sentence does not fit (a required field on Task stops every log). */
  effect?: string;
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
      severity: f.severity ?? 'error',
      title: `Required field ${f.object}.${f.field}`,
      detail: `${f.object}.${f.label ?? f.field} is required, so ${f.effect ?? `the integration cannot create ${f.object} records for unknown numbers; those calls are logged without a record (GEN-REQ-1)`}.`,
      fix: `Make ${f.object}.${f.field} optional, or give it a default value.`,
    });
  }
  for (const f of hidden) {
    findings.push({
      check: 'GEN-DOC-5',
      severity: f.severity ?? 'error',
      title: `Field ${f.object}.${f.field} not accessible`,
      detail: `The integration's user cannot see ${f.object}.${f.label ?? f.field}, so ${f.effect ?? `${f.object} records cannot be written`}.`,
      fix: `Make ${f.object}.${f.field} visible to the integration's user (field-level security and layout).`,
    });
  }
  return findings;
}

/** GEN-DOC-3 / EXT-FIX-1: one record's phone values that are not in E.164, with their rewrite. */
export interface PhoneRewrite {
  /** The record's kind, as the adapter's `readRecord` and `updateRecord` take it ("contact", "Lead"...). */
  objectType: string;
  recordId: string;
  name: string;
  /** Values that can be rewritten. */
  fixes: { field: string; from: string; to: string }[];
  /** Values that cannot be read as a number: left for a person to correct. */
  unreadable: { field: string; value: string }[];
}

/** The rewrite of each record with a value not in E.164 (GEN-PHONE-1 reads them with `defaultCountry`). */
export function phoneRewritesFor(records: CrmRecord[], defaultCountry: string): PhoneRewrite[] {
  return records.flatMap((r) => {
    const fixes = phoneFixesFor(r, defaultCountry);
    if (fixes.length === 0) return [];
    return [
      {
        objectType: r.kind,
        recordId: r.id,
        name: r.name,
        fixes: fixes.flatMap((f) => (f.e164 ? [{ field: f.field, from: f.value, to: f.e164 }] : [])),
        unreadable: fixes.flatMap((f) => (f.e164 ? [] : [{ field: f.field, value: f.value }])),
      },
    ];
  });
}

/** The installer as the CRM's API shows them now (lib/crm/doctor.ts `CrmDoctor.installer`). */
export interface InstallerCheck {
  name: string;
  email: string | null;
  /** False: the CRM no longer has this user (deleted or deactivated). */
  exists: boolean;
  /** Null when the CRM's API does not say. */
  admin: boolean | null;
  /** The CRM's name for the admin right checked ("Super Admin", "Modify All Data"...). */
  right: string;
}

/**
 * GEN-DOC-2, GEN-ADM-1: the installer must exist and be an admin in the CRM
 * and in Aircall. Aircall's API gives users without a role (API-CONTRACTS
 * 1.6), so on the Aircall side the doctor can only check that the installer
 * is an Aircall user (the same email); Aircall's `user.deleted` webhook
 * stops the integration when they are deleted.
 */
export function checkInstaller(input: {
  crm: string;
  installer: InstallerCheck | null;
  aircallUsers: AircallUserInfo[] | null;
  /** The integration's `inactiveReason`, when it was deactivated (e.g. by GEN-ADM-1). */
  inactiveReason: string | null;
}): Finding[] {
  const { crm, installer } = input;
  const findings: Finding[] = [];
  const reconnect = `An admin of both Aircall and ${crm} must reconnect ${crm} (Connections), then activate the integration again.`;
  if (input.inactiveReason) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'error',
      title: 'The integration was deactivated',
      detail: `It is inactive because ${input.inactiveReason}. Nothing is logged until it is active again (GEN-ACT-1).`,
      fix: reconnect,
    });
  }
  if (!installer) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'warning',
      title: `The installer is not known in ${crm}`,
      detail: `This connection does not record who connected ${crm}, so their admin rights cannot be checked (GEN-ADM-1).`,
      fix: `Reconnect ${crm} as an admin (Connections); the doctor then checks that admin.`,
    });
    return findings;
  }
  const who = installer.email ? `${installer.name} <${installer.email}>` : installer.name;
  if (!installer.exists) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'error',
      title: `The installer no longer exists in ${crm}`,
      detail: `${who}, who connected ${crm}, is deleted or deactivated there, so the integration becomes inactive (GEN-ADM-1).`,
      fix: reconnect,
      examples: [who],
    });
  } else if (installer.admin === false) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'error',
      title: `The installer is not an admin in ${crm}`,
      detail: `${who}, who connected ${crm}, does not have ${installer.right} there; the article requires the installer to be an admin in both systems, and the integration becomes inactive (GEN-ADM-1).`,
      fix: `Give ${installer.name} ${installer.right} in ${crm}, or: ${reconnect}`,
      examples: [who],
    });
  } else if (installer.admin === null) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'info',
      title: `${crm} does not say whether the installer is an admin`,
      detail: `${who} exists in ${crm}, but its API gives no admin right for them, so it is not checked.`,
      fix: `Make sure ${installer.name} has ${installer.right} in ${crm}.`,
    });
  }
  const email = normaliseEmail(installer.email);
  if (input.aircallUsers && email && !input.aircallUsers.some((u) => normaliseEmail(u.email) === email)) {
    findings.push({
      check: 'GEN-DOC-2',
      severity: 'warning',
      title: 'The installer is not an Aircall user',
      detail: `No Aircall user has the email of ${who}. The installer must be an admin in Aircall too; Aircall's API does not give user roles, so only the email is checked.`,
      fix: `Connect ${crm} as a person who is an admin in both Aircall and ${crm}, with the same email in both.`,
      examples: [who],
    });
  }
  if (findings.length === 0) {
    findings.push(
      passed(
        'GEN-DOC-2',
        `The installer is an admin in ${crm}`,
        `${who} has ${installer.right} in ${crm}${input.aircallUsers ? ' and is an Aircall user with the same email' : ''}.`,
      ),
    );
  }
  return findings;
}
