/**
 * Every webhook event Aircall publishes (API-CONTRACTS 1.3, "Full event
 * list", 67 events). A webhook created without `events` gets them all; a
 * name outside this list is refused, so a typo in a subscription shows at
 * once instead of as silence. (Aircall's own answer to an unknown event name
 * is [unverified].)
 */
import {
  CALL_EVENTS,
  CONTACT_EVENTS,
  MESSAGE_EVENTS,
  NUMBER_EVENTS,
  USER_EVENTS,
} from '../../lib/aircall/webhook.ts';

export const ALL_WEBHOOK_EVENTS: readonly string[] = [
  ...CALL_EVENTS,
  ...USER_EVENTS,
  ...NUMBER_EVENTS,
  ...CONTACT_EVENTS,
  ...MESSAGE_EVENTS,
  'group_message.sent',
  'group_message.received',
  'group_message.status_updated',
  'transcription.created',
  'summary.created',
  'topics.created',
  'sentiment.created',
  'action_item.created',
  'playbook_result.created',
  'playbook_result.updated',
  'realtime_transcription.utterances_received',
  'custom_summary.result_created',
  'custom_summary.result_updated',
  'call_evaluation.created',
  'call_evaluation.updated',
  'ai_voice_agent.started',
  'ai_voice_agent.ended',
  'ai_voice_agent.escalated',
  'ai_voice_agent.summary',
  'analytics.report_created',
  'analytics.report_failed',
  'integration.deleted',
];
