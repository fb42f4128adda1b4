/**
 * The planner's inputs and outputs, shared by every CRM. The engine is pure:
 * the backend gathers these inputs (store, CRM lookups, clock) and executes
 * the writes; nothing here does I/O.
 */
import type { CallState, MessageState } from '../aircall/callState.ts';
import type { TraceStep } from './trace.ts';

export const CRMS = ['hubspot', 'salesforce', 'jobadder'] as const;
export type Crm = (typeof CRMS)[number];

/** A phone field of a CRM record, as stored there (any format). */
export interface RecordPhone {
  /** The CRM's field name: "phone", "mobilephone", "MobilePhone", "mobile"... */
  field: string;
  value: string;
}

/**
 * A CRM record found by the backend's phone lookup for the call's number.
 * The planner re-checks the numbers itself (GEN-PHONE-1/2), so the lookup may
 * be broad (digits, national formats).
 */
export interface CrmRecord {
  id: string;
  /** HubSpot: contact, company; Salesforce: Contact, Lead, Account, PersonAccount; JobAdder: contact, candidate. */
  kind: string;
  name: string;
  phones: RecordPhone[];
  ownerId: string | null;
  /** ISO 8601; used where "most recently updated" decides (SF-MATCH-1, JA-DUP-1). */
  updatedAt: string;
  createdAt?: string | null;
  /** CRM-specific facts about the record the planner needs (cases, tickets, account...). */
  extra?: Record<string, unknown>;
}

/** A CRM user (HubSpot owner, Salesforce User, JobAdder user). */
export interface CrmUser {
  id: string;
  email: string | null;
  name: string;
  /** ISO 8601; SF-OWN-1's "has existed for at least one day". */
  createdAt: string | null;
  active: boolean;
}

/**
 * What this integration already wrote for this call, by the write's `ref`,
 * with the fields last written (so a later plan can keep a value that must
 * not change, e.g. HS-OUT-3's outcome once logged).
 */
export type ExistingWrites = Record<
  string,
  { id: string; target: string; fields?: Record<string, unknown>; basis?: Record<string, unknown> }
>;

export interface PlannerContext {
  /** Injected clock, UNIX ms. */
  now: number;
  /** Company's default country for numbers stored without a country code (GEN-PHONE-1), ISO alpha-2. */
  defaultCountry: string;
  /** Records the backend found for the external number (before E.164 filtering). */
  records: CrmRecord[];
  users: CrmUser[];
  /** CRM user id of the installer (SF-OWN-1/3, GEN-ADM-1). */
  installerUserId: string | null;
  existing: ExistingWrites;
  /**
   * Whether the Aircall number was within its business hours when the call
   * started or the message was sent, as computed by the backend from the
   * number's schedule; null when unknown (then the payload's `open` is used).
   */
  withinBusinessHours: boolean | null;
  /**
   * GEN-NUM-2: the call reached the company through this IVR number and was
   * routed to this destination number (from Aircall's numbers and the call's
   * IVR branch); null when the call did not go through an IVR.
   */
  ivrRoute?: { ivrNumberId: number; destinationNumberId: number | null } | null;
  /** HS-GEN-3, JA-SYNC-1: the Aircall contact that already holds the external number, if any. */
  aircallContact?: { id: number } | null;
  /** EXT-LINK-1: the agent linked this call to this record; it wins over matching. */
  linkedRecord?: CrmRecord | null;
  /** GEN-ACT-2b: the call is replayed by an admin backfill of this window. */
  backfill?: { from: number; to: number } | null;
  /**
   * GEN-REQ-1: record creations the CRM refused (or its metadata says it
   * would refuse) because of a required field, e.g.
   * `{ target: 'salesforce.Lead', field: 'Region__c' }`. The planner then logs
   * the call without that record and names the field in the trace.
   */
  blockedCreates?: { target: string; field: string }[];
  /** CRM-specific facts that are not about one record (pipelines, org features...). */
  crmFacts?: Record<string, unknown>;
}

export type WriteOp = 'create' | 'update';

/** A reference to another write of the same plan, or to an existing CRM object. */
export type WriteLink = { ref: string; as: string } | { id: string; object: string; as: string };

/**
 * One CRM write. `ref` is the write's stable logical name within a call's
 * plans ("activity", "ticket", "record" ...): the backend records the CRM id
 * under it, and the next plan for the same call turns a create into an update
 * of that id (GEN-IDEM-1).
 */
export interface PlannedWrite {
  ref: string;
  op: WriteOp;
  /** "<crm>.<object>", e.g. "hubspot.calls", "salesforce.Task", "jobadder.contactNote", "aircall.contact". */
  target: string;
  /** The CRM id, for updates. */
  id?: string;
  fields: Record<string, unknown>;
  links: WriteLink[];
  /** Rule IDs this write comes from. */
  rules: string[];
  /**
   * What the write was planned from that the CRM does not keep (e.g. the
   * tags an outcome was read from, HS-OUT-3). The backend stores it with the
   * CRM id and hands it back in `ctx.existing[ref].basis`.
   */
  basis?: Record<string, unknown>;
}

export type PlanOutcome =
  /** Writes to make. */
  | 'write'
  /** Nothing now, but a later event may change that (e.g. the call is not over yet). */
  | 'wait'
  /** Nothing, for good, for the reason the trace ends with. */
  | 'nothing';

export interface Plan {
  crm: Crm;
  outcome: PlanOutcome;
  writes: PlannedWrite[];
  trace: TraceStep[];
  /** The record the call or message is logged on, if any (for the panel and the inbox). */
  recordId: string | null;
  /** The call matched no record (EXT-LINK-1 unmatched inbox). */
  unmatched: boolean;
}

export type Subject = { kind: 'call'; call: CallState } | { kind: 'message'; message: MessageState };
