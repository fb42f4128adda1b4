/**
 * The account settings JobAdder does not publish (API-CONTRACTS 4.3), so that
 * tests can set them: the maximum note length and a per-account request
 * limit (off by default) answering 429 with `Retry-After`, to exercise the
 * client's retry handling ("treat 429 generically, honour Retry-After").
 */
import { z } from 'zod';
import { WindowLimiter } from '../common/sim.ts';
import { JobadderSimError } from './errors.ts';
import type { Account, JobadderState, RateLimit } from './state.ts';

export const rateLimitSchema = z.strictObject({
  max: z.number().int().positive(),
  windowMs: z.number().int().positive(),
});

/**
 * `POST /_sandbox/limits` body: `{ accountId?, maxNoteLength?, rateLimit?:
 * {max, windowMs} | null }`. With `accountId`, that account's settings;
 * without, every account's and the default of accounts seeded later.
 * `rateLimit: null` turns the limit off. Answers the accounts' settings.
 */
export const limitsBodySchema = z.strictObject({
  accountId: z
    .union([z.string().min(1), z.number()])
    .transform(String)
    .optional(),
  maxNoteLength: z.number().int().positive().optional(),
  rateLimit: rateLimitSchema.nullable().optional(),
});

export function settingsOf(account: Account) {
  return { accountId: account.accountId, maxNoteLength: account.maxNoteLength, rateLimit: account.rateLimit };
}

export function applyLimits(state: JobadderState, raw: unknown, limiter: AccountLimiter) {
  const parsed = limitsBodySchema.safeParse(raw ?? {});
  if (!parsed.success) throw new Error(`limits refused: ${z.prettifyError(parsed.error)}`);
  const body = parsed.data;
  let targets: Account[];
  if (body.accountId !== undefined) {
    const account = state.accounts.get(body.accountId);
    if (!account) throw new Error(`no JobAdder account "${body.accountId}" is seeded`);
    targets = [account];
  } else {
    targets = [...state.accounts.values()];
    if (body.maxNoteLength !== undefined) state.defaults.maxNoteLength = body.maxNoteLength;
    if (body.rateLimit !== undefined) state.defaults.rateLimit = body.rateLimit;
  }
  for (const account of targets) {
    if (body.maxNoteLength !== undefined) account.maxNoteLength = body.maxNoteLength;
    if (body.rateLimit !== undefined) {
      account.rateLimit = body.rateLimit;
      limiter.forget(account.accountId);
    }
  }
  return { ok: true, accounts: targets.map(settingsOf) };
}

/** One sliding window per account, sized by the account's `rateLimit`. */
export class AccountLimiter {
  private readonly windows = new Map<string, WindowLimiter>();

  /** Counts one request; throws the 429 when the account is over its limit. */
  take(account: Account, now: number): void {
    const limit: RateLimit | null = account.rateLimit;
    if (!limit) return;
    let window = this.windows.get(account.accountId);
    // A limit changed by a later seed starts a fresh window, as `POST /_sandbox/limits` does.
    if (!window || window.max !== limit.max || window.windowMs !== limit.windowMs) {
      this.windows.set(account.accountId, (window = new WindowLimiter(limit.max, limit.windowMs)));
    }
    const waitMs = window.take(account.accountId, now);
    if (waitMs === null) return;
    const seconds = Math.max(1, Math.ceil(waitMs / 1000));
    throw new JobadderSimError(
      429,
      {
        message: `Too many requests: at most ${limit.max} per ${limit.windowMs} ms. Retry after ${seconds} s.`,
      },
      { 'Retry-After': String(seconds) },
    );
  }

  forget(accountId: string): void {
    this.windows.delete(accountId);
  }

  reset(): void {
    this.windows.clear();
  }
}
