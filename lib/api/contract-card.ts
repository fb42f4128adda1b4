/** The HubSpot app card's routes (hubspot-app/), called through `hubspot.fetch`. */
import type { RouteDef } from './route.ts';

export const CARD_API = {} as const satisfies Record<string, RouteDef>;
