/**
 * The whole sandbox: the Aircall, HubSpot, Salesforce and JobAdder
 * simulators, each on its own port of 127.0.0.1.
 */
import { startAircallSimulator } from './aircall/server.ts';
import { startHubspotSimulator } from './hubspot/server.ts';
import { startJobadderSimulator } from './jobadder/server.ts';
import { startSalesforceSimulator } from './salesforce/server.ts';

export interface Sandbox {
  aircall: Awaited<ReturnType<typeof startAircallSimulator>>;
  hubspot: Awaited<ReturnType<typeof startHubspotSimulator>>;
  salesforce: Awaited<ReturnType<typeof startSalesforceSimulator>>;
  jobadder: Awaited<ReturnType<typeof startJobadderSimulator>>;
  close(): Promise<void>;
}

/** Ports per simulator; 0 or omitted: any free port. */
export async function startSandbox(
  ports: { aircall?: number; hubspot?: number; salesforce?: number; jobadder?: number } = {},
): Promise<Sandbox> {
  const [aircall, hubspot, salesforce, jobadder] = await Promise.all([
    startAircallSimulator({ port: ports.aircall ?? 0 }),
    startHubspotSimulator({ port: ports.hubspot ?? 0 }),
    startSalesforceSimulator({ port: ports.salesforce ?? 0 }),
    startJobadderSimulator({ port: ports.jobadder ?? 0 }),
  ]);
  return {
    aircall,
    hubspot,
    salesforce,
    jobadder,
    async close() {
      await Promise.all([aircall.close(), hubspot.close(), salesforce.close(), jobadder.close()]);
    },
  };
}

/** The simulators' base URLs. */
export function sandboxUrls(sandbox: Sandbox) {
  return {
    aircall: sandbox.aircall.url,
    hubspot: sandbox.hubspot.url,
    salesforce: sandbox.salesforce.url,
    jobadder: sandbox.jobadder.url,
  };
}
