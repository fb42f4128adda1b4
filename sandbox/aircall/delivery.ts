/**
 * Webhook delivery as Aircall does it (API-CONTRACTS 1.3): each event is
 * POSTed as JSON to every active webhook of the company subscribed to it,
 * with the webhook's token in the envelope; no answer within 5 s or a
 * non-2xx is a failure, retried with backoff up to 50 attempts; after 50
 * consecutive failures the webhook is deactivated. Retries already under way
 * continue after deactivation, and a success re-enables the webhook (Aircall
 * "keeps retrying for 12 h; a success in that window re-enables"); new events
 * skip inactive webhooks. Aircall's real retry schedule is [unverified]: here
 * it doubles from `baseDelayMs`, capped at `maxDelayMs`.
 *
 * Every attempt is recorded; `flush()` resolves once nothing is pending, so
 * tests can wait for retries to settle.
 */
import type { SimClock } from '../common/sim.ts';
import type { CompanyState, WebhookRecord } from './state.ts';

export interface DeliveryOptions {
  /** Wait before the first retry; doubled per attempt. Default 1 s. */
  baseDelayMs: number;
  /** Longest wait between two attempts. Default 10 min [unverified]. */
  maxDelayMs: number;
  /** Attempts per event and webhook, the first included. Default 50. */
  maxAttempts: number;
  /** Consecutive failures after which the webhook is deactivated. Default 50. */
  deactivateAfter: number;
  /** How long the receiver has to answer. Default 5 s. */
  timeoutMs: number;
}

export const DEFAULT_DELIVERY: DeliveryOptions = {
  baseDelayMs: 1_000,
  maxDelayMs: 10 * 60_000,
  maxAttempts: 50,
  deactivateAfter: 50,
  timeoutMs: 5_000,
};

/** An event to send, before the receiving webhook's token is put in. */
export interface OutgoingEvent {
  resource: string;
  event: string;
  /** UNIX seconds. */
  timestamp: number;
  data: Record<string, unknown>;
}

export interface DeliveryRecord {
  company: number;
  webhookId: string;
  url: string;
  event: string;
  callId: number | null;
  messageId: string | null;
  /** The receiver's HTTP status, or 0 when it did not answer (timeout, refused connection). */
  status: number;
  ok: boolean;
  attempt: number;
  /** UNIX ms on the simulator's clock. */
  at: number;
  error: string | null;
}

function callIdOf(e: OutgoingEvent): number | null {
  const id = e.resource === 'call' ? e.data.id : e.data.call_id;
  return typeof id === 'number' ? id : null;
}

function messageIdOf(e: OutgoingEvent): string | null {
  const id = e.data.id;
  return e.resource === 'message' && (typeof id === 'string' || typeof id === 'number') ? String(id) : null;
}

export class WebhookDeliverer {
  readonly records: DeliveryRecord[] = [];
  options: DeliveryOptions;
  private readonly clock: SimClock;
  private pending = 0;
  private waiters: (() => void)[] = [];
  private readonly timers = new Set<ReturnType<typeof setTimeout>>();
  /** Bumped by reset/close: chains from an older generation stop. */
  private generation = 0;

  constructor(clock: SimClock, options: Partial<DeliveryOptions> = {}) {
    this.clock = clock;
    this.options = { ...DEFAULT_DELIVERY, ...options };
  }

  /** The company's active webhooks subscribed to `event`. */
  subscribers(company: CompanyState, event: string): WebhookRecord[] {
    return [...company.webhooks.values()].filter((w) => w.active && w.events.includes(event));
  }

  /**
   * Send `event` to every subscribed webhook. Resolves with the first
   * attempts' records; failed ones are retried in the background.
   */
  async emit(company: CompanyState, event: OutgoingEvent): Promise<DeliveryRecord[]> {
    return Promise.all(this.subscribers(company, event.event).map((w) => this.send(company, w, event)));
  }

  /** Send one event to one webhook; resolves with the first attempt's record. */
  send(company: CompanyState, webhook: WebhookRecord, event: OutgoingEvent): Promise<DeliveryRecord> {
    this.pending += 1;
    const generation = this.generation;
    return new Promise<DeliveryRecord>((resolveFirst) => {
      const run = async (attempt: number): Promise<void> => {
        const record = await this.attempt(company, webhook, event, attempt);
        if (generation === this.generation) this.records.push(record);
        if (attempt === 1) resolveFirst(record);
        const stillThere = company.webhooks.get(webhook.webhook_id) === webhook;
        if (
          record.ok ||
          attempt >= this.options.maxAttempts ||
          !stillThere ||
          generation !== this.generation
        ) {
          this.settle(generation);
          return;
        }
        const wait = Math.min(this.options.maxDelayMs, this.options.baseDelayMs * 2 ** (attempt - 1));
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void run(attempt + 1);
        }, wait);
        this.timers.add(timer);
      };
      void run(1);
    });
  }

  private async attempt(
    company: CompanyState,
    webhook: WebhookRecord,
    event: OutgoingEvent,
    attempt: number,
  ): Promise<DeliveryRecord> {
    let status = 0;
    let error: string | null = null;
    try {
      const res = await fetch(webhook.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'user-agent': 'Aircall-Sandbox-Webhooks' },
        body: JSON.stringify({ ...event, token: webhook.token }),
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      if (status < 200 || status >= 300) error = `receiver answered ${status}`;
    } catch (err) {
      const e = err as Error;
      error =
        e.name === 'TimeoutError'
          ? `no answer within ${this.options.timeoutMs} ms`
          : `could not reach ${webhook.url}: ${e.message}`;
    }
    const ok = status >= 200 && status < 300;
    if (ok) {
      webhook.consecutiveFailures = 0;
      webhook.active = true;
    } else {
      webhook.consecutiveFailures += 1;
      if (webhook.consecutiveFailures >= this.options.deactivateAfter) webhook.active = false;
    }
    return {
      company: company.id,
      webhookId: webhook.webhook_id,
      url: webhook.url,
      event: event.event,
      callId: callIdOf(event),
      messageId: messageIdOf(event),
      status,
      ok,
      attempt,
      at: this.clock.now(),
      error,
    };
  }

  private settle(generation: number): void {
    if (generation !== this.generation) return;
    this.pending -= 1;
    if (this.pending > 0) return;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /** Resolves when every delivery, retries included, has succeeded or given up. */
  flush(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Drop scheduled retries and the records (sandbox reset, server close). */
  reset(): void {
    this.generation += 1;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    this.pending = 0;
    this.records.length = 0;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }
}
