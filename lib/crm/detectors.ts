/** Every CRM's record-page detector, in one list (the extension and the table test read it). */
import { hubspotDetector } from './hubspot/urls.ts';
import { jobadderDetector } from './jobadder/urls.ts';
import type { RecordDetector, RecordRef } from './record-page.ts';
import { salesforceDetector } from './salesforce/urls.ts';

export const DETECTORS: readonly RecordDetector[] = [hubspotDetector, salesforceDetector, jobadderDetector];

/** The record a URL shows, whichever CRM it belongs to. */
export function detectRecord(url: string): RecordRef | null {
  for (const d of DETECTORS) {
    const r = d.detect(url);
    if (r) return r;
  }
  return null;
}
