/**
 * The intake benchmark's webhooks: real Aircall call events
 * (lib/aircall/scenarios.ts) trimmed of their optional links to about 700
 * bytes (issue 8), each a distinct event so none is a cheap duplicate.
 */
import { callWebhooks, inboundAnsweredScript } from '../lib/aircall/scenarios.ts';
import { parseWebhook } from '../lib/aircall/webhook.ts';

const EVENTS_PER_CALL = 6;

/** The JSON body of the i-th event for a company's webhook token. */
export function intakeBody(token: string, i: number): string {
  const callId = 900_000_000 + Math.floor(i / EVENTS_PER_CALL);
  const events = callWebhooks(inboundAnsweredScript({ token, callId }));
  const e = structuredClone(events[i % EVENTS_PER_CALL] ?? events[0]);
  if (!e) throw new Error('the inbound answered script has no events');
  // Optional in the webhook schema; dropping them brings the body to ~700 bytes.
  const data = e.data as Record<string, unknown>;
  for (const k of ['direct_link', 'call_uuid', 'cost', 'teams', 'contact', 'archived', 'asset', 'comments'])
    delete data[k];
  const user = data.user as Record<string, unknown> | undefined;
  if (user) for (const k of ['direct_link', 'available', 'availability_status']) delete user[k];
  const number = data.number as Record<string, unknown> | undefined;
  if (number) for (const k of ['direct_link', 'availability_status', 'open', 'is_ivr']) delete number[k];
  return JSON.stringify(e);
}

/** Check that the trimmed bodies still parse as webhooks; returns their mean size in bytes. */
export function checkIntakeBodies(token: string): number {
  let bytes = 0;
  for (let i = 0; i < EVENTS_PER_CALL; i++) {
    const body = intakeBody(token, i);
    const parsed = parseWebhook(JSON.parse(body));
    if (!parsed.ok) throw new Error(`the intake payload no longer parses: ${parsed.message}`);
    bytes += Buffer.byteLength(body);
  }
  return Math.round(bytes / EVENTS_PER_CALL);
}
