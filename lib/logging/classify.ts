/**
 * Call and message classification (SPEC section 2, HS-OUT-1/2).
 * Pure functions of the folded state.
 */
import type { CallState, MessageState } from '../aircall/callState.ts';

/** The five call types of SPEC section 2. */
export const CALL_TYPES = [
  'outbound_answered',
  'outbound_unanswered',
  'inbound_answered',
  'missed_no_voicemail',
  'missed_voicemail',
] as const;
export type CallType = (typeof CALL_TYPES)[number];

export const MESSAGE_TYPES = ['sms_outbound', 'sms_inbound'] as const;
export type MessageType = (typeof MESSAGE_TYPES)[number];

/** The seven types that HubSpot tickets (HS-TIX-1) and similar settings are keyed by. */
export const ACTIVITY_TYPES = [...CALL_TYPES, ...MESSAGE_TYPES] as const;
export type ActivityType = (typeof ACTIVITY_TYPES)[number];

/** Why an unanswered outbound call failed, when the payload tells (HS-OUT-1 rows 3 and 4). */
export type OutboundFailure = 'busy' | 'wrong_number' | null;

export interface CallClassification {
  type: CallType;
  /** Only for outbound_unanswered. */
  outboundFailure: OutboundFailure;
  /** More than one external party or more than two participants: a conference (SF-SUBJ-1). */
  conference: boolean;
  /** The call came in through an IVR number (GEN-NUM-2). */
  viaIvr: boolean;
  /** `call.ended` has been received: the call's data is complete (API-CONTRACTS 1.3). */
  ended: boolean;
  /** The call is over: ended or hung up. */
  over: boolean;
}

/**
 * HS-OUT-2: Aircall's call object has no explicit busy or wrong-number status.
 * `hangup_cause` carries the telephony cause; the values below are the
 * ITU-T Q.850 / SIP cause names as they appear in it (any case, any
 * separator). Anything else on an unanswered outbound call is plain
 * "unanswered".
 *   busy:          USER_BUSY (Q.850 17, SIP 486/600), busy
 *   wrong number:  UNALLOCATED_NUMBER (Q.850 1, SIP 404/604), NO_ROUTE_DESTINATION (3),
 *                  INVALID_NUMBER_FORMAT (28, SIP 484), NUMBER_CHANGED (22, SIP 410),
 *                  invalid_number, wrong_number
 */
const BUSY_CAUSES = new Set(['user_busy', 'busy', 'number_busy', '17', '486', '600']);
const WRONG_NUMBER_CAUSES = new Set([
  'unallocated_number',
  'no_route_destination',
  'invalid_number_format',
  'invalid_number',
  'number_changed',
  'wrong_number',
  '1',
  '3',
  '22',
  '28',
  '404',
  '410',
  '484',
  '604',
]);

export function outboundFailureOf(hangupCause: string | null): OutboundFailure {
  if (!hangupCause) return null;
  const cause = hangupCause
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  if (BUSY_CAUSES.has(cause)) return 'busy';
  if (WRONG_NUMBER_CAUSES.has(cause)) return 'wrong_number';
  return null;
}

/** A call was answered when Aircall set `answered_at`; voicemail and automated messages count (HS-OUT-2). */
export function isAnswered(call: CallState): boolean {
  return call.answeredAt !== null;
}

/**
 * A conference (SF-SUBJ-1): Aircall lists a conference's parties in
 * `participants` (`conference_participants` in the API, API-CONTRACTS 1.3).
 * Two external parties, or two users with the external party and no
 * transfer to explain the second user, make a conference.
 */
export function isConference(call: CallState): boolean {
  const externals = call.participants.filter((p) => p.type === 'external').length;
  const users = call.participants.filter((p) => p.type === 'user').length;
  return externals > 1 || (users > 1 && externals > 0 && call.transfers.length === 0);
}

export function classifyCall(call: CallState): CallClassification {
  const ended = call.events.includes('call.ended');
  const over =
    ended || call.events.includes('call.hungup') || call.status === 'done' || call.endedAt !== null;
  const answered = isAnswered(call);
  let type: CallType;
  if (call.direction === 'outbound') type = answered ? 'outbound_answered' : 'outbound_unanswered';
  else if (answered) type = 'inbound_answered';
  else type = call.voicemail ? 'missed_voicemail' : 'missed_no_voicemail';
  return {
    type,
    outboundFailure: type === 'outbound_unanswered' ? outboundFailureOf(call.hangupCause) : null,
    conference: isConference(call),
    viaIvr: call.direction === 'inbound' && (call.number?.isIvr ?? false),
    ended,
    over,
  };
}

export function classifyMessage(message: MessageState): MessageType {
  return message.direction === 'outbound' ? 'sms_outbound' : 'sms_inbound';
}
