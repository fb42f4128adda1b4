/**
 * Facts about a call's Aircall number and media that every CRM's mapper
 * needs, kept in one place.
 */
import { toE164 } from '../phone/e164.ts';
import type { AircallNumberRef, CallState } from './callState.ts';

/** The Aircall number in E.164, read with its own country (Aircall gives e.g. "+33 1 76 36 06 95"). */
export function aircallNumberE164(number: AircallNumberRef | null, defaultCountry: string): string | null {
  if (!number?.digits) return null;
  const parsed = toE164(number.digits, number.country ?? defaultCountry);
  return parsed.ok ? parsed.e164 : null;
}

/**
 * A link to the call's recording or voicemail that still works when someone
 * reads the CRM days later: Aircall's `asset` page when present, else the
 * direct MP3 link, which expires within hours (API-CONTRACTS 1.4). null
 * when the call has no such media.
 */
export function lastingMediaLink(call: CallState, media: 'recording' | 'voicemail'): string | null {
  const raw = media === 'recording' ? call.recording : call.voicemail;
  return raw ? (call.asset ?? raw) : null;
}
