/**
 * Named mappers from Aircall's folded call/message to HubSpot request
 * properties (API-CONTRACTS 2.2-2.6), plus the HubSpot-wide constants the
 * planner needs (default outcome GUIDs, association type IDs). Property values
 * are strings in HubSpot's model (`additionalProperties: {type: string}`).
 */
import type { CallState, MessageState } from '../../aircall/callState.ts';
import { aircallNumberE164, lastingMediaLink } from '../../aircall/links.ts';
import type { CallClassification } from '../../logging/classify.ts';
import type { CrmRecord } from '../../logging/plan-types.ts';
import { toE164 } from '../../phone/e164.ts';
import type { HubspotRecordExtra } from './facts.ts';

/**
 * HubSpot's default call outcomes (`hs_call_disposition` values), the same in
 * every portal (API-CONTRACTS 2.2, corroborated by several partner projects).
 * Portals may add custom ones: read them from `GET /calling/v1/dispositions`.
 */
export const HUBSPOT_DEFAULT_OUTCOME_IDS = {
  Busy: '9d9162e7-6cf3-4944-bf63-4dff82258764',
  Connected: 'f240bbac-87c9-4f6e-bf70-924b57d47db7',
  'Left live message': 'a4c4c377-d246-4b32-a13b-75a56a4cd0ff',
  'Left voicemail': 'b2cf5968-551e-4856-9783-52b3da59a7d0',
  'No answer': '73a0d17f-1163-4015-bdd5-ec830791da20',
  'Wrong number': '17b47fee-58de-441e-a44c-c6300d46f273',
} as const;
export type HubspotDefaultOutcomeLabel = keyof typeof HUBSPOT_DEFAULT_OUTCOME_IDS;

/** The label of a default outcome GUID, or null for a custom one. */
export function defaultOutcomeLabel(id: string): HubspotDefaultOutcomeLabel | null {
  for (const [label, guid] of Object.entries(HUBSPOT_DEFAULT_OUTCOME_IDS)) {
    if (guid === id) return label as HubspotDefaultOutcomeLabel;
  }
  return null;
}

/**
 * HUBSPOT_DEFINED association type IDs (API-CONTRACTS 2.3, from HubSpot's own
 * Ruby client). A plan's links carry them as "HUBSPOT_DEFINED:<id>".
 */
export const HUBSPOT_ASSOCIATION_TYPES = {
  callToContact: 194,
  callToCompany: 182,
  ticketToCall: 219,
  communicationToContact: 81,
  communicationToCompany: 87,
  ticketToCommunication: 84,
  ticketToContact: 16,
  /** Unlabelled ticket → company (26 is the "primary" label). */
  ticketToCompany: 339,
} as const;

/** The `as` of a plan link for a HUBSPOT_DEFINED association type. */
export function hubspotAssociation(typeId: number): string {
  return `HUBSPOT_DEFINED:${typeId}`;
}

export interface HubspotCallInput {
  kind: CallClassification;
  /** The other party in E.164, or null (anonymous / unreadable). */
  externalE164: string | null;
  /** Name of the record the call is logged on, for the title; null: the number is used. */
  recordName: string | null;
  /** `hs_call_disposition`; null: outcome "None" (the property is not sent). */
  outcomeId: string | null;
  ownerId: string | null;
  /** The HubSpot contact/company the call is logged on, when its id is known. */
  callee: { id: string; type: 'CONTACT' | 'COMPANY' } | null;
  defaultCountry: string;
}

/**
 * A HubSpot call engagement (`POST /crm/v3/objects/calls`, API-CONTRACTS 2.2)
 * for an Aircall call. Duration is conversation time in milliseconds (HubSpot's
 * unit; Aircall's `duration` includes ringing, so it is not used when the call
 * was answered); status is COMPLETED since calls are logged once over.
 */
