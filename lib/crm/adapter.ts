/**
 * What the backend asks of each CRM (STYLE.md 1: one CRM, one folder, one
 * interface): gather the facts the planner reads, and execute its writes.
 * lib/crm/<crm>/adapter.ts implements it over that CRM's REST client.
 */
import type { CrmRecord, CrmUser, ExistingWrites, PlannedWrite } from '../logging/plan-types.ts';
import type { IntegrationSettings } from '../logging/settings-union.ts';

/** A link of a write with the CRM id resolved (a ref of the same plan, or an existing object). */
export interface ResolvedLink {
  id: string;
  /** The CRM object type of `id` (HubSpot "contacts", Salesforce "Contact"...). */
  object: string;
  as: string;
}

export interface GatherInput {
  settings: IntegrationSettings;
  kind: 'call' | 'message';
  /** The other party in E.164, or null when unreadable/anonymous (nothing to look up). */
  externalE164: string | null;
  existing: ExistingWrites;
  /** EXT-LINK-1: the record an agent linked the call to. */
  linkedRecord: { id: string; kind: string } | null;
  /** The call type (lib/logging/classify.ts), when known: lets an adapter skip lookups the settings do not need. */
  activityType: string | null;
}

export interface Gathered {
  records: CrmRecord[];
  users: CrmUser[];
  installerUserId: string | null;
  linkedRecord: CrmRecord | null;
  crmFacts: Record<string, unknown>;
  blockedCreates?: { target: string; field: string }[];
  /**
   * Settings the CRM's state changed (HS-TIX-2: a deleted pipeline or stage
   * turns the types that used it into "do nothing"); the backend saves them,
   * shows the warnings, and plans with them.
   */
  /**
   * GEN-ADM-1: whether the installer still exists and is an admin in the CRM,
   * when the adapter checked (at most every few minutes).
   */
  installerStatus?: { name: string; crmAdmin: boolean };
  settingsUpdate?: { settings: IntegrationSettings; warnings: { rule: string; message: string }[] };
}

export interface CrmAdapter {
  gather(input: GatherInput): Promise<Gathered>;
  /** Create the object; `key` is unique per (integration, call, ref) and stored with it for `recover`. */
  create(write: PlannedWrite, links: ResolvedLink[], key: string): Promise<string>;
  /** Find what an interrupted `create` with this key may have made; null when it never reached the CRM. */
  recover(write: PlannedWrite, key: string): Promise<string | null>;
  /** Update the object and add the links it does not have yet. */
  update(write: PlannedWrite, id: string, newLinks: ResolvedLink[]): Promise<void>;
  /** The CRM object type a write target names ("hubspot.calls" -> "calls"). */
  objectOf(target: string): string;
  /** One record, with its phone fields (EXT-LINK-1, EXT-FIX-1); null when it does not exist. */
  readRecord(objectType: string, id: string): Promise<CrmRecord | null>;
  /** Set fields of a record (EXT-FIX-1 phone rewrite). */
  updateRecord(objectType: string, id: string, fields: Record<string, string>): Promise<void>;
  /** The call outcomes an agent may pick (HS-OUT-4); empty for CRMs without outcomes. */
  outcomes(): Promise<{ id: string; label: string }[]>;
  /**
   * Compare the settings with the CRM as it is now (HS-TIX-2: a deleted ticket
   * pipeline or stage), reading it fresh; null when nothing needs to change.
   */
  checkSettings(settings: IntegrationSettings): Promise<Gathered['settingsUpdate'] | null>;
}

/** The CRM needs an admin to reconnect (refresh token refused): work pauses, nothing is lost. */
export class NeedsReconnection extends Error {
  readonly provider: string;
  constructor(provider: string, message: string) {
    super(message);
    this.name = 'NeedsReconnection';
    this.provider = provider;
  }
}
