/**
 * Who owns the Task, and when the record itself changes owner: the user who
 * answered or made the call (or sent the SMS), matched by email (GEN-EMAIL-1),
 * else the record's owner, else the unmatched-call setting or the installer
 * (SF-OWN-1, SF-OWN-2, SF-OWN-3); and a record owned by the installer passing
 * to the first other user on a call with it (SF-OWN-4).
 *
 * Writes: `record_owner` (the record's new owner, SF-OWN-4), an update by id.
 */
import type { AircallUserRef, CallState } from '../../aircall/callState.ts';
import type { CrmUser, PlannedWrite, PlannerContext } from '../../logging/plan-types.ts';
import type { TraceBuilder } from '../../logging/trace.ts';
import { crmUserFor } from '../../logging/users.ts';
import type { PhoneMatch } from '../../phone/match.ts';
import { sobjectOf } from './facts.ts';
import type { Party } from './party.ts';
import type { SalesforceSettings } from './settings.ts';
import type { TransferOutcome } from './transfer.ts';

const RECORD_OWNER = 'record_owner';
const ONE_DAY_MS = 86_400_000;

/** What the planner's steps read: the plan's arguments and the org's Task fields (facts `taskFields`). */
export interface Env {
  settings: SalesforceSettings;
  ctx: PlannerContext;
  trace: TraceBuilder;
  externalE164: string | null;
  matches: PhoneMatch[];
  linked: boolean;
  orgTaskFields: string[] | undefined;
}

export interface Owner {
  id: string | null;
  rule: string;
}

/**
 * SF-OWN-1 (and an outbound SMS's sender): the user, if a Salesforce user
 * has the same email (GEN-EMAIL-1) and has existed for a day; else the
 * record's owner; else the installer.
 */
export function answeredOwner(
  env: Env,
  party: Party,
  user: AircallUserRef | null,
  ownerChange: OwnerChange | null,
  did: string,
): Owner {
  const { trace, ctx } = env;
  if (party.state === 'none') return { id: null, rule: 'SF-OWN-3' };
  const sfUser = eligibleUser(env, user, did);
  if (sfUser) {
    trace.applied('SF-OWN-1', `The Task is owned by ${sfUser.name} (${sfUser.id}), who ${did}.`);
    return { id: sfUser.id, rule: 'SF-OWN-1' };
  }
  const recordOwner = usableRecordOwner(env, party, ownerChange);
  if (recordOwner) {
    trace.applied('SF-OWN-1', `The Task is owned by the ${party.kind}'s owner ${recordOwner}.`);
    return { id: recordOwner, rule: 'SF-OWN-1' };
  }
  trace.applied(
    'SF-OWN-1',
    ctx.installerUserId
      ? `The ${party.kind} has no usable owner: the Task is owned by the installer (${ctx.installerUserId}).`
      : `The ${party.kind} has no usable owner: the Task is left to Salesforce, which makes the API user (the installer) its owner.`,
  );
  return { id: ctx.installerUserId, rule: 'SF-OWN-1' };
}

/**
 * SF-OWN-2 (and an inbound SMS): the record's owner; else the setting "when a
 * call does not match a Salesforce user, assign it to"; else the installer.
 */
export function unansweredOwner(env: Env, party: Party, ownerChange: OwnerChange | null, why: string): Owner {
  const { trace, ctx, settings } = env;
  if (party.state === 'none') return { id: null, rule: 'SF-OWN-3' };
  const recordOwner = usableRecordOwner(env, party, ownerChange);
  if (recordOwner) {
    trace.applied('SF-OWN-2', `${why}: the Task is owned by the ${party.kind}'s owner ${recordOwner}.`);
    return { id: recordOwner, rule: 'SF-OWN-2' };
  }
  const chosen = settings.unmatchedOwnerId ?? ctx.installerUserId;
  trace.applied(
    'SF-OWN-2',
    `${why} and the ${party.kind} has no usable owner: the Task goes to ${
      settings.unmatchedOwnerId
        ? `${settings.unmatchedOwnerId}, chosen in "when a call does not match a Salesforce user, assign it to"`
        : chosen
          ? `the installer (${chosen}), as "when a call does not match a Salesforce user, assign it to" is not set`
          : 'the API user (the installer), as no owner is set'
    }.`,
  );
  return { id: chosen, rule: 'SF-OWN-2' };
}

