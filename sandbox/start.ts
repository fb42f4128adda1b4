/**
 * The whole sandbox: the Aircall and HubSpot simulators, each on its own
 * port of 127.0.0.1 (Salesforce and JobAdder join in their issues).
 */
import { startAircallSimulator } from './aircall/server.ts';
import { startHubspotSimulator } from './hubspot/server.ts';

export interface Sandbox {
  aircall: Awaited<ReturnType<typeof startAircallSimulator>>;
  hubspot: Awaited<ReturnType<typeof startHubspotSimulator>>;
  close(): Promise<void>;
}

export async function startSandbox(ports: { aircall?: number; hubspot?: number } = {}): Promise<Sandbox> {
  const aircall = await startAircallSimulator({ port: ports.aircall ?? 0 });
  const hubspot = await startHubspotSimulator({ port: ports.hubspot ?? 0 });
  return {
    aircall,
    hubspot,
    async close() {
      await Promise.all([aircall.close(), hubspot.close()]);
    },
  };
}
