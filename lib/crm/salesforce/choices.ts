/**
 * The choices of a Salesforce integration's settings (SPEC section 5), read
 * live for the dashboard: the org's active users, for "when a call does not
 * match a Salesforce user, assign it to" (SF-OWN-2). The other settings pick
 * from fixed lists (settings.ts); the Task's record type is the installer's
 * default (SF-MISC-1), not a setting.
 */
import type { SalesforceChoices } from '../../api/contract-settings.ts';
import type { SalesforceClient } from './client.ts';

/** SOQL of the org's users an admin may pick (API-CONTRACTS 3.1 "SOQL"). */
export const ACTIVE_USERS_SOQL = 'SELECT Id, Name, Email FROM User WHERE IsActive = true ORDER BY Name ASC';

export async function readSalesforceChoices(client: SalesforceClient): Promise<SalesforceChoices> {
  const users = await client.query(ACTIVE_USERS_SOQL);
  return {
    crm: 'salesforce',
    users: users.flatMap((u) => {
      const id = u.id ?? (typeof u.fields.Id === 'string' ? u.fields.Id : null);
      if (!id) return [];
      const email = typeof u.fields.Email === 'string' && u.fields.Email ? u.fields.Email : null;
      const name = typeof u.fields.Name === 'string' && u.fields.Name ? u.fields.Name : (email ?? id);
      return [{ id, name, email }];
    }),
  };
}
