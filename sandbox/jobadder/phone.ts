/**
 * How the simulator reads the phone numbers JobAdder users type in, for the
 * phone search and the `Phone` filters (API-CONTRACTS 4.2; GEN-PHONE-1,
 * JA-PHONE-1). A stored number with a country code ("+61 412 345 678",
 * "0011 61 412 345 678") is international; one without ("0412 345 678") is read
 * with the account's default country and is national. JobAdder's own
 * normalisation is not published [unverified]: this is libphonenumber's.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js';

export interface StoredNumber {
  e164: string;
  /** True when the stored text carried its country code. */
  international: boolean;
}

/** A stored number in E.164, or null when it cannot be read as a possible number. */
export function readStoredNumber(raw: string | null, defaultCountry: string): StoredNumber | null {
  const text = (raw ?? '').trim();
  if (!text) return null;
  const parsed = parsePhoneNumberFromString(text, { defaultCountry: defaultCountry as CountryCode });
  if (!parsed?.isPossible()) return null;
  // International: "+" or the country's international call prefix ("0011 61...", "0033..."), i.e.
  // the country code is among the typed digits; a national number has the trunk prefix instead.
  const digits = text.replace(/\D/g, '');
  const international =
    text.startsWith('+') || digits.endsWith(`${parsed.countryCallingCode}${parsed.nationalNumber}`);
  return { e164: parsed.number, international };
}

/** The `E164` query value: "+" then 7 to 15 digits, the first not 0 (ITU-T E.164). */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}
