/**
 * Matching CRM records to a call's number over all their phone fields
 * (GEN-PHONE-2), in E.164 (GEN-PHONE-1).
 */
import type { CrmRecord } from '../logging/plan-types.ts';
import { isE164, toE164 } from './e164.ts';

export interface PhoneMatch {
  record: CrmRecord;
  /** The fields whose value equals the number in E.164. */
  fields: string[];
}

export interface UnreadablePhone {
  recordId: string;
  field: string;
  value: string;
  message: string;
}

export interface RecordMatchResult {
  matches: PhoneMatch[];
  /** Phone values of the candidate records that could not be read: reported, never matched. */
  unreadable: UnreadablePhone[];
}

export function matchRecordsByPhone(
  e164: string,
  records: CrmRecord[],
  defaultCountry: string,
): RecordMatchResult {
  const matches: PhoneMatch[] = [];
  const unreadable: UnreadablePhone[] = [];
  for (const record of records) {
    const fields: string[] = [];
    for (const phone of record.phones) {
      if (phone.value.trim() === '') continue;
      const parsed = toE164(phone.value, defaultCountry);
      if (!parsed.ok) {
        unreadable.push({
          recordId: record.id,
          field: phone.field,
          value: phone.value,
          message: parsed.message,
        });
      } else if (parsed.e164 === e164) {
        fields.push(phone.field);
      }
    }
    if (fields.length > 0) matches.push({ record, fields });
  }
  return { matches, unreadable };
}

export interface PhoneFix {
  field: string;
  value: string;
  /** The E.164 rewrite, or null when the value cannot be read. */
  e164: string | null;
  message?: string;
}

/** EXT-FIX-1 / GEN-DOC-3: a record's phone values not stored in E.164, with their rewrite. */
export function phoneFixesFor(record: CrmRecord, defaultCountry: string): PhoneFix[] {
  const fixes: PhoneFix[] = [];
  for (const phone of record.phones) {
    if (phone.value.trim() === '' || isE164(phone.value)) continue;
    const parsed = toE164(phone.value, defaultCountry);
    fixes.push(
      parsed.ok
        ? { field: phone.field, value: phone.value, e164: parsed.e164 }
        : { field: phone.field, value: phone.value, e164: null, message: parsed.message },
    );
  }
  return fixes;
}
