/**
 * Phone numbers in E.164 (GEN-PHONE-1, GEN-PHONE-2, JA-PHONE-1).
 * Numbers are compared only in E.164. A number stored without a country code
 * is read with the company's default country. A number that cannot be read is
 * reported as such and never matched.
 */
import { type CountryCode, getCountries, parsePhoneNumberFromString } from 'libphonenumber-js';

export type PhoneParse =
  | { ok: true; e164: string; country: string | null; input: string }
  | { ok: false; reason: 'empty' | 'anonymous' | 'unparsable'; input: string; message: string };

const COUNTRIES = new Set<string>(getCountries());

export function isCountryCode(code: string): code is CountryCode {
  return COUNTRIES.has(code);
}

/**
 * Parse any stored phone format into E.164. "Possible" numbers (right length
 * for the country) are accepted even if the range is not allocated, since
 * CRMs hold test and new numbers; anything else is refused with the reason.
 */
export function toE164(input: string | null | undefined, defaultCountry: string): PhoneParse {
  const raw = (input ?? '').trim();
  if (raw === '') return { ok: false, reason: 'empty', input: raw, message: 'no number' };
  if (/^(anonymous|unknown|private|restricted|withheld)$/i.test(raw)) {
    return {
      ok: false,
      reason: 'anonymous',
      input: raw,
      message: `the caller withheld the number ("${raw}")`,
    };
  }
  // "00" international prefix and stray characters are handled by the parser;
  // letters (vanity numbers aside) make a number unreadable.
  const country = isCountryCode(defaultCountry) ? defaultCountry : undefined;
  const parsed = parsePhoneNumberFromString(raw, { defaultCountry: country, extract: false });
  if (!parsed?.isPossible()) {
    return {
      ok: false,
      reason: 'unparsable',
      input: raw,
      message: `"${raw}" is not a phone number that can be read${country ? ` with default country ${country}` : ''}; store it in E.164, e.g. +33176360695`,
    };
  }
  return { ok: true, e164: parsed.number, country: parsed.country ?? null, input: raw };
}

/** True when the stored value is already exactly E.164 ("+" and digits only). */
export function isE164(value: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(value);
}

/** E.164 without the "+", as Salesforce's CallDisposition and aircall__Phone_number__c want it (SF-DISP-1, SF-FLD-1). */
export function e164Digits(e164: string): string {
  return e164.startsWith('+') ? e164.slice(1) : e164;
}
