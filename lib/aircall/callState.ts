/**
 * The folded view of one Aircall call or message: what every webhook of that
 * call has told us so far, whatever the order and repetition (GEN-IDEM-1).
 * Produced by `foldCallEvents` / `foldMessageEvents` (fold.ts); consumed by the
 * engine (lib/logging). Times are UNIX seconds for calls (Aircall's own unit,
 * API-CONTRACTS 1.4) and UNIX milliseconds for messages (1.7).
 */

/** Aircall's missed-call reasons (API-CONTRACTS 1.4; SF-DISP-1 lists them). */
export const MISSED_CALL_REASONS = [
  'out_of_opening_hours',
  'short_abandoned',
  'abandoned_in_ivr',
  'abandoned_in_classic',
  'no_available_agent',
  'agents_did_not_answer',
] as const;
export type MissedCallReason = (typeof MISSED_CALL_REASONS)[number];

export interface AircallUserRef {
  id: number;
  name: string | null;
  email: string | null;
}

export interface AircallNumberRef {
  id: number;
  name: string | null;
  /** As Aircall gives it, e.g. "+33 1 76 36 06 95". */
  digits: string | null;
  /** ISO 3166 alpha-2 as Aircall gives it (e.g. "FR"), or null. */
  country: string | null;
  /** IANA zone of the number, e.g. "Europe/Paris" (SF-FLD-1 Time Zone). */
  timeZone: string | null;
  isIvr: boolean;
  /** Whether the number was open (business hours) when the payload was built. */
  open: boolean | null;
}

export interface AircallTagState {
  id: number;
  name: string;
  /**
   * The Aircall user the call was with when the tag first appeared on it.
   * Aircall's tag object does not say who tagged; SF-XFER-1 needs it
   * ("if B answers only B's tags are kept"), so it is inferred from the
   * `user` of the earliest event carrying the tag.
   */
  addedByUserId: number | null;
}

export interface AircallCommentState {
  id: number;
  content: string;
  postedAt: number;
  postedBy: AircallUserRef | null;
}

export interface CallTransferState {
  /** `call.transferred` (to a user or team), `call.external_transferred` or `call.unsuccessful_transfer`. */
  kind: 'user' | 'external' | 'unsuccessful';
  at: number;
  by: AircallUserRef | null;
  to: AircallUserRef | null;
  /** Only for external transfers: the number the call went to. */
  toNumber: string | null;
}

export interface CallParticipantState {
  type: string;
  id: number | null;
  name: string | null;
  phoneNumber: string | null;
}

export interface AiInsights {
  /** `summary.created` content (API-CONTRACTS 1.8). */
  summary: string | null;
  /** `topics.created` content. */
  topics: string[];
  /** `sentiment.created` content. */
  sentiment: string | null;
  actionItems: string[];
}

export interface CallState {
  id: number;
  uuid: string | null;
  direction: 'inbound' | 'outbound';
  status: 'initial' | 'answered' | 'done';
  startedAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  /** Aircall's duration: ended_at - started_at, includes ringing. */
  duration: number | null;
  missedCallReason: MissedCallReason | null;
  hangupCause: string | null;
  /** The other party's number as Aircall gives it, or "anonymous". */
  rawDigits: string | null;
  number: AircallNumberRef | null;
  /** The user the call is with in the latest snapshot (after a transfer: the last one). */
  user: AircallUserRef | null;
  /** The first user who answered (`call.answered`). */
  firstAnsweredBy: AircallUserRef | null;
  transfers: CallTransferState[];
  tags: AircallTagState[];
  comments: AircallCommentState[];
  recording: string | null;
  voicemail: string | null;
  /** Secured web page for the recording or voicemail (after `call.comm_assets_generated`). */
  asset: string | null;
  participants: CallParticipantState[];
  ai: AiInsights;
  archived: boolean;
  /** Aircall contact attached to the call, if any (its id only: we never trust it for matching). */
  aircallContactId: number | null;
  /** Every event name seen for this call, sorted. */
  events: string[];
  /** Latest envelope timestamp seen (UNIX s). */
  lastEventAt: number;
}

export interface MessageState {
  id: string;
  direction: 'inbound' | 'outbound';
  /** null for SMS/MMS, "whatsapp" for WhatsApp (API-CONTRACTS 1.3). */
  channel: string | null;
  body: string;
  status: string | null;
  /** The other party's number as Aircall gives it. */
  externalNumber: string | null;
  number: AircallNumberRef | null;
  user: AircallUserRef | null;
  /** UNIX milliseconds. */
  createdAt: number;
  sentAt: number | null;
  mediaUrls: string[];
  events: string[];
  lastEventAt: number;
}