export function toHubspotCallProperties(call: CallState, input: HubspotCallInput): Record<string, string> {
  const aircallNumber = aircallNumberE164(call.number, input.defaultCountry);
  const external = input.externalE164;
  const props: Record<string, string> = {
    hs_timestamp: new Date(call.startedAt * 1000).toISOString(),
    hs_call_title: hubspotCallTitle(call, input),
    hs_call_body: hubspotCallBody(call),
    hs_call_direction: call.direction === 'inbound' ? 'INBOUND' : 'OUTBOUND',
    hs_call_status: 'COMPLETED',
    hs_call_duration: String(talkSeconds(call) * 1000),
    // hs_call_source INTEGRATIONS_PLATFORM lets HubSpot process the recording (API-CONTRACTS 2.2).
    hs_call_source: 'INTEGRATIONS_PLATFORM',
  };
  const from = call.direction === 'inbound' ? external : aircallNumber;
  const to = call.direction === 'inbound' ? aircallNumber : external;
  if (from) props.hs_call_from_number = from;
  if (to) props.hs_call_to_number = to;
  if (input.outcomeId) props.hs_call_disposition = input.outcomeId;
  const recordingUrl = call.recording ?? call.voicemail;
  if (recordingUrl?.startsWith('https://')) props.hs_call_recording_url = recordingUrl;
  if (input.ownerId) props.hubspot_owner_id = input.ownerId;
  if (input.callee) {
    props.hs_call_callee_object_id = input.callee.id;
    props.hs_call_callee_object_type = input.callee.type;
  }
  return props;
}

/** Seconds of conversation: from answer to end (0 when never answered). */
function talkSeconds(call: CallState): number {
  if (call.answeredAt === null) return 0;
  if (call.endedAt !== null) return Math.max(0, call.endedAt - call.answeredAt);
  return Math.max(0, (call.duration ?? 0) - (call.answeredAt - call.startedAt));
}

/** `hs_call_title`, by call type, in the wording the Salesforce article uses for subjects (SF-SUBJ-1). */
export function hubspotCallTitle(
  call: CallState,
  input: Pick<HubspotCallInput, 'kind' | 'externalE164' | 'recordName'>,
): string {
  const who = input.recordName ?? input.externalE164 ?? 'an unknown number';
  const line = call.number?.name ?? call.number?.digits ?? 'Aircall';
  switch (input.kind.type) {
    case 'outbound_answered':
      return `Outbound call to ${who} with ${line}`;
    case 'outbound_unanswered': {
      const why =
        input.kind.outboundFailure === 'busy'
          ? ' (busy)'
          : input.kind.outboundFailure === 'wrong_number'
            ? ' (wrong number)'
            : '';
      return `Outbound unanswered call to ${who} with ${line}${why}`;
    }
    case 'inbound_answered':
      return `Inbound call from ${who} on ${line}`;
    case 'missed_no_voicemail':
      return `Missed call from ${who} on ${line}`;
    case 'missed_voicemail':
      return `Voicemail from ${who} on ${line}`;
  }
}

/**
 * `hs_call_body` (HTML): voicemail and recording links, AI summary and
 * topics, tags, then the agents' notes in the order they were posted. Links
 * prefer Aircall's `asset` page, which outlives the raw MP3 links (~1 h,
 * API-CONTRACTS 1.4).
 */
export function hubspotCallBody(call: CallState): string {
  const parts: string[] = [];
  const voicemail = lastingMediaLink(call, 'voicemail');
  const recording = lastingMediaLink(call, 'recording');
  if (voicemail) parts.push(`<p>Voicemail: ${link(voicemail)}</p>`);
  if (recording) parts.push(`<p>Recording: ${link(recording)}</p>`);
  if (call.ai.summary) parts.push(`<p><strong>AI summary</strong><br>${text(call.ai.summary)}</p>`);
  if (call.ai.topics.length > 0)
    parts.push(`<p><strong>Key topics</strong>: ${text(call.ai.topics.join(', '))}</p>`);
  if (call.tags.length > 0)
    parts.push(`<p><strong>Tags</strong>: ${text(call.tags.map((t) => t.name).join(', '))}</p>`);
  const comments = [...call.comments].sort((a, b) => a.postedAt - b.postedAt || a.id - b.id);
  for (const c of comments) {
    parts.push(`<p><strong>${text(c.postedBy?.name ?? 'Note')}</strong>: ${text(c.content)}</p>`);
  }
  return parts.length > 0 ? parts.join('') : `<p>Aircall call ${call.id}</p>`;
}

export interface HubspotCommunicationInput {
  externalE164: string | null;
  recordName: string | null;
  ownerId: string | null;
}

