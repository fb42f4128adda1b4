/** The CRMs this backend connects to, by name (one file each in this folder). */
import type { Crm } from '../../lib/logging/plan-types.ts';
import { hubspotConnector } from './hubspot.ts';
import { jobadderConnector } from './jobadder.ts';
import { salesforceConnector } from './salesforce.ts';
import type { Connector } from './types.ts';

// Each connector is typed with its own credentials; the registry holds them by their common shape.
export const CONNECTORS: Partial<Record<Crm, Connector>> = {
  hubspot: hubspotConnector as unknown as Connector,
  salesforce: salesforceConnector as unknown as Connector,
  jobadder: jobadderConnector as unknown as Connector,
};

/** The connector of a CRM; throws a clear error for a CRM this backend cannot connect yet. */
export function connectorOf(crm: Crm): Connector {
  const c = CONNECTORS[crm];
  if (!c) throw new Error(`${crm} is not supported by this backend`);
  return c;
}
