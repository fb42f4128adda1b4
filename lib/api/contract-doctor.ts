/** The doctor (GEN-DOC-1..6): checks against the live connections, and the one-click phone rewrite. */
import type { RouteDef } from './route.ts';

export const DOCTOR_API = {} as const satisfies Record<string, RouteDef>;
