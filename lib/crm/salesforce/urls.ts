/**
 * Salesforce Lightning record pages (EXT-DET-1, API-CONTRACTS 3.6):
 * `/lightning/r/{Object}/{Id}/view` and `/lightning/r/{Id}/view` on
 * `{MyDomain}.lightning.force.com`, including sandbox
 * (`--{name}.sandbox.`), Developer Edition (`.develop.`), scratch and
 * Trailhead hosts. The records calls are logged on are Contact, Lead and
 * Account (Person Accounts are Accounts; SPEC section 2, "Record").
 */
import { parseUrl, type RecordDetector, type RecordRef } from '../record-page.ts';
import { salesforceId18 } from './ids.ts';

const HOST = /^[a-z0-9-]+(?:\.(?:sandbox|develop|scratch|trailblaze))?\.lightning\.force\.com$/i;
const PATH = /^\/lightning\/r\/(?:([A-Za-z0-9_]+)\/)?([A-Za-z0-9]{15}(?:[A-Za-z0-9]{3})?)\/view\/?$/;
const OBJECTS = ['Contact', 'Lead', 'Account'] as const;
/** Record id key prefixes (API-CONTRACTS 3.6), for the `/lightning/r/{Id}/view` form. */
const PREFIXES: Record<string, (typeof OBJECTS)[number]> = {
  '003': 'Contact',
  '00Q': 'Lead',
  '001': 'Account',
};

/** The Salesforce record a page URL shows, or null. */
export function salesforceRecordFromUrl(url: string): RecordRef | null {
  const u = parseUrl(url);
  if (!u || u.protocol !== 'https:' || !HOST.test(u.hostname)) return null;
  const m = PATH.exec(u.pathname);
  if (!m) return null;
  const [, object, id] = m;
  if (!id) return null;
  const objectType = object
    ? OBJECTS.find((o) => o.toLowerCase() === object.toLowerCase())
    : PREFIXES[id.slice(0, 3)];
  // An explicit object must agree with the id's key prefix when the prefix is one we know.
  const byPrefix = PREFIXES[id.slice(0, 3)];
  if (!objectType || (byPrefix && byPrefix !== objectType)) return null;
  // The backend keeps the 18-character id the API returns; a 15-character link means the same record.
  return { crm: 'salesforce', objectType, recordId: salesforceId18(id) };
}

/** A link to a logged Salesforce Task (SF-* writes are Tasks), on the org the page is on. */
export function salesforceActivityUrl(pageUrl: string, taskId: string): string | null {
  const u = parseUrl(pageUrl);
  return u ? `${u.origin}/lightning/r/Task/${encodeURIComponent(taskId)}/view` : null;
}

export const salesforceDetector: RecordDetector = {
  crm: 'salesforce',
  detect: salesforceRecordFromUrl,
  examples: [
    [
      'https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view',
      { crm: 'salesforce', objectType: 'Contact', recordId: '003000000000001AAA' },
    ],
    [
      'https://acme.lightning.force.com/lightning/r/Lead/00Q000000000002/view?ws=%2Flightning%2Fr%2FLead',
      { crm: 'salesforce', objectType: 'Lead', recordId: '00Q000000000002EAA' },
    ],
    [
      'https://acme--uat.sandbox.lightning.force.com/lightning/r/Account/001000000000003AAA/view',
      { crm: 'salesforce', objectType: 'Account', recordId: '001000000000003AAA' },
    ],
    [
      'https://acme-dev-ed.develop.lightning.force.com/lightning/r/003000000000004AAA/view',
      { crm: 'salesforce', objectType: 'Contact', recordId: '003000000000004AAA' },
    ],
    [
      'https://fun-app-1234.scratch.lightning.force.com/lightning/r/00Q000000000005AAA/view',
      { crm: 'salesforce', objectType: 'Lead', recordId: '00Q000000000005AAA' },
    ],
  ],
  nonRecords: [
    'https://acme.lightning.force.com/lightning/o/Contact/list?filterName=Recent',
    'https://acme.lightning.force.com/lightning/page/home',
    'https://acme.lightning.force.com/lightning/r/Case/500000000000001AAA/view',
    'https://acme.lightning.force.com/lightning/r/Opportunity/006000000000001AAA/view',
    'https://acme.lightning.force.com/lightning/r/Contact/001000000000003AAA/view',
    'https://acme.my.salesforce.com/003000000000001',
    'https://lightning.force.com.evil.example/lightning/r/Contact/003000000000001AAA/view',
  ],
  matches: ['https://*.lightning.force.com/*'],
};
