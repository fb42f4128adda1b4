/**
 * Which Salesforce record a call's or SMS's Task goes on, and what else it is
 * related to: the linked, earlier-created or best-matching record, or one
 * created for an unknown number (SF-MATCH-1, EXT-LINK-1, SF-NEW-1, SF-LEAD-1,
 * SF-OWN-3, GEN-REQ-1); the Contact's Case or Opportunity (SF-CASE-1/2); and
 * the Task's WhoId, WhatId and OwnerId (SF-WHO-1).
 *
 * Writes: `record` (the record created, SF-NEW-1) and `case` (the Case
 * created, SF-CASE-1); the Task links to them by these refs.
 */
import { writeFor } from '../../logging/crm-planner.ts';
import type { CrmRecord, PlannedWrite, PlannerContext, WriteLink } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import type { PhoneMatch } from '../../phone/match.ts';
import {
  orgFactsOf,
  recordExtraOf,
  SALESFORCE_RECORD_KINDS,
  type SalesforceRecordExtra,
  type SalesforceRecordKind,
  salesforceKindOf,
} from './facts.ts';
import {
  type SalesforceTaskRelations,
  toSalesforceAccount,
  toSalesforceCase,
  toSalesforceContact,
  toSalesforceLead,
  UNKNOWN_COMPANY,
} from './mapper.ts';
import type { Env, Owner } from './owner.ts';

const RECORD = 'record';
const CASE = 'case';

/** Where the Task goes: a record that exists, one created by this plan, or none. */
export type Party =
  | {
      state: 'existing';
      kind: SalesforceRecordKind;
      id: string;
      name: string;
      ownerId: string | null;
      extra: SalesforceRecordExtra;
      /** Created by an earlier plan of this call (SF-OWN-4 then waits for the next call). */
      createdForThisCall: boolean;
    }
  | {
      state: 'creating';
      kind: 'Contact' | 'Lead' | 'Account';
      name: string;
      ownerId: string | null;
      write: PlannedWrite;
    }
  | { state: 'none'; name: string };

export function blockedField(ctx: PlannerContext, target: string): string | null {
  return ctx.blockedCreates?.find((b) => b.target === target)?.field ?? null;
}

/**
 * SF-MATCH-1, EXT-LINK-1, SF-NEW-1, GEN-REQ-1, SF-OWN-3: the record the
 * Task goes on.
 */
export function resolveParty(env: Env): Party {
  const { ctx, trace, settings } = env;
  const fallbackName = env.externalE164 ?? 'an unknown number';

  if (env.linked) {
    const record = env.matches[0]?.record;
    const kind = record ? salesforceKindOf(record) : null;
    if (record && kind) {
      trace.applied(
        'SF-MATCH-1',
        `An agent linked the call to ${kind} ${record.id} (${record.name}); it wins.`,
      );
      return existingParty(record, kind, false);
    }
    trace.applied(
      'SF-MATCH-1',
      `The linked record is not a Salesforce ${SALESFORCE_RECORD_KINDS.join(', ')}; it is ignored.`,
    );
  }

  const created = ctx.existing[RECORD];
  if (created) {
    const kind = kindOfTarget(created.target);
    if (kind) {
      const fresh = env.matches.find((m) => m.record.id === created.id)?.record;
      trace.applied(
        'SF-MATCH-1',
        `The call stays on ${kind} ${created.id}, which the integration created for it earlier.`,
      );
      if (fresh) return existingParty(fresh, kind, true);
      const f = created.fields ?? {};
      const name = stringOr(f.LastName, stringOr(f.Name, fallbackName));
      return {
        state: 'existing',
        kind,
        id: created.id,
        name,
        ownerId: stringOr(f.OwnerId, ctx.installerUserId),
        extra: {},
        createdForThisCall: true,
      };
    }
  }

  const best = bestMatch(env.matches, trace);
  if (best) return existingParty(best.record, best.kind, false);

  // SF-NEW-1: the number matches nothing.
  if (settings.newRecord === 'none') {
    trace.applied('SF-NEW-1', 'The number matches no record and creating records is turned off.');
    return unmatchedParty(trace, fallbackName, 'record creation is off');
  }
  if (env.externalE164 === null) {
    trace.skipped(
      'SF-NEW-1',
      'The caller withheld the number (or it cannot be read): no record can be created.',
    );
    return unmatchedParty(trace, fallbackName, 'no record could be created');
  }
  const kind =
    settings.newRecord === 'contact' ? 'Contact' : settings.newRecord === 'lead' ? 'Lead' : 'Account';
  const target = `salesforce.${kind}`;
  const field = blockedField(ctx, target);
  if (field !== null) {
    trace.applied(
      'GEN-REQ-1',
      `Salesforce refuses to create a ${kind} without the required field ${field}; the call is logged without a record, as an unmatched call.`,
    );
    return unmatchedParty(trace, fallbackName, `the ${kind} could not be created`);
  }
  const ownerId = ctx.installerUserId;
  const input = { e164: env.externalE164, ownerId };
  const fields =
    kind === 'Contact'
      ? toSalesforceContact(input)
      : kind === 'Lead'
        ? toSalesforceLead(input)
        : toSalesforceAccount(input);
  const rules = ['SF-NEW-1', 'SF-OWN-3', ...(kind === 'Lead' ? ['SF-LEAD-1'] : [])];
  trace.applied('SF-NEW-1', `The number matches no record: a ${kind} is created for ${env.externalE164}.`);
  if (kind === 'Lead') {
    const personAccounts = orgFactsOf(ctx).personAccountsEnabled;
    trace.applied(
      'SF-LEAD-1',
      `The new Lead's Company is "${UNKNOWN_COMPANY}"${personAccounts === false ? ' (Person Accounts are off, so Salesforce requires it)' : ' (Salesforce requires it unless Person Accounts are on)'}.`,
    );
  }
  trace.applied(
    'SF-OWN-3',
    ownerId
      ? `The new ${kind} is owned by the installer (${ownerId}).`
      : `The new ${kind} is owned by the API user, the installer (its id is not known here).`,
  );
  return {
    state: 'creating',
    kind,
    name: env.externalE164,
    ownerId,
    write: writeFor(ctx, RECORD, target, fields, rules),
  };
}

