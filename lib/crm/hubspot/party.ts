/**
 * Who a HubSpot call or SMS is logged on (SPEC section 4): the record an agent
 * linked it to (EXT-LINK-1), the contact created for it earlier, the record it
 * was logged on before, the most recently updated matching contact or company,
 * or a new contact (HS-GEN-2) unless HubSpot refuses it (GEN-REQ-1); and the
 * association links to that party. Also the Party and Subject types the
 * planner's parts share.
 */
import { type CallPlanArgs, type MessagePlanArgs, writeFor } from '../../logging/crm-planner.ts';
import type { CrmRecord, PlannedWrite, WriteLink } from '../../logging/plan-types.ts';
import type { PhoneMatch } from '../../phone/match.ts';
import { hubspotAssociation, toHubspotContactProperties } from './mapper.ts';
import type { HubspotSettings } from './settings.ts';

/** What the call or SMS is logged on in HubSpot. */
export interface Party {
  /** Association target: a record created in this plan, an existing one, or none (unmatched). */
  target: { ref: 'record' } | { id: string; object: 'contacts' | 'companies' } | null;
  kind: 'contact' | 'company';
  /** The matched HubSpot record, when it was found (its extra holds tickets and details). */
  record: CrmRecord | null;
  /** The number is on the record in HubSpot already (HS-GEN-3 syncs only those). */
  numberOnRecord: boolean;
  name: string | null;
  /** The contact creation, if any (HS-GEN-2). */
  writes: PlannedWrite[];
  recordId: string | null;
}

export interface Subject {
  what: 'call' | 'SMS';
  /** The rule the activity write comes from. */
  rule: 'HS-OUT-1' | 'HS-SMS-1';
  activityTarget: 'hubspot.calls' | 'hubspot.communications';
  /** Association type ids from the activity and from a ticket. */
  assoc: { toContact: number; toCompany: number; ticketToActivity: number };
}

/**
 * Who the call/SMS is logged on: the record an agent linked it to
 * (EXT-LINK-1), the contact this integration created for it earlier, the
 * record it was logged on before, the most recently updated matching contact
 * (then company), or a new contact (HS-GEN-2), or nobody (unmatched).
 */
export function partyFor(
  args: CallPlanArgs<HubspotSettings> | MessagePlanArgs<HubspotSettings>,
  subject: Subject,
  ownerId: string | null,
  previousRecordId: string | null,
): Party {
  const { settings, ctx, trace, matches, linked, externalE164 } = args;
  const linkedMatch = linked ? matches[0] : undefined;
  if (linkedMatch) {
    trace.applied(
      subject.rule,
      `The ${subject.what} is logged on ${linkedMatch.record.kind} ${linkedMatch.record.id}, which an agent linked it to.`,
    );
    return partyOfMatch(linkedMatch);
  }

  const created = ctx.existing.record;
  if (created) {
    const match = matches.find((m) => m.record.id === created.id);
    trace.applied(
      'HS-GEN-2',
      `Contact ${created.id} was created by this integration for this ${subject.what}; the ${subject.what} stays on it.`,
    );
    return {
      target: { id: created.id, object: 'contacts' },
      kind: 'contact',
      record: match?.record ?? null,
      numberOnRecord: false,
      name: match?.record.name ?? null,
      writes: [],
      recordId: created.id,
    };
  }

  const contacts = byMostRecent(matches.filter((m) => m.record.kind === 'contact'));
  const companies = byMostRecent(matches.filter((m) => m.record.kind === 'company'));
  const candidates = contacts.length > 0 ? contacts : companies;
  const previous = candidates.find((m) => m.record.id === previousRecordId);
  if (previous) {
    trace.applied(
      subject.rule,
      `The ${subject.what} was logged on ${previous.record.kind} ${previous.record.id} (${previous.record.name}) before; it stays there.`,
    );
    return partyOfMatch(previous);
  }
  const [best, ...others] = candidates;
  if (best) {
    trace.applied(
      subject.rule,
      others.length > 0
        ? `${candidates.length} HubSpot ${best.record.kind}s hold ${externalE164}; the ${subject.what} is logged on the most recently updated, ${best.record.id} (${best.record.name}, updated ${best.record.updatedAt}), not on ${others.map((o) => o.record.id).join(', ')}.`
        : `The ${subject.what} is logged on HubSpot ${best.record.kind} ${best.record.id} (${best.record.name}).`,
    );
    return partyOfMatch(best);
  }

  const unmatched: Party = {
    target: null,
    kind: 'contact',
    record: null,
    numberOnRecord: false,
    name: null,
    writes: [],
    recordId: null,
  };
  const inbox = () =>
    trace.applied(
      'EXT-LINK-1',
      `The ${subject.what} is logged without a contact association and listed in the unmatched inbox, where an agent can link it to a record.`,
    );
  if (!externalE164) {
    trace.skipped(
      'HS-GEN-2',
      `The other party's number is withheld or unreadable, so no contact can be found or created.`,
    );
    inbox();
    return unmatched;
  }
  if (!settings.createContacts) {
    trace.applied(
      'HS-GEN-2',
      `No HubSpot contact holds ${externalE164} and contact creation is off: no contact is created.`,
    );
    inbox();
    return unmatched;
  }
  const blocked = ctx.blockedCreates?.find((b) => b.target === 'hubspot.contacts');
  if (blocked) {
    trace.applied(
      'GEN-REQ-1',
      `HubSpot refuses to create a contact for ${externalE164} because the required property "${blocked.field}" has no value; the ${subject.what} is logged without a contact. Make "${blocked.field}" optional in HubSpot to create contacts again.`,
    );
    inbox();
    return unmatched;
  }
  trace.applied(
    'HS-GEN-2',
    `No HubSpot contact holds ${externalE164}: a contact is created with that number${ownerId ? `, owned by ${ownerId}` : ', without owner'}.`,
  );
  return {
    target: { ref: 'record' },
    kind: 'contact',
    record: null,
    numberOnRecord: false,
    name: null,
    writes: [
      writeFor(
        ctx,
        'record',
        'hubspot.contacts',
        toHubspotContactProperties({ e164: externalE164, ownerId }),
        ['HS-GEN-2', 'HS-GEN-4'],
      ),
    ],
    recordId: null,
  };
}

function partyOfMatch(match: PhoneMatch): Party {
  const kind = match.record.kind === 'company' ? 'company' : 'contact';
  return {
    target: { id: match.record.id, object: kind === 'company' ? 'companies' : 'contacts' },
    kind,
    record: match.record,
    numberOnRecord: match.fields.length > 0,
    name: match.record.name,
    writes: [],
    recordId: match.record.id,
  };
}

/** Most recently updated first; ties by id so the plan is deterministic. */
function byMostRecent(matches: PhoneMatch[]): PhoneMatch[] {
  return [...matches].sort(
    (a, b) => time(b.record.updatedAt) - time(a.record.updatedAt) || a.record.id.localeCompare(b.record.id),
  );
}

export function time(iso: string | null | undefined): number {
  const t = Date.parse(iso ?? '');
  return Number.isNaN(t) ? 0 : t;
}

export function linkTo(
  target: NonNullable<Party['target']>,
  kind: Party['kind'],
  toContact: number,
  toCompany: number,
): WriteLink {
  const as = hubspotAssociation(kind === 'company' ? toCompany : toContact);
  return 'ref' in target ? { ref: target.ref, as } : { id: target.id, object: target.object, as };
}
