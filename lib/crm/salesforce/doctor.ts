/**
 * The doctor's live facts in Salesforce (lib/crm/doctor.ts) over
 * SalesforceClient: the org's users (GEN-EMAIL-1), the installer's "Modify
 * All Data" (GEN-ADM-1, as the adapter reads it), the rolling 24-hour API
 * allocation (`GET /limits`, API-CONTRACTS 3.1 and 3.5, GEN-DOC-1), Contacts,
 * Leads and Accounts with a phone (SOQL, GEN-DOC-3/5), and the describes of
 * the objects the integration creates (API-CONTRACTS 3.3: "verify per org
 * with describe"): required custom fields (GEN-REQ-1) and Task fields the
 * integration's user cannot see (SF-TYPE-1, SF-FLD-1).
 */
import type { CrmDoctor, FieldChecks, RecordSample } from '../doctor.ts';
import { type Finding, type InstallerCheck, passed, type RequiredField } from '../../logging/doctor.ts';
import type { CrmRecord, CrmUser } from '../../logging/plan-types.ts';
import { PERSON_PHONES, PHONES, type RecordObject, recordFields, toCrmRecord, toCrmUser } from './adapter.ts';
import type { SalesforceDescribe } from './api-schemas.ts';
import { type SalesforceClient, soqlString } from './client.ts';
import type { SalesforceTaskFields } from './mapper.ts';

/** The objects read for phone numbers, in SF-MATCH-1's order. */
const SAMPLED: RecordObject[] = ['Contact', 'Lead', 'Account'];

/**
 * Every Task field the integration writes (mapper.ts), and what its absence
 * costs: the planner writes the Task without a field the org hides, so only
 * `Type` is an error (SF-TYPE-1: without it the Task is not a call, and
 * Aircall's own integration fails to log). Typed by the mapper's fields, so a
 * new field the mapper writes must be listed here.
 */
const TASK_FIELDS: Record<keyof SalesforceTaskFields, 'error' | 'warning'> = {
  Subject: 'warning',
  Type: 'error',
  TaskSubtype: 'warning',
  CallType: 'warning',
  CallDurationInSeconds: 'warning',
  CallDisposition: 'warning',
  CallObject: 'warning',
  ActivityDate: 'warning',
  Status: 'warning',
  Description: 'warning',
  WhoId: 'warning',
  WhatId: 'warning',
  OwnerId: 'warning',
  aircall__Waiting_Time__c: 'warning',
  aircall__Answered_by__c: 'warning',
  aircall__Phone_number__c: 'warning',
  aircall__Country__c: 'warning',
  aircall__Call_Recording__c: 'warning',
  aircall__Transferred_to__c: 'warning',
  aircall__Time_Zone__c: 'warning',
  aircall__Time_of_Day__c: 'warning',
  aircall__Connection_Status__c: 'warning',
  aircall__Was_Connected__c: 'warning',
};

/** What a required custom field on each created object stops (GEN-REQ-1). */
const REQUIRED_EFFECT: Record<string, string | undefined> = {
  Task: 'Salesforce refuses every Task the integration writes: calls and SMS are not logged in Salesforce',
  Case: 'the integration cannot create Cases for calls (SF-CASE-1); those calls are logged without one',
};

/** Below this share of the daily allocation left, the doctor warns (the integration paces itself at 80%). */
const LOW_ALLOCATION = 0.1;

export class SalesforceDoctor implements CrmDoctor {
  readonly primaryPhoneFields = ['Phone'];
  readonly phoneRewrite = { supported: true } as const;
  private readonly client: SalesforceClient;
  private readonly installerRef: { userId: string; email: string | null } | null;
  /** Describes read during one doctor run (a doctor is made per run). */
  private readonly describes = new Map<string, Promise<SalesforceDescribe>>();

  constructor(init: {
    client: SalesforceClient;
    installer: { userId: string; email: string | null } | null;
  }) {
    this.client = init.client;
    this.installerRef = init.installer;
  }

  async users(): Promise<CrmUser[]> {
    const rows = await this.client.query('SELECT Id, Name, Email, CreatedDate, IsActive FROM User');
    return rows.map((r) => toCrmUser(r.fields));
  }

  /** The adapter's reading of GEN-ADM-1: an active user whose profile has "Modify All Data". */
  async installer(): Promise<InstallerCheck | null> {
    const ref = this.installerRef;
    if (!ref) return null;
    const [row] = await this.client.query(
      `SELECT Id, Name, Email, IsActive, Profile.PermissionsModifyAllData FROM User WHERE Id = ${soqlString(ref.userId)}`,
    );
    const f = row?.fields ?? {};
    const profile = f.Profile as { PermissionsModifyAllData?: unknown } | null | undefined;
    const email = typeof f.Email === 'string' ? f.Email : ref.email;
    return {
      name: typeof f.Name === 'string' ? f.Name : (email ?? `Salesforce user ${ref.userId}`),
      email,
      exists: row !== undefined && f.IsActive !== false,
      admin: row ? profile?.PermissionsModifyAllData === true : null,
      right: '"Modify All Data" (System Administrator)',
    };
  }

