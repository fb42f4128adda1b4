/**
 * What the doctor (GEN-DOC-1..5) asks of each CRM, live, beside the adapter
 * (lib/crm/adapter.ts): the CRM's users, the installer's rights, the plan and
 * permission checks its API exposes, a bounded sample of records with their
 * phone fields, and the fields that block or hide what the integration
 * writes. lib/crm/<crm>/doctor.ts implements it over that CRM's REST client;
 * the pure checks that turn these facts into findings are lib/logging/doctor.ts,
 * and server/doctor/integration-checks.ts runs them. Everything is read fresh (an admin
 * is looking), never from the adapter's caches.
 */
import type { Finding, InstallerCheck, RequiredField } from '../logging/doctor.ts';
import type { CrmRecord, CrmUser } from '../logging/plan-types.ts';

/** The most records one doctor run reads for GEN-DOC-3 and GEN-DOC-5 (the findings say so). */
export const DOCTOR_SAMPLE_MAX = 500;

export interface RecordSample {
  records: CrmRecord[];
  /** What was read, for the findings: "the 500 most recently modified Contacts, Leads and Accounts with a phone". */
  scope: string;
  /** More records with a phone exist than were read. */
  truncated: boolean;
}

/** GEN-DOC-5's field checks, or why they do not apply to this CRM. */
export type FieldChecks =
  | {
      applies: true;
      /** Required custom fields on objects the integration creates (GEN-REQ-1). */
      required: RequiredField[];
      /** Fields the integration writes that its user cannot see (SF-TYPE-1's Task `Type`). */
      hidden: RequiredField[];
      /** What was looked at, for the `ok` finding: "the describes of Task, Contact...". */
      scope: string;
    }
  | { applies: false; reason: string };

export interface CrmDoctor {
  /** The CRM's users with their emails (GEN-DOC-2, GEN-EMAIL-1); inactive ones flagged. */
  users(): Promise<CrmUser[]>;
  /** The installer as the CRM sees them now (GEN-ADM-1); null when the connection does not name them. */
  installer(): Promise<InstallerCheck | null>;
  /** GEN-DOC-1: the plan and permission checks this CRM's API exposes, as findings (`ok` ones too). */
  permissions(): Promise<Finding[]>;
  /** Up to `max` records with a phone, most recently modified first (GEN-DOC-3, GEN-DOC-5). */
  sampleRecords(max: number): Promise<RecordSample>;
  /** The record's main phone field(s); a number only elsewhere is "secondary" (seed 004 section 5). */
  readonly primaryPhoneFields: string[];
  fields(): Promise<FieldChecks>;
  /**
   * Whether the doctor's one-click rewrite (EXT-FIX-1 through the adapter's
   * `updateRecord`) can change this CRM's records, and if not why and what to do.
   */
  readonly phoneRewrite: { supported: true } | { supported: false; reason: string; fix: string };
}
