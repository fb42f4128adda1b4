/**
 * The HubSpot app card's routes (hubspot-app/), called through `hubspot.fetch`.
 *
 * HubSpot signs every such request (X-HubSpot-Signature-v3) and appends who
 * asks to its URL; the backend checks both (auth 'hubspot',
 * server/http/card-auth.ts) and then acts as the company's Aircall user with
 * that HubSpot user's email (GEN-EMAIL-1). The replies are the agent API's
 * own, so the card shows what the extension's panel shows (EXT-LIST-1).
 */
import { z } from 'zod';
import { callParams, ok, route, type RouteDef } from './route.ts';
import { agentActivitySchema } from './schemas.ts';

/**
 * The query parameters HubSpot appends to every `hubspot.fetch` URL: the
 * account (portal), the HubSpot user and the app. They are covered by the
 * signature, which is over the full URL. Read as strings, as they arrive.
 */
export const hubspotFetchQuery = z.object({
  portalId: z.string(),
  userId: z.string(),
  userEmail: z.string(),
  appId: z.string(),
});

/** HubSpot's record types calls are logged on (lib/crm/hubspot/urls.ts), by the names the card sends. */
export const cardObjectType = z.enum(['contacts', 'companies']);

export const CARD_API = {
  cardActivity: route({
    method: 'GET',
    path: '/hubspot-card/v1/records/:objectType/:recordId/activity',
    auth: 'hubspot',
    summary:
      'The calls and SMS logged on the HubSpot record the card is on (EXT-LIST-1), as the agent API lists them',
    params: z.object({
      objectType: cardObjectType,
      recordId: z.string().regex(/^\d+$/, 'a HubSpot record id (digits)'),
    }),
    query: hubspotFetchQuery,
    reply: z.object({
      activity: z.array(agentActivitySchema),
      /** Who the card acts as: the Aircall user with the HubSpot user's email (GEN-EMAIL-1). */
      agent: z.object({
        aircallUserId: z.number(),
        name: z.string().nullable(),
        /** The agent's Aircall `time_zone` (IANA), for times "in the agent's time zone" (EXT-LIST-1); null when Aircall has none. */
        timeZone: z.string().nullable(),
      }),
    }),
  }),
  cardAddNote: route({
    method: 'POST',
    path: '/hubspot-card/v1/calls/:callId/notes',
    auth: 'hubspot',
    summary: 'Add a note to the call in Aircall as the HubSpot user; the HubSpot call follows (EXT-NOTE-1)',
    params: callParams,
    query: hubspotFetchQuery,
    // The same body as the agent API's addNote.
    body: z.object({ content: z.string().trim().min(1, 'the note is empty').max(5000) }),
    reply: ok,
  }),
} as const satisfies Record<string, RouteDef>;
