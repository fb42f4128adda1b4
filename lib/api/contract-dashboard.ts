/** The admin dashboard's routes beyond the core admin API (issue 7): call search, backfill progress, settings choices. */
import type { RouteDef } from './route.ts';

export const DASHBOARD_API = {} as const satisfies Record<string, RouteDef>;