/**
 * HS-SMS-1: a HubSpot communication (`POST /crm/v3/objects/communications`,
 * API-CONTRACTS 2.4) for an Aircall message. `hs_communication_logged_from`
 * must be CRM; WhatsApp messages (Aircall `channel: "whatsapp"`) use HubSpot's
 * WHATS_APP channel, everything else SMS.
 */
export function toHubspotCommunicationProperties(
  message: MessageState,
  input: HubspotCommunicationInput,
): Record<string, string> {
  const who = input.recordName ?? input.externalE164 ?? 'an unknown number';
  const line = message.number?.name ?? message.number?.digits ?? 'Aircall';
  const channel = message.channel === 'whatsapp' ? 'WhatsApp message' : 'SMS';
  const heading =
    message.direction === 'outbound'
      ? `${channel} sent${message.user?.name ? ` by ${message.user.name}` : ''} via ${line} to ${who}`
      : `${channel} received from ${who} on ${line}`;
  const media = message.mediaUrls.map((url) => `<p>${link(url)}</p>`).join('');
  const props: Record<string, string> = {
    hs_communication_channel_type: message.channel === 'whatsapp' ? 'WHATS_APP' : 'SMS',
    hs_communication_logged_from: 'CRM',
    hs_communication_body: `<p><strong>${text(heading)}</strong></p><p>${text(message.body)}</p>${media}`,
    hs_timestamp: new Date(message.sentAt ?? message.createdAt).toISOString(),
  };
  if (input.ownerId) props.hubspot_owner_id = input.ownerId;
  return props;
}

export interface HubspotTicketInput {
  subject: string;
  content: string;
  pipelineId: string;
  stageId: string;
  ownerId: string | null;
}

/** HS-TIX-1: a new ticket (`POST /crm/v3/objects/tickets`, API-CONTRACTS 2.6). */
export function toHubspotTicketProperties(input: HubspotTicketInput): Record<string, string> {
  const props: Record<string, string> = {
    subject: input.subject,
    content: input.content,
    hs_pipeline: input.pipelineId,
    hs_pipeline_stage: input.stageId,
  };
  if (input.ownerId) props.hubspot_owner_id = input.ownerId;
  return props;
}

/**
 * HS-GEN-2: a new contact for a number no HubSpot contact holds
 * (`POST /crm/v3/objects/contacts`). The number is stored in E.164, the
 * format the troubleshooting article (seed 004) asks for.
 */
export function toHubspotContactProperties(input: {
  e164: string;
  ownerId: string | null;
}): Record<string, string> {
  const props: Record<string, string> = { phone: input.e164 };
  if (input.ownerId) props.hubspot_owner_id = input.ownerId;
  return props;
}

/**
 * HS-GEN-3: the Aircall contact (`POST /v1/contacts`, update `POST /v1/contacts/:id`,
 * API-CONTRACTS 1.6) holding a HubSpot contact's details. The HubSpot contact's
 * phone fields that parse are all copied, the called number first.
 */
export function toAircallContactFromHubspot(
  record: CrmRecord,
  extra: HubspotRecordExtra,
  e164: string,
  defaultCountry: string,
): Record<string, unknown> {
  const [first, ...rest] = record.name.trim().split(/\s+/);
  const firstName = extra.firstName ?? (extra.lastName ? '' : (first ?? ''));
  const lastName = extra.lastName ?? (extra.firstName ? '' : rest.join(' '));
  const phones = [{ label: 'Work', value: e164 }];
  for (const p of record.phones) {
    const parsed = toE164(p.value, defaultCountry);
    if (parsed.ok && !phones.some((x) => x.value === parsed.e164)) {
      phones.push({ label: p.field === 'mobilephone' ? 'Mobile' : 'Work', value: parsed.e164 });
    }
  }
  const fields: Record<string, unknown> = {
    first_name: firstName,
    last_name: lastName,
    phone_numbers: phones,
    information: `HubSpot contact ${record.id}`,
  };
  if (extra.company) fields.company_name = extra.company;
  if (extra.email) fields.emails = [{ label: 'Work', value: extra.email }];
  return fields;
}

function text(s: string): string {
  return s
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/\r?\n/g, '<br>');
}

/** A link, only for http(s) URLs: anything else is shown as text, never made clickable. */
function link(url: string): string {
  const safe = text(url);
  return /^https?:\/\//i.test(url) ? `<a href="${safe}">${safe}</a>` : safe;
}