function existingParty(record: CrmRecord, kind: SalesforceRecordKind, createdForThisCall: boolean): Party {
  return {
    state: 'existing',
    kind,
    id: record.id,
    name: record.name.trim() || record.id,
    ownerId: record.ownerId,
    extra: recordExtraOf(record),
    createdForThisCall,
  };
}

function unmatchedParty(trace: TraceBuilder, name: string, why: string): Party {
  trace.applied(
    'SF-OWN-3',
    `The call matches no Salesforce record and ${why}: the Task gets no WhoId, WhatId or OwnerId (Salesforce makes the API user, the installer, its owner).`,
  );
  return { state: 'none', name };
}

/** SF-MATCH-1: Contact, then Lead, then Account, then Person Account; among one kind, Salesforce's (ctx.records) order. */
function bestMatch(
  matches: PhoneMatch[],
  trace: TraceBuilder,
): { record: CrmRecord; kind: SalesforceRecordKind } | null {
  const candidates: { record: CrmRecord; kind: SalesforceRecordKind }[] = [];
  const ignored: string[] = [];
  for (const m of matches) {
    const kind = salesforceKindOf(m.record);
    if (kind === null) ignored.push(`${m.record.kind} ${m.record.id} (not a Salesforce record kind)`);
    else if (kind === 'Lead' && recordExtraOf(m.record).IsConverted === true)
      ignored.push(`Lead ${m.record.id} (converted: Salesforce refuses Tasks on it)`);
    else candidates.push({ record: m.record, kind });
  }
  const rank = (k: SalesforceRecordKind): number => SALESFORCE_RECORD_KINDS.indexOf(k);
  // Array.prototype.sort is stable: within a kind, the order Salesforce returned stays.
  candidates.sort((a, b) => rank(a.kind) - rank(b.kind));
  const best = candidates[0] ?? null;
  const skipped = ignored.length > 0 ? ` Ignored: ${ignored.join('; ')}.` : '';
  if (best === null) {
    trace.skipped('SF-MATCH-1', `No Salesforce record holds the number.${skipped}`);
    return null;
  }
  const others = candidates.length - 1;
  trace.applied(
    'SF-MATCH-1',
    others > 0
      ? `${candidates.length} records hold the number; ${best.kind} ${best.record.id} (${best.record.name}) wins (priority Contact, Lead, Account, Person Account; first returned by Salesforce within a kind).${skipped}`
      : `The call is on ${best.kind} ${best.record.id} (${best.record.name}).${skipped}`,
  );
  return best;
}

/** What the Task is related to (WhatId) beyond its record: a Case or Opportunity (SF-CASE-1/2). */
export type Related = { id: string; object: 'Case' | 'Opportunity' } | { write: PlannedWrite } | null;

