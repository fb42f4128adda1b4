/**
 * The card's only network client: the Aircall bridge's card routes
 * (lib/api/contract-card.ts in the bridge), through `hubspot.fetch`, which
 * HubSpot signs and to which it appends who asks (portalId, userId,
 * userEmail, appId); the bridge checks both. The backend URL is the config
 * profile's BACKEND_URL (hsprofile.<name>.json), the same value the app's
 * permittedUrls.fetch lists: HubSpot refuses any other URL.
 * Doc: developers.hubspot.com/docs/apps/developer-platform/add-features/ui-extensibility/fetching-data
 */
import { hubspot } from '@hubspot/ui-extensions';
import { type Activity, type CardAgent, readActivityReply } from './activity';

/** What went wrong, in words for the HubSpot user, and what to do about it. */
export class CardError extends Error {
  readonly fix: string;
  constructor(message: string, fix: string) {
    super(message);
    this.fix = fix;
  }
}

/** Requests wait at most this long (hubspot.fetch's own limit is 15 s by default). */
const TIMEOUT_MS = 10_000;

/** The bridge's URL, from the profile variable BACKEND_URL (context.variables), checked as HubSpot would (https). */
export function backendUrlOf(raw: unknown): string {
  const fix =
    'Set BACKEND_URL in the project\'s config profile (src/hsprofile.<name>.json) to the bridge\'s https URL, then run "hs project upload --profile <name>".';
  if (typeof raw !== 'string' || raw.trim() === '') {
    throw new CardError("This card does not know the Aircall bridge's URL (BACKEND_URL is not set).", fix);
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new CardError(`BACKEND_URL "${raw}" is not a URL.`, fix);
  }
  if (url.protocol !== 'https:') throw new CardError(`BACKEND_URL "${raw}" is not an https URL.`, fix);
  return url.origin;
}

async function call(url: string, init: { method: 'GET' | 'POST'; body?: Record<string, unknown> }) {
  let res: Response;
  try {
    res = await hubspot.fetch(url, { ...init, timeout: TIMEOUT_MS });
  } catch (err) {
    throw new CardError(
      `The Aircall bridge at ${new URL(url).origin} could not be reached (${(err as Error).message}).`,
      "Try again in a moment. If it keeps failing, ask your admin to check that the bridge is running and that its URL is in the app's permittedUrls.",
    );
  }
  let json: unknown = null;
  try {
    json = await res.json();
  } catch {
    // An answer that is not JSON: reported below with its status.
  }
  if (res.ok) return json;
  const error = (json as { error?: { message?: unknown; fix?: unknown } } | null)?.error;
  if (typeof error?.message === 'string') {
    throw new CardError(error.message, typeof error.fix === 'string' ? error.fix : 'Try again in a moment.');
  }
  if (res.status === 429) {
    throw new CardError(
      'HubSpot is sending too many requests to the bridge right now.',
      'Try again in a few seconds.',
    );
  }
  throw new CardError(
    `The Aircall bridge answered ${res.status} without an explanation.`,
    'Try again in a moment; if it keeps failing, tell your admin the time it happened.',
  );
}

/** The open record's calls and SMS, and the Aircall user the card acts as. */
export async function loadActivity(
  backend: string,
  record: { objectType: string; recordId: number | string },
): Promise<{ activity: Activity[]; agent: CardAgent }> {
  const path = `/hubspot-card/v1/records/${encodeURIComponent(record.objectType)}/${encodeURIComponent(String(record.recordId))}/activity`;
  const reply = readActivityReply(await call(`${backend}${path}`, { method: 'GET' }));
  if (!reply) {
    throw new CardError(
      'The Aircall bridge answered with a list this card cannot read.',
      "Ask your admin to upload the card that matches the bridge's version.",
    );
  }
  return reply;
}

/** EXT-NOTE-1: the note goes to the call in Aircall; the HubSpot call gets it when Aircall tells the bridge. */
export async function addNote(backend: string, callId: string, content: string): Promise<void> {
  await call(`${backend}/hubspot-card/v1/calls/${encodeURIComponent(callId)}/notes`, {
    method: 'POST',
    body: { content },
  });
}
