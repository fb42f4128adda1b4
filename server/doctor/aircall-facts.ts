/**
 * The Aircall side of the doctor (GEN-DOC-2 users, GEN-DOC-4 numbers and
 * IVRs): Aircall's users and numbers, read once per run with the company's
 * stored API key and shared by every integration's checks; when Aircall is not
 * connected or cannot be read, the Explained reason instead.
 */
import type { AircallClient } from '../../lib/aircall/client.ts';
import type { AircallNumberInfo, AircallUserInfo } from '../../lib/logging/doctor.ts';
import type { Services } from '../services.ts';
import { explain, type Explained } from './explain.ts';

/** What the doctor knows of the company's Aircall account for one run. */
export interface AircallFacts {
  users: AircallUserInfo[];
  numbers: AircallNumberInfo[];
  /** IVR numbers whose destinations Aircall's API does not give. */
  ivrsWithoutRoutes: AircallNumberInfo[];
}

/**
 * Aircall's users (`GET /v2/users`: no role, API-CONTRACTS 1.6) and numbers
 * (`GET /v1/numbers`, `is_ivr`). Aircall's public API publishes no IVR
 * routing; the sandbox gives it as `sandbox_ivr_destinations` (as
 * server/workers/numbers.ts reads it for GEN-NUM-2).
 */
async function aircallFacts(client: AircallClient): Promise<AircallFacts> {
  const [users, numbers] = await Promise.all([client.listUsers(), client.listNumbers()]);
  const infos = numbers.map((n) => {
    const raw = (n as Record<string, unknown>).sandbox_ivr_destinations;
    return {
      info: {
        id: n.id,
        name: n.name ?? n.digits ?? `number ${n.id}`,
        isIvr: n.is_ivr === true,
        ivrDestinationIds: Array.isArray(raw) ? raw.filter((d): d is number => typeof d === 'number') : [],
      },
      routesKnown: Array.isArray(raw),
    };
  });
  return {
    users: users.map((u) => ({
      id: u.id,
      name: u.name ?? u.email ?? `user ${u.id}`,
      email: u.email ?? null,
    })),
    numbers: infos.map((i) => i.info),
    ivrsWithoutRoutes: infos.filter((i) => i.info.isIvr && !i.routesKnown).map((i) => i.info),
  };
}

/** Aircall's facts for the company, or why they cannot be read (not connected, refusing, unreachable). */
export async function readAircall(svc: Services, companyId: string): Promise<AircallFacts | Explained> {
  const client = await svc.aircall(companyId);
  if (!client) {
    return {
      title: 'Aircall is not connected',
      reason: 'Aircall is not connected for this company, so its users and numbers cannot be read.',
      fix: 'Connect Aircall with an API key (Connections).',
    };
  }
  try {
    return await aircallFacts(client);
  } catch (err) {
    return explain(err, 'Aircall');
  }
}
