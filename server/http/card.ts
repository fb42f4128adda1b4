/**
 * The HubSpot app card's routes (lib/api/contract-card.ts): the agent API's
 * record list and note, for a request HubSpot signed on behalf of one of its
 * users (auth 'hubspot', card-auth.ts). The logic is the agent API's own
 * (agent.ts), so the card and the extension's panel show the same calls.
 */
import type { FastifyInstance } from 'fastify';
import type { Services } from '../services.ts';
import { addNoteAs, isTimeZone, recordActivityOf } from './agent.ts';
import { aircallUserOf, keepRawBody } from './card-auth.ts';
import { handle } from './register.ts';

export function cardRoutes(app: FastifyInstance, svc: Services): void {
  // A scope of their own: the raw-body JSON parser the signature needs applies to these routes only.
  void app.register(async (scope) => {
    keepRawBody(scope);
    handle(scope, svc, 'cardActivity', async ({ agent, params }) => {
      const { activity } = await recordActivityOf(svc, agent, { crm: 'hubspot', recordId: params.recordId });
      const user = await aircallUserOf(svc, agent);
      const zone = user?.time_zone ?? null;
      return {
        activity,
        agent: {
          aircallUserId: agent.aircall_user_id,
          name: user?.name ?? null,
          timeZone: zone && isTimeZone(zone) ? zone : null,
        },
      };
    });
    handle(scope, svc, 'cardAddNote', async ({ agent, params, body }) =>
      addNoteAs(svc, agent, params.callId, body.content),
    );
  });
}
