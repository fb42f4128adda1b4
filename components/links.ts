/** Where a call was logged, as a link into the CRM the agent is on (EXT-LIST-1). */
import { hubspotActivityUrl } from '../lib/crm/hubspot/urls.ts';
import type { RecordRef } from '../lib/crm/record-page.ts';
import { salesforceActivityUrl } from '../lib/crm/salesforce/urls.ts';
import type { Activity } from './view.ts';

export interface Placement {
  crm: string;
  label: string;
  href: string | null;
}

const NAMES: Record<string, string> = { hubspot: 'HubSpot', salesforce: 'Salesforce', jobadder: 'JobAdder' };

export function placementsOf(a: Activity, record: RecordRef, pageUrl: string): Placement[] {
  return a.logging.flatMap((l) => {
    const written = l.written.activity ?? l.written.task ?? l.written.note ?? Object.values(l.written)[0];
    if (!written) return [];
    const name = NAMES[l.crm] ?? l.crm;
    // Links only into the CRM the agent is on (its host is the page's).
    let href: string | null = null;
    if (l.crm === record.crm) {
      if (l.crm === 'hubspot') href = hubspotActivityUrl(pageUrl, record, written.id);
      else if (l.crm === 'salesforce') href = salesforceActivityUrl(pageUrl, written.id);
      else href = pageUrl;
    }
    return [
      { crm: l.crm, label: `${name} ${written.target.split('.').at(-1) ?? 'activity'} ${written.id}`, href },
    ];
  });
}