  /** GEN-DOC-1: the org's rolling 24-hour API allocation (`GET /limits` `DailyApiRequests`). */
  async permissions(): Promise<Finding[]> {
    const { max, remaining } = (await this.client.limits()).dailyApiRequests;
    const used = `${remaining} of the org's ${max} API requests of the rolling 24 hours remain`;
    if (remaining <= 0) {
      return [
        {
          check: 'GEN-DOC-1',
          severity: 'error',
          title: 'Salesforce API allocation used up',
          detail: `${used}: Salesforce answers REQUEST_LIMIT_EXCEEDED, so calls wait and are logged once requests free up (API-CONTRACTS 3.5). The allocation is shared with every other integration and user of the org.`,
          fix: 'Find what else uses the API (Setup > System Overview), or buy more API calls for the org; logging resumes by itself.',
          count: max - remaining,
        },
      ];
    }
    if (remaining < max * LOW_ALLOCATION) {
      return [
        {
          check: 'GEN-DOC-1',
          severity: 'warning',
          title: 'Salesforce API allocation nearly used up',
          detail: `${used} (less than ${LOW_ALLOCATION * 100}%). When none remain, calls wait until requests free up. A logged call costs about 3 requests.`,
          fix: 'Find what else uses the API (Setup > System Overview), or buy more API calls for the org.',
          count: max - remaining,
        },
      ];
    }
    return [
      passed(
        'GEN-DOC-1',
        'Salesforce API access and allocation',
        `The org's edition answers the REST API, and ${used}.`,
      ),
    ];
  }

  /** Contacts, then Leads, then Accounts with a phone, most recently modified first, up to `max` in all. */
  async sampleRecords(max: number): Promise<RecordSample> {
    const personAccounts = (await this.describe('Account')).fields.some((f) => f.name === 'IsPersonAccount');
    const records: CrmRecord[] = [];
    const counts: string[] = [];
    let truncated = false;
    for (const sobject of SAMPLED) {
      const left = max - records.length;
      if (left <= 0) {
        truncated = true;
        break;
      }
      const phones = [...PHONES[sobject], ...(sobject === 'Account' && personAccounts ? PERSON_PHONES : [])];
      const rows = await this.client.query(
        `SELECT ${recordFields(sobject, personAccounts).join(', ')} FROM ${sobject} WHERE ${phones.map((p) => `${p} != null`).join(' OR ')} ORDER BY LastModifiedDate DESC LIMIT ${left}`,
      );
      if (rows.length >= left) truncated = true;
      records.push(...rows.map((r) => toCrmRecord(r, sobject)));
      counts.push(`${rows.length} ${sobject}${rows.length === 1 ? '' : 's'}`);
    }
    return {
      records,
      scope: `Read: the most recently modified records with a phone number, ${counts.join(', ')}${truncated ? ` (at most ${max} are read; more exist)` : ''}.`,
      truncated,
    };
  }

  async fields(): Promise<FieldChecks> {
    const objects = ['Task', 'Contact', 'Lead', 'Account', 'Case'];
    const describes = await Promise.all(objects.map((o) => this.describe(o)));
    const written = new Set<string>(Object.keys(TASK_FIELDS));
    const required: RequiredField[] = describes.flatMap((d) =>
      d.fields
        // GEN-REQ-1: custom fields Salesforce refuses a create without (createable, not nillable, no default).
        .filter(
          (f) => f.custom && f.createable && !f.nillable && !f.defaultedOnCreate && f.type !== 'boolean',
        )
        .filter((f) => !(d.name === 'Task' && written.has(f.name)))
        .map((f) => ({
          object: d.name,
          field: f.name,
          ...(f.label ? { label: f.label } : {}),
          ...(REQUIRED_EFFECT[d.name] ? { effect: REQUIRED_EFFECT[d.name] } : {}),
        })),
    );
    const task = describes[0];
    const createable = new Set(task?.fields.filter((f) => f.createable).map((f) => f.name));
    const hidden: RequiredField[] = (Object.keys(TASK_FIELDS) as (keyof SalesforceTaskFields)[])
      .filter((name) => !createable.has(name))
      .map((name) => ({
        object: 'Task',
        field: name,
        severity: TASK_FIELDS[name],
        effect:
          name === 'Type'
            ? "Tasks are written without Type = Call: they are not counted as calls, and Aircall's own integration fails to log (SF-TYPE-1)"
            : `Tasks are written without it (${name.startsWith('aircall__') ? 'SF-FLD-1' : 'SPEC 5'})`,
      }));
    return {
      applies: true,
      required,
      hidden,
      scope: `the describes of ${objects.join(', ')}`,
    };
  }

  private describe(sobject: string): Promise<SalesforceDescribe> {
    let d = this.describes.get(sobject);
    if (!d) {
      d = this.client.describe(sobject);
      this.describes.set(sobject, d);
    }
    return d;
  }
}