/**
 * The record's owner as it will be after this plan, when a Task may be
 * assigned to it: a User (key prefix 005; a Lead owned by a queue, 00G,
 * cannot pass its owner to a Task) not known to be inactive.
 */
function usableRecordOwner(env: Env, party: Party, ownerChange: OwnerChange | null): string | null {
  if (party.state === 'none') return null;
  const ownerId = ownerChange?.userId ?? party.ownerId;
  if (!ownerId?.startsWith('005')) return null;
  const known = env.ctx.users.find((u) => u.id === ownerId);
  return known && !known.active ? null : ownerId;
}

/** GEN-EMAIL-1 + SF-OWN-1's "has existed for at least one day". */
function eligibleUser(env: Env, user: AircallUserRef | null, did: string): CrmUser | null {
  const { trace, ctx } = env;
  if (!user) return null;
  const who = user.name ?? `Aircall user ${user.id}`;
  const sfUser = crmUserFor(user, ctx.users);
  if (!sfUser) {
    trace.applied(
      'GEN-EMAIL-1',
      `${who}, who ${did}, matches no active Salesforce user by email${user.email ? ` (${user.email}, compared case-insensitively)` : ' (Aircall gives no email)'}.`,
    );
    return null;
  }
  trace.applied(
    'GEN-EMAIL-1',
    `${who} is Salesforce user ${sfUser.id} (same email, compared case-insensitively).`,
  );
  const created = sfUser.createdAt ? Date.parse(sfUser.createdAt) : Number.NaN;
  if (!Number.isNaN(created) && ctx.now - created < ONE_DAY_MS) {
    trace.applied(
      'SF-OWN-1',
      `Salesforce user ${sfUser.id} was created at ${sfUser.createdAt}, less than a day ago, so cannot own the Task yet.`,
    );
    return null;
  }
  return sfUser;
}

export interface OwnerChange {
  userId: string;
  write: PlannedWrite;
}

/** The Aircall user who made or received the call: the answerer, or the caller of an outbound call. */
export function callUserOf(call: CallState, xfer: TransferOutcome): AircallUserRef | null {
  if (xfer.answeredBy) return xfer.answeredBy;
  return call.direction === 'outbound' ? call.user : null;
}

/**
 * SF-OWN-4: a record owned by the installer (e.g. one the integration
 * created) passes to the first other user who makes or receives a call with
 * it. Not on the call that created it (seed 002: "as soon as another user
 * calls"). The user must qualify as SF-OWN-1 asks (same email, existed for a
 * day), so the record never goes to someone who could not own the Task.
 */
export function recordOwnerChange(env: Env, party: Party, user: AircallUserRef | null): OwnerChange | null {
  const { ctx, trace } = env;
  const installer = ctx.installerUserId;
  if (party.state !== 'existing' || installer === null || party.ownerId !== installer) {
    return null;
  }
  if (party.createdForThisCall) {
    trace.skipped(
      'SF-OWN-4',
      `The ${party.kind} was created for this call; it passes to the next other user who calls it.`,
    );
    return null;
  }
  const sfUser = eligibleUser(env, user, `is on the call`);
  if (!sfUser || sfUser.id === installer) {
    trace.skipped(
      'SF-OWN-4',
      `The ${party.kind} is owned by the installer and no other Salesforce user made or received this call; its owner stays.`,
    );
    return null;
  }
  trace.applied(
    'SF-OWN-4',
    `The ${party.kind} ${party.id} was owned by the installer; it now belongs to ${sfUser.name} (${sfUser.id}), the first other user on a call with it.`,
  );
  // An update of the record itself, by its id: the same write whichever plan of the call makes it.
  const write: PlannedWrite = {
    ref: RECORD_OWNER,
    op: 'update',
    target: `salesforce.${sobjectOf(party.kind)}`,
    id: party.id,
    fields: { OwnerId: sfUser.id },
    links: [],
    rules: ['SF-OWN-4'],
  };
  return { userId: sfUser.id, write };
}
