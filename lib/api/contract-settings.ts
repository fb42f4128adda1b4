/** The dashboard's settings screen: the choices each CRM offers (pipelines, outcomes, owners...) and Aircall's numbers. */
import type { RouteDef } from './route.ts';

export const SETTINGS_API = {} as const satisfies Record<string, RouteDef>;
