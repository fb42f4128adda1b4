/**
 * What the simulator's route files share: the state, the clock, the webhook
 * deliverer, and the company each authenticated request was made for.
 */
import type { FastifyRequest } from 'fastify';
import type { SimClock } from '../common/sim.ts';
import type { OutgoingEvent, WebhookDeliverer } from './delivery.ts';
import type { AircallState, CompanyState } from './state.ts';

export interface SimContext {
  state: AircallState;
  clock: SimClock;
  deliverer: WebhookDeliverer;
  /** The company the request authenticated as (set by auth.ts before any /v1 or /v2 route runs). */
  companyOf(req: FastifyRequest): CompanyState;
  /** Send an event to the company's subscribed webhooks, in the background (flush() waits for it). */
  emit(company: CompanyState, event: OutgoingEvent): void;
  /** The simulator clock in UNIX seconds, the unit of Aircall's timestamps. */
  nowSeconds(): number;
}

/** A positive integer path id, or null (the route then answers 404 like Aircall). */
export function idParam(req: FastifyRequest, name = 'id'): number | null {
  const raw = (req.params as Record<string, string | undefined>)[name];
  if (raw === undefined || !/^\d+$/.test(raw)) return null;
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 ? n : null;
}
