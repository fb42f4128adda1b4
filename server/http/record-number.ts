/**
 * EXT-LINK-1 "the number can be added to the record": which phone field of
 * the record an agent links a call to takes the call's number.
 *
 * The number goes into the first empty field of the record kind's list, in
 * E.164 (GEN-PHONE-1), unless a phone field already holds it (GEN-PHONE-2:
 * every phone field counts, whatever its format). The lists are the fields a
 * person would fill for a caller's number, by the kind the adapter's
 * `readRecord` answers (lib/logging/plan-types.ts CrmRecord.kind). JobAdder's
 * fields are listed so its adapter, which has no contact update in its
 * contract (API-CONTRACTS 4.2), is the one that refuses.
 */
import type { CrmRecord, Crm } from '../../lib/logging/plan-types.ts';
import { matchRecordsByPhone } from '../../lib/phone/match.ts';

/** A CRM's quirks are data (STYLE.md 6): the fillable phone fields by record kind, in order. */
export const NUMBER_FIELDS: Record<Crm, Record<string, readonly string[]>> = {
  // API-CONTRACTS 2: contacts `phone`, `mobilephone`; companies `phone`.
  hubspot: { contact: ['phone', 'mobilephone'], company: ['phone'] },
  // API-CONTRACTS 3: Contact and Lead `Phone`, `MobilePhone`; Account (and Person Account) `Phone`.
  salesforce: { Contact: ['Phone', 'MobilePhone'], Lead: ['Phone', 'MobilePhone'], Account: ['Phone'] },
  // API-CONTRACTS 4: ContactModel and CandidateModel `phone`, `mobile` (read-only for this backend).
  jobadder: { contact: ['phone', 'mobile'], candidate: ['phone', 'mobile'] },
};

/**
 * EXT-FIX-1: whether this backend may rewrite a record's phone fields. JobAdder's
 * contract gives it no contact or candidate update (API-CONTRACTS 4.2), so there
 * the panel shows the numbers to fix by hand instead of offering a rewrite.
 */
export const PHONE_REWRITE: Record<Crm, { ok: true } | { ok: false; why: string }> = {
  hubspot: { ok: true },
  salesforce: { ok: true },
  jobadder: {
    ok: false,
    why: 'This backend cannot change JobAdder records (its JobAdder access reads contacts and candidates and writes notes): rewrite these numbers in JobAdder itself. Calls match them anyway (JA-PHONE-1).',
  },
};

export type NumberPlacement =
  /** A phone field already holds the number: nothing to write. */
  | { kind: 'present'; field: string }
  /** Write the number here. */
  | { kind: 'write'; field: string }
  /** Every fillable field holds another number. */
  | { kind: 'full'; fields: readonly string[] }
  /** This kind of record has no field the number may go into. */
  | { kind: 'unsupported' };

/** Where the call's number (E.164) goes on this record. */
export function placeNumber(
  crm: Crm,
  record: CrmRecord,
  e164: string,
  defaultCountry: string,
): NumberPlacement {
  const present = matchRecordsByPhone(e164, [record], defaultCountry).matches[0]?.fields[0];
  if (present) return { kind: 'present', field: present };
  const fields = NUMBER_FIELDS[crm][record.kind];
  if (!fields) return { kind: 'unsupported' };
  const filled = new Set(record.phones.filter((p) => p.value.trim() !== '').map((p) => p.field));
  const empty = fields.find((f) => !filled.has(f));
  return empty ? { kind: 'write', field: empty } : { kind: 'full', fields };
}
