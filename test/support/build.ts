/**
 * Builders for the engine's inputs in tests: a folded call or message with
 * sensible defaults (an inbound call on Aircall number 1 "Support FR",
 * answered by Alice), a planner context, CRM records and users.
 * Times: calls in UNIX seconds, messages and the clock in UNIX ms.
 */
import type {
  AircallNumberRef,
  AircallUserRef,
  CallState,
  MessageState,
} from '../../lib/aircall/callState.ts';
import { ALICE as ALICE_SCRIPT, BOB as BOB_SCRIPT, SUPPORT_LINE } from '../../lib/aircall/scenarios.ts';
import type { CrmRecord, CrmUser, PlannerContext } from '../../lib/logging/plan-types.ts';

export const T0 = 1_790_000_000; // 2026-09-21T14:13:20Z, UNIX s
export const NOW = (T0 + 3600) * 1000;

// The same cast as the scripted webhook scenarios (lib/aircall/scenarios.ts), in folded form.
export const ALICE: AircallUserRef = { ...ALICE_SCRIPT };
export const BOB: AircallUserRef = { ...BOB_SCRIPT };

export const SUPPORT_NUMBER: AircallNumberRef = {
  id: SUPPORT_LINE.id,
  name: SUPPORT_LINE.name,
  digits: SUPPORT_LINE.digits,
  country: SUPPORT_LINE.country,
  timeZone: SUPPORT_LINE.time_zone,
  isIvr: false,
  open: true,
};

export const CALLER = '+33 6 12 34 56 78';
export const CALLER_E164 = '+33612345678';

export function callState(overrides: Partial<CallState> = {}): CallState {
  return {
    id: 1001,
    uuid: 'CA0001',
    direction: 'inbound',
    status: 'done',
    startedAt: T0,
    answeredAt: T0 + 12,
    endedAt: T0 + 107,
    duration: 107,
    missedCallReason: null,
    hangupCause: null,
    rawDigits: CALLER,
    number: SUPPORT_NUMBER,
    user: ALICE,
    firstAnsweredBy: ALICE,
    transfers: [],
    tags: [],
    comments: [],
    recording: 'https://recordings.aircall.io/1001.mp3',
    voicemail: null,
    asset: 'https://assets.aircall.io/calls/1001/recording',
    participants: [],
    ai: { summary: null, topics: [], sentiment: null, actionItems: [] },
    archived: false,
    aircallContactId: null,
    events: ['call.answered', 'call.created', 'call.ended', 'call.hungup'],
    lastEventAt: T0 + 140,
    ...overrides,
  };
}

/** A missed inbound call; `voicemail` adds a voicemail. */
export function missedCall(overrides: Partial<CallState> = {}, voicemail = false): CallState {
  return callState({
    answeredAt: null,
    user: null,
    firstAnsweredBy: null,
    recording: null,
    missedCallReason: 'no_available_agent',
    voicemail: voicemail ? 'https://voicemails.aircall.io/1001.mp3' : null,
    asset: voicemail ? 'https://assets.aircall.io/calls/1001/voicemail' : null,
    events: [
      'call.created',
      'call.ended',
      'call.hungup',
      ...(voicemail ? ['call.voicemail_left'] : []),
    ].sort(),
    ...overrides,
  });
}

export function outboundCall(overrides: Partial<CallState> = {}, answered = true): CallState {
  return callState({
    direction: 'outbound',
    answeredAt: answered ? T0 + 8 : null,
    recording: answered ? 'https://recordings.aircall.io/1001.mp3' : null,
    asset: answered ? 'https://assets.aircall.io/calls/1001/recording' : null,
    firstAnsweredBy: answered ? ALICE : null,
    events: answered
      ? ['call.answered', 'call.created', 'call.ended', 'call.hungup']
      : ['call.created', 'call.ended', 'call.hungup'],
    ...overrides,
  });
}

export function messageState(overrides: Partial<MessageState> = {}): MessageState {
  return {
    id: 'msg-1',
    direction: 'inbound',
    channel: null,
    body: 'Hello, can you call me back?',
    status: 'received',
    externalNumber: CALLER,
    number: SUPPORT_NUMBER,
    user: ALICE,
    createdAt: T0 * 1000,
    sentAt: T0 * 1000,
    mediaUrls: [],
    events: ['message.received'],
    lastEventAt: T0,
    ...overrides,
  };
}

export function plannerContext(overrides: Partial<PlannerContext> = {}): PlannerContext {
  return {
    now: NOW,
    defaultCountry: 'FR',
    records: [],
    users: [],
    installerUserId: null,
    existing: {},
    withinBusinessHours: null,
    ...overrides,
  };
}

export function crmRecord(overrides: Partial<CrmRecord> = {}): CrmRecord {
  return {
    id: 'rec-1',
    kind: 'contact',
    name: 'Claire Dupont',
    phones: [{ field: 'phone', value: CALLER_E164 }],
    ownerId: null,
    updatedAt: '2026-09-01T10:00:00.000Z',
    createdAt: '2026-01-01T10:00:00.000Z',
    ...overrides,
  };
}

export function crmUser(overrides: Partial<CrmUser> = {}): CrmUser {
  return {
    id: 'user-alice',
    email: ALICE.email,
    name: 'Alice Martin',
    createdAt: '2025-01-01T00:00:00.000Z',
    active: true,
    ...overrides,
  };
}
