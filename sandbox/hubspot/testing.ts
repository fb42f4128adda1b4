/**
 * Helpers for tests that talk to the HubSpot simulator over real HTTP.
 */
import { caller } from '../common/testing.ts';
import { type HubspotSimulator, startHubspotSimulator } from './server.ts';

export { caller, type HttpAnswer } from '../common/testing.ts';

export const PORTAL_ID = 4242;
export const TOKEN = 'pat-na1-test-4242';

/** Starts a simulator on port 0; `reset` clears it and seeds one portal with a private app token. */
export async function startTestHubspot(): Promise<{
  url: string;
  sim: HubspotSimulator;
  close(): Promise<void>;
  reset(portal?: Record<string, unknown>): Promise<void>;
}> {
  const started = await startHubspotSimulator();
  const admin = caller(started.url, null);
  return {
    ...started,
    async reset(portal = {}) {
      await admin.post('/_sandbox/reset', {});
      const seeded = await admin.post('/_sandbox/seed', {
        portals: [{ portalId: PORTAL_ID, privateAppTokens: [TOKEN], ...portal }],
      });
      if (seeded.status !== 200) throw new Error(`seed refused: ${seeded.text}`);
    },
  };
}

/** An association spec of API-CONTRACTS 2.3. */
export function hs(typeId: number) {
  return { associationCategory: 'HUBSPOT_DEFINED', associationTypeId: typeId };
}
