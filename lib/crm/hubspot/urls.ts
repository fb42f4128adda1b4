/**
 * HubSpot record pages (EXT-DET-1, API-CONTRACTS 2.8): the current
 * `/contacts/{portalId}/record/{objectTypeId}/{id}` form and the legacy
 * `/contacts/{portalId}/contact/{id}` forms, on app.hubspot.com and regional
 * hosts (app-eu1, app-na2...). Only contacts and companies are records calls
 * are logged on (SPEC section 2, "Record"); deals and tickets are not.
 */
import { parseUrl, type RecordDetector, type RecordRef } from '../record-page.ts';

const HOST = /^app(?:-[a-z0-9]+)?\.hubspot\.com$/;
const PATH = /^\/contacts\/(\d+)\/(?:record\/(0-\d+)|(contact|company|deal|ticket))\/(\d+)(?:\/|$)/;
/** HubSpot object type ids (API-CONTRACTS 2.8) to the backend's object names. */
const OBJECT_TYPES: Record<string, string> = { '0-1': 'contacts', '0-2': 'companies' };
const LEGACY: Record<string, string> = { contact: 'contacts', company: 'companies' };

/** The HubSpot record a page URL shows, or null. */
export function hubspotRecordFromUrl(url: string): RecordRef | null {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || !HOST.test(u.hostname)) return null;
  const m = PATH.exec(u.pathname);
  if (!m) return null;
  const [, , typeId, legacy, id] = m;
  const objectType = typeId ? OBJECT_TYPES[typeId] : legacy ? LEGACY[legacy] : undefined;
  if (!objectType || !id) return null;
  return { crm: 'hubspot', objectType, recordId: id };
}

/** The portal id in a HubSpot app URL (for links to the activity). */
export function hubspotPortalOf(url: string): string | null {
  const u = parseUrl(url);
  return (u && /^\/contacts\/(\d+)\//.exec(u.pathname)?.[1]) ?? null;
}

/**
 * A link to a logged HubSpot call: the record page with the engagement
 * focused. The `?engagement=` parameter is what HubSpot's own timeline links
 * carry [partner-code, unverified]; the record page itself always resolves.
 */
export function hubspotActivityUrl(pageUrl: string, record: RecordRef, engagementId: string): string | null {
  const u = parseUrl(pageUrl);
  const portal = hubspotPortalOf(pageUrl);
  if (!u || !portal) return null;
  const typeId = Object.entries(OBJECT_TYPES).find(([, name]) => name === record.objectType)?.[0] ?? '0-1';
  return `${u.origin}/contacts/${portal}/record/${typeId}/${record.recordId}?engagement=${encodeURIComponent(engagementId)}`;
}

export const hubspotDetector: RecordDetector = {
  crm: 'hubspot',
  detect: hubspotRecordFromUrl,
  examples: [
    [
      'https://app.hubspot.com/contacts/5001/record/0-1/501',
      { crm: 'hubspot', objectType: 'contacts', recordId: '501' },
    ],
    [
      'https://app.hubspot.com/contacts/5001/record/0-1/501/view/1?tab=activity',
      { crm: 'hubspot', objectType: 'contacts', recordId: '501' },
    ],
    [
      'https://app-eu1.hubspot.com/contacts/143920/record/0-2/9876543210',
      { crm: 'hubspot', objectType: 'companies', recordId: '9876543210' },
    ],
    [
      'https://app-na2.hubspot.com/contacts/88/record/0-1/12#notes',
      { crm: 'hubspot', objectType: 'contacts', recordId: '12' },
    ],
    [
      'https://app.hubspot.com/contacts/5001/contact/501',
      { crm: 'hubspot', objectType: 'contacts', recordId: '501' },
    ],
    [
      'https://app-eu1.hubspot.com/contacts/5001/company/77/',
      { crm: 'hubspot', objectType: 'companies', recordId: '77' },
    ],
  ],
  nonRecords: [
    'https://app.hubspot.com/contacts/5001/objects/0-1/views/all/list',
    'https://app.hubspot.com/contacts/5001/record/0-3/42',
    'https://app.hubspot.com/contacts/5001/deal/42',
    'https://app.hubspot.com/reports-dashboard/5001/view/1',
    'https://www.hubspot.com/contacts/5001/record/0-1/501',
    'http://app.hubspot.com/contacts/5001/record/0-1/501',
    'https://app.hubspot.com.evil.example/contacts/5001/record/0-1/501',
  ],
  // Regional hosts are listed one by one (least privilege) rather than *.hubspot.com.
  matches: ['https://app.hubspot.com/*', 'https://app-eu1.hubspot.com/*', 'https://app-na2.hubspot.com/*'],
};
