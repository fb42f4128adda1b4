/**
 * The Salesforce facts the planner reads beyond the generic `CrmRecord`:
 * `CrmRecord.extra` (about one record) and `PlannerContext.crmFacts` (about
 * the org). The backend fills them from the queries documented on each
 * field; the schemas are lenient (a malformed field is dropped, never fatal)
 * because the planner must still log the call with what it can read.
 * API-CONTRACTS 3.1-3.2; https://developer.salesforce.com/docs/atlas.en-us.api_rest.meta/api_rest/resources_search.htm
 */
import { z } from 'zod';
import type { CrmRecord, PlannerContext } from '../../logging/plan-types.ts';

/** `CrmRecord.kind` values for Salesforce (SF-MATCH-1 priority order). */
export const SALESFORCE_RECORD_KINDS = ['Contact', 'Lead', 'Account', 'PersonAccount'] as const;
export type SalesforceRecordKind = (typeof SALESFORCE_RECORD_KINDS)[number];

/** An open Case or Opportunity of a Contact, as Salesforce returned it. */
const relatedObjectSchema = z.looseObject({
  Id: z.string().min(1),
  /** Case: `CaseNumber` or `Subject`; Opportunity: `Name`. For the trace only. */
  Name: z.string().nullable().optional().catch(undefined),
});
export type SalesforceRelatedObject = z.infer<typeof relatedObjectSchema>;

/** Keeps the well-formed entries of a list, in the order given (SF-MATCH-1: Salesforce's order counts). */
const relatedList = z
  .array(z.unknown())
  .transform((items) =>
    items.flatMap((item) => {
      const parsed = relatedObjectSchema.safeParse(item);
      return parsed.success ? [parsed.data] : [];
    }),
  )
  .optional()
  .catch(undefined);

/**
 * `CrmRecord.extra` for a Salesforce record. Filled from the phone lookup
 * `FIND {<digits>} IN PHONE FIELDS RETURNING
 *   Contact(Id, Name, Phone, MobilePhone, HomePhone, AssistantPhone, OtherPhone, OwnerId, AccountId, CreatedDate, LastModifiedDate ORDER BY LastModifiedDate DESC),
 *   Lead(Id, Name, Phone, MobilePhone, OwnerId, IsConverted, CreatedDate, LastModifiedDate ORDER BY LastModifiedDate DESC),
 *   Account(Id, Name, Phone, OwnerId, IsPersonAccount, CreatedDate, LastModifiedDate ORDER BY LastModifiedDate DESC)`
 * (IsPersonAccount only exists when Person Accounts are enabled), then, for
 * each Contact found, the queries named on `openCases` / `openOpportunities`.
 */
export const salesforceRecordExtraSchema = z.looseObject({
  /** Contact.AccountId: the Contact's Account, put on a Case the integration creates (SF-CASE-1). */
  AccountId: z.string().min(1).nullable().optional().catch(undefined),
  /** Account.IsPersonAccount: an Account row that is a Person Account ranks last (SF-MATCH-1). */
  IsPersonAccount: z.boolean().optional().catch(undefined),
  /** Lead.IsConverted: Salesforce refuses a converted Lead as a Task's WhoId, so it is not matched. */
  IsConverted: z.boolean().optional().catch(undefined),
  /**
   * SF-CASE-2: the Contact's open Cases, in Salesforce's order:
   * `SELECT Id, CaseNumber FROM Case WHERE ContactId = '<id>' AND IsClosed = false ORDER BY LastModifiedDate DESC`
   * (`Name` = CaseNumber).
   */
  openCases: relatedList,
  /**
   * SF-CASE-2: the Contact's open Opportunities, in Salesforce's order:
   * `SELECT OpportunityId, Opportunity.Name FROM OpportunityContactRole WHERE ContactId = '<id>'
   *  AND Opportunity.IsClosed = false ORDER BY Opportunity.LastModifiedDate DESC`
   * (`Id` = OpportunityId).
   */
  openOpportunities: relatedList,
});
export type SalesforceRecordExtra = z.infer<typeof salesforceRecordExtraSchema>;

/** `PlannerContext.crmFacts` for a Salesforce org. The API user is the installer: `ctx.installerUserId`. */
export const salesforceOrgFactsSchema = z.looseObject({
  /**
   * Person Accounts are enabled: `GET /sobjects/Account/describe` lists the
   * field `IsPersonAccount`. Without them Leads require `Company` (SF-LEAD-1).
   */
  personAccountsEnabled: z.boolean().optional().catch(undefined),
  /**
   * The Task fields the API user may set: `GET /sobjects/Task/describe`,
   * names of `fields[]` with `createable: true`. When given, fields the org
   * lacks (e.g. the aircall__ custom fields of SF-FLD-1 when Aircall's package
   * is not installed, or `Type` hidden from the user: SF-TYPE-1) are left out
   * of the Task instead of making Salesforce refuse the whole write
   * (GEN-REQ-1 spirit: log where the CRM allows), and the trace names them.
   * Absent: every field is written.
   */
  taskFields: z.array(z.string()).optional().catch(undefined),
});
export type SalesforceOrgFacts = z.infer<typeof salesforceOrgFactsSchema>;

/** The record's Salesforce facts; `{}` when absent or unreadable. */
export function recordExtraOf(record: CrmRecord): SalesforceRecordExtra {
  const parsed = salesforceRecordExtraSchema.safeParse(record.extra ?? {});
  return parsed.success ? parsed.data : {};
}

/** The org's Salesforce facts; `{}` when absent or unreadable. */
export function orgFactsOf(ctx: PlannerContext): SalesforceOrgFacts {
  const parsed = salesforceOrgFactsSchema.safeParse(ctx.crmFacts ?? {});
  return parsed.success ? parsed.data : {};
}

/**
 * The record's kind for SF-MATCH-1, or null when it is not a Salesforce
 * record kind. An `Account` row with `IsPersonAccount` is a Person Account
 * (that is how SOSL returns one).
 */
export function salesforceKindOf(record: CrmRecord): SalesforceRecordKind | null {
  const kind = SALESFORCE_RECORD_KINDS.find((k) => k === record.kind) ?? null;
  if (kind === 'Account' && recordExtraOf(record).IsPersonAccount === true) return 'PersonAccount';
  return kind;
}

/** The sObject a record of this kind is written as (a Person Account is an Account). */
export function sobjectOf(kind: SalesforceRecordKind): 'Contact' | 'Lead' | 'Account' {
  return kind === 'PersonAccount' ? 'Account' : kind;
}