export function relateTo(env: Env, party: Party, subject: string): Related {
  const { ctx, trace, settings } = env;
  if (party.state === 'none') return null;
  if (party.kind !== 'Contact') {
    trace.skipped(
      'SF-CASE-2',
      `Only a Contact's calls go on its Case or Opportunity; this one is on a ${party.kind}.`,
    );
    return null;
  }
  const createdCase = ctx.existing[CASE];
  if (createdCase) {
    trace.applied('SF-CASE-1', `The Task stays on Case ${createdCase.id}, created for this call earlier.`);
    return { id: createdCase.id, object: 'Case' };
  }
  if (settings.relateTo === 'none') {
    trace.skipped('SF-CASE-2', 'This integration does not relate calls to Cases or Opportunities.');
    return null;
  }
  const extra = party.state === 'existing' ? party.extra : {};
  if (settings.relateTo === 'opportunity') {
    const opportunity = extra.openOpportunities?.[0];
    trace.skipped('SF-CASE-1', 'Opportunities are never created.');
    if (opportunity) {
      trace.applied(
        'SF-CASE-2',
        `The Task is related to the Contact's open Opportunity ${opportunity.Id}${opportunity.Name ? ` (${opportunity.Name})` : ''}, the first Salesforce returned.`,
      );
      return { id: opportunity.Id, object: 'Opportunity' };
    }
    trace.skipped('SF-CASE-2', 'The Contact has no open Opportunity.');
    return null;
  }
  const open = extra.openCases?.[0];
  if (open) {
    trace.applied(
      'SF-CASE-2',
      `The Task is related to the Contact's open Case ${open.Id}${open.Name ? ` (${open.Name})` : ''}, the first Salesforce returned.`,
    );
    return { id: open.Id, object: 'Case' };
  }
  if (!settings.createCase) {
    trace.skipped('SF-CASE-2', 'The Contact has no open Case, and creating Cases is turned off (SF-CASE-1).');
    return null;
  }
  const field = blockedField(ctx, 'salesforce.Case');
  if (field !== null) {
    trace.applied(
      'GEN-REQ-1',
      `Salesforce refuses to create a Case without the required field ${field}; the Task stays on the Contact alone.`,
    );
    return null;
  }
  const fields = toSalesforceCase({
    subject,
    contactId: party.state === 'existing' ? party.id : null,
    accountId: extra.AccountId ?? null,
    ownerId: ctx.installerUserId,
  });
  const links: WriteLink[] = party.state === 'creating' ? [{ ref: RECORD, as: 'ContactId' }] : [];
  trace.applied(
    'SF-CASE-1',
    `The Contact has no open Case: one is created (Origin Phone, owned like records the integration creates) and the Task is related to it.`,
  );
  return { write: writeFor(ctx, CASE, 'salesforce.Case', fields, ['SF-CASE-1', 'SF-CASE-2'], links) };
}

/** SF-WHO-1 and the owner: reference fields by id, or links to writes of this plan. */
export function relationsOf(
  trace: TraceBuilder,
  party: Party,
  related: Related,
  owner: Owner,
): { relations: SalesforceTaskRelations; links: WriteLink[] } {
  const relations: SalesforceTaskRelations = {};
  const links: WriteLink[] = [];
  if (party.state === 'none') {
    trace.applied('SF-WHO-1', 'WhoId and WhatId stay empty: the call is on no Salesforce record.');
    return { relations, links };
  }
  // Leads and Contacts are "who"; an Account (a Person Account too) is "what".
  const who = party.kind === 'Contact' || party.kind === 'Lead';
  const as = who ? 'WhoId' : 'WhatId';
  const record = party.state === 'existing' ? `${party.kind} ${party.id}` : `the ${party.kind} created now`;
  if (party.state === 'existing') relations[as] = party.id;
  else links.push({ ref: RECORD, as });
  let what = '';
  if (related && 'write' in related) {
    links.push({ ref: CASE, as: 'WhatId' });
    what = '; WhatId is the Case created now';
  } else if (related) {
    relations.WhatId = related.id;
    what = `; WhatId is ${related.object} ${related.id}`;
  } else if (party.kind === 'Lead') {
    what = "; WhatId stays empty (Salesforce allows none on a Lead's Task)";
  } else if (who) {
    what = '; WhatId stays empty';
  }
  trace.applied(
    'SF-WHO-1',
    who
      ? `WhoId is ${record}${what}.`
      : `WhatId is ${record}; WhoId stays empty, as the call is on an Account.`,
  );
  if (owner.id) relations.OwnerId = owner.id;
  return { relations, links };
}

function kindOfTarget(target: string): SalesforceRecordKind | null {
  const object = target.startsWith('salesforce.') ? target.slice('salesforce.'.length) : '';
  return SALESFORCE_RECORD_KINDS.find((k) => k === object) ?? null;
}

function stringOr(value: unknown, fallback: string): string;
function stringOr(value: unknown, fallback: string | null): string | null;
function stringOr(value: unknown, fallback: string | null): string | null {
  return typeof value === 'string' && value.trim() !== '' ? value : fallback;
}
