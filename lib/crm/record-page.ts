/**
 * What a CRM record page is, in the backend's terms: the crm, the object type
 * and the record id that `/v1/records/:crm/:objectType/:recordId/activity`
 * takes (lib/api/contract.ts). Each CRM folder's urls.ts reads it from the
 * page URL alone (STYLE.md 2, EXT-DET-1).
 */
import type { Crm } from '../logging/plan-types.ts';

export interface RecordRef {
  crm: Crm;
  /** HubSpot `contacts`/`companies`, Salesforce `Contact`/`Lead`/`Account`, JobAdder `contact`/`candidate`. */
  objectType: string;
  recordId: string;
}

/** One CRM's record-page detector with the URLs it must accept (its table test: lib/crm/urls.test.ts). */
export interface RecordDetector {
  crm: Crm;
  /** The record the URL shows, or null when it is not a record page of this CRM. */
  detect(url: string): RecordRef | null;
  /** Real-shaped URLs (fake ids) with the record each must yield. */
  examples: readonly (readonly [url: string, expected: RecordRef])[];
  /** URLs of this CRM that are not record pages. */
  nonRecords: readonly string[];
  /** Content-script match patterns (the manifest's `matches`): the SPA's hosts, since it navigates in place. */
  matches: readonly string[];
}

/** A stable key of a record, to tell whether an answer is still for the page shown. */
export function recordKey(r: RecordRef): string {
  return `${r.crm}/${r.objectType}/${r.recordId}`;
}

/** URL parsing that never throws (a content script sees whatever the page holds). */
export function parseUrl(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}
