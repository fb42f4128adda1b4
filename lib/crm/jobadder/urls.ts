/**
 * JobAdder record pages (EXT-DET-1). JobAdder documents no web-app URLs
 * (API-CONTRACTS 4.3): `app.jobadder.com/candidates/{id}` is what third-party
 * code links to [partner-code], `/contacts/{id}` by analogy [unverified].
 * The ids are the API's numeric contactId/candidateId.
 */
import { parseUrl, type RecordDetector, type RecordRef } from '../record-page.ts';

const PATH = /^\/(contacts|candidates)\/(\d+)(?:\/|$)/;
const OBJECTS: Record<string, string> = { contacts: 'contact', candidates: 'candidate' };

/** The JobAdder record a page URL shows, or null. */
export function jobadderRecordFromUrl(url: string): RecordRef | null {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || u.hostname !== 'app.jobadder.com') return null;
  const m = PATH.exec(u.pathname);
  const objectType = m?.[1] ? OBJECTS[m[1]] : undefined;
  if (!m?.[2] || !objectType) return null;
  return { crm: 'jobadder', objectType, recordId: m[2] };
}

export const jobadderDetector: RecordDetector = {
  crm: 'jobadder',
  detect: jobadderRecordFromUrl,
  examples: [
    ['https://app.jobadder.com/contacts/1234', { crm: 'jobadder', objectType: 'contact', recordId: '1234' }],
    [
      'https://app.jobadder.com/candidates/98765/activity',
      { crm: 'jobadder', objectType: 'candidate', recordId: '98765' },
    ],
    [
      'https://app.jobadder.com/candidates/42?tab=notes',
      { crm: 'jobadder', objectType: 'candidate', recordId: '42' },
    ],
  ],
  nonRecords: [
    'https://app.jobadder.com/contacts',
    'https://app.jobadder.com/candidates/search?q=smith',
    'https://app.jobadder.com/jobs/555',
    'https://api.jobadder.com/v2/candidates/42',
    'http://app.jobadder.com/contacts/1234',
  ],
  matches: ['https://app.jobadder.com/*'],
};
