/**
 * Micro-batching of vendor requests (issue 8 "CRM requests per logged call"):
 * the work items of one integration run at once (server/workers/runner.ts)
 * and share one adapter (server/services.ts), so writes and lookups they make
 * at about the same moment can go to the CRM as one batch request (HubSpot
 * `batch/create`, Salesforce sObject Collections, one SOSL for many numbers).
 *
 * `add(item)` resolves with that item's own result. A batch goes when it
 * holds the vendor's maximum, or when the burst of callers has added theirs:
 * no new item for `quietMs` (a lone item waits only that), and never later
 * than `maxWaitMs` after its first item. A batch the vendor refuses as a
 * whole because of one bad item (an all-or-nothing endpoint's 400) is split
 * in halves until that item is alone: it fails with its own error, the
 * others go through.
 */

/** One item's result: its value, or the error that stopped it alone. */
export type Settled<R> = { ok: true; value: R } | { ok: false; error: unknown };

export interface FlushStats {
  size: number;
  /** From the batch's first `add` to its send. */
  waitedMs: number;
  reason: 'full' | 'quiet' | 'max-wait';
  /** Whether the batch was started in a burst (`burstAfter`). */
  burst: boolean;
}

export interface MicroBatchOptions<I, R> {
  /** The vendor's largest batch. */
  maxSize: number;
  /** Sends one batch; one outcome per item, in the items' order. A throw refuses the whole batch. */
  send(items: I[]): Promise<Settled<R>[]>;
  /**
   * Whether a whole-batch refusal may be one item's fault (e.g. a 400 of an
   * all-or-nothing batch endpoint), so that splitting the batch isolates it.
   * Other refusals (429, 5xx, unreachable) fail every item with that error:
   * splitting would only multiply requests to a vendor that is struggling.
   */
  isolate?(error: unknown): boolean;
  /** A batch goes once no item was added for this long (0: after the current I/O turn). Default 2 ms. */
  quietMs?: number;
  /**
   * A burst: at least `adds` items were added in the `withinMs` before a
   * batch's first item. Callers in a burst each run on their own time, a
   * little after the other, so a batch started in one closes on a longer
   * quiet window, `quietMs` without a new item (every running caller has
   * added its item, or the flow paused), or at `maxWaitMs`. Default: no
   * bursts (every batch closes on the short quiet window).
   */
  burst?: { adds: number; withinMs: number; quietMs: number };
  /** A batch never waits longer than this from its first item. Default 20 ms. */
  maxWaitMs?: number;
  /** Told of every batch sent (measurements, tests). */
  onFlush?(stats: FlushStats): void;
}

interface Pending<I, R> {
  item: I;
  resolve(value: R): void;
  reject(error: unknown): void;
}

export class MicroBatcher<I, R> {
  private readonly opts: MicroBatchOptions<I, R>;
  private readonly quietMs: number;
  private readonly maxWaitMs: number;
  private readonly burstRule: { adds: number; withinMs: number; quietMs: number } | null;
  /** When recent items were added (performance.now()), oldest first, those of the burst rule's `withinMs`. */
  private recent: number[] = [];
  /** The batch being filled was started in a burst. */
  private burst = false;
  private pending: Pending<I, R>[] = [];
  private firstAt = 0;
  private quiet: ReturnType<typeof setTimeout> | ReturnType<typeof setImmediate> | null = null;
  private quietIsImmediate = false;
  private cap: ReturnType<typeof setTimeout> | null = null;

  constructor(opts: MicroBatchOptions<I, R>) {
    if (!Number.isInteger(opts.maxSize) || opts.maxSize < 1)
      throw new Error(`a micro-batch holds at least 1 item; maxSize was ${opts.maxSize}`);
    this.opts = opts;
    this.quietMs = opts.quietMs ?? 2;
    this.burstRule = opts.burst ?? null;
    this.maxWaitMs = Math.max(this.quietMs, this.burstRule?.quietMs ?? 0, opts.maxWaitMs ?? 20);
  }

  /** Queue one item; resolves with its result, or rejects with its own error. */
  add(item: I): Promise<R> {
    const now = performance.now();
    let burst = false;
    if (this.burstRule) {
      const since = now - this.burstRule.withinMs;
      while (this.recent.length > 0 && (this.recent[0] ?? 0) < since) this.recent.shift();
      burst = this.recent.length >= this.burstRule.adds;
      this.recent.push(now);
    }
    return new Promise<R>((resolve, reject) => {
      if (this.pending.length === 0) this.start(now, burst);
      this.pending.push({ item, resolve, reject });
      if (this.pending.length >= this.opts.maxSize) {
        this.flush('full');
        return;
      }
      this.armQuiet();
    });
  }

  /** Items waiting for their batch to go. */
  get waiting(): number {
    return this.pending.length;
  }

  /** A new batch: it goes at `maxWaitMs` at the latest. */
  private start(now: number, burst: boolean): void {
    this.firstAt = now;
    this.burst = burst;
    this.cap = setTimeout(() => this.flush('max-wait'), this.maxWaitMs);
  }

  private armQuiet(): void {
    this.clearQuiet();
    const ms = this.burst && this.burstRule ? this.burstRule.quietMs : this.quietMs;
    this.quietIsImmediate = ms === 0;
    this.quiet =
      ms === 0 ? setImmediate(() => this.flush('quiet')) : setTimeout(() => this.flush('quiet'), ms);
  }

  private clearQuiet(): void {
    if (this.quiet === null) return;
    // Each clears only its own kind of handle (Node ignores the other; fake timers insist).
    if (this.quietIsImmediate) clearImmediate(this.quiet as ReturnType<typeof setImmediate>);
    else clearTimeout(this.quiet as ReturnType<typeof setTimeout>);
    this.quiet = null;
  }

  private flush(reason: FlushStats['reason']): void {
    this.clearQuiet();
    if (this.cap !== null) clearTimeout(this.cap);
    this.cap = null;
    const batch = this.pending.splice(0, this.opts.maxSize);
    if (batch.length === 0) return;
    this.opts.onFlush?.({
      size: batch.length,
      waitedMs: performance.now() - this.firstAt,
      reason,
      burst: this.burst,
    });
    void this.sendBatch(batch);
    if (this.pending.length >= this.opts.maxSize) this.flush('full');
    else if (this.pending.length > 0) {
      // More than a batch was waiting: the rest starts its own window now.
      this.start(performance.now(), this.burst);
      this.armQuiet();
    }
  }

  private async sendBatch(batch: Pending<I, R>[]): Promise<void> {
    let outcomes: Settled<R>[];
    try {
      outcomes = await this.opts.send(batch.map((p) => p.item));
    } catch (err) {
      if (batch.length > 1 && this.opts.isolate?.(err)) {
        // Halves until the bad item is alone: about 2 log2(n) requests instead of n.
        const half = Math.ceil(batch.length / 2);
        await Promise.all([this.sendBatch(batch.slice(0, half)), this.sendBatch(batch.slice(half))]);
        return;
      }
      for (const p of batch) p.reject(err);
      return;
    }
    if (outcomes.length !== batch.length) {
      const err = new Error(
        `a batch of ${batch.length} items got ${outcomes.length} results: the vendor's answer does not match the request`,
      );
      for (const p of batch) p.reject(err);
      return;
    }
    batch.forEach((p, i) => {
      const o = outcomes[i] as Settled<R>;
      if (o.ok) p.resolve(o.value);
      else p.reject(o.error);
    });
  }
}

/** Runs each item's own request (a batch of one, or rounds of them), keeping each item's own error. */
export async function settleEach<I, R>(items: I[], run: (item: I) => Promise<R>): Promise<Settled<R>[]> {
  return Promise.all(
    items.map((item) =>
      run(item).then(
        (value): Settled<R> => ({ ok: true, value }),
        (error: unknown): Settled<R> => ({ ok: false, error }),
      ),
    ),
  );
}

/**
 * Sends `items` in rounds whose keys are unique (a batch request may not
 * name one record twice), each round after the previous one; one outcome
 * per item, in the items' order.
 */
export async function inRounds<I, R>(
  items: I[],
  keyOf: (item: I) => string,
  send: (round: I[]) => Promise<Settled<R>[]>,
): Promise<Settled<R>[]> {
  const out = new Array<Settled<R>>(items.length);
  let left = items.map((item, i) => ({ item, i }));
  while (left.length > 0) {
    const seen = new Set<string>();
    const round = left.filter((x) => !seen.has(keyOf(x.item)) && seen.add(keyOf(x.item)));
    left = left.filter((x) => !round.includes(x));
    const results = await send(round.map((x) => x.item));
    round.forEach((x, j) => {
      out[x.i] = results[j] as Settled<R>;
    });
  }
  return out;
}

/**
 * The CRM adapters' timing (issue 8), from bench/requests-per-call.ts runs
 * (300 calls of one company, local simulators, WORKERS=64). With a short
 * quiet window only (2 ms, at most 20 ms) Salesforce batches held 1.5 items
 * on average (2.4 requests a call): the backend keeps up with the calls as
 * they arrive, so few items reach a batcher at the same moment. A fixed 1 s
 * window held 35 (0.09 requests a call) but would delay every lone call by a
 * second at each write. So a lone item waits 2 ms; once 3 items came to the
 * batcher within a second (a burst), a batch stays open until 250 ms pass
 * without a new item, or 3 s from its first. Gaps between consecutive items
 * of a burst measured p50 16 ms, p95 91 ms, p99 127 ms (max 297 ms); batches
 * then held 20 to 80 items (Salesforce 0.08 to 0.14 requests a call).
 * Waiting items hold their worker (server/workers/runner.ts), so batches
 * are at most WORKERS items: WORKERS=4 gave 0.76 requests a call and slowed
 * the burst (60 s instead of 10 s for 300 calls), hence WORKERS=64.
 */
export const CRM_BATCH_TIMING = {
  quietMs: 2,
  burst: { adds: 3, withinMs: 1_000, quietMs: 250 },
  maxWaitMs: 3_000,
} as const;
