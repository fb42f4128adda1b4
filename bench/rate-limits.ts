/**
 * Rate limits (issue 8 Speed): at 5x normal call volume, no 429 from
 * simulators set to the published limits, and the backend's own pace at or
 * under 80% of each. "Normal" is the freshness load, 1 call/s for one company
 * (bench/freshness.ts); 5x is 5 calls/s, played open-loop through the Aircall
 * player for `durationMs` (each call from a new number: one phone search a
 * call, the most requests a call costs), once for a company on HubSpot and
 * once on Salesforce, and the backend is given until its queue is empty.
 *
 * The pace is counted at send time, where the backend (in this process, as
 * in bench/requests-per-call.ts) makes it (bench/sim-log.ts recordFetches);
 * the 429s, and the peak by the answers' times, from the simulators' request
 * logs. The limits, as the vendors count them:
 * - HubSpot (API-CONTRACTS 2.7): 110 requests per rolling 10 s per portal,
 *   searches 5 per second apart from it; peak in any window vs the limit.
 * - Aircall (API-CONTRACTS 1.2): 60 requests per minute per company.
 * - Salesforce (API-CONTRACTS 3.5): the org's rolling 24-hour allocation
 *   (15,000); a run lasts minutes, so its peak is all its requests, and the
 *   rate it ran at is also projected over 24 hours.
 */
import type { Crm } from '../lib/logging/plan-types.ts';
import type { LoggedRequest } from '../sandbox/common/sim.ts';
import { startWorld, type StoreKind, type World } from '../test/support/world.ts';
import { openLoop } from './load.ts';
import {
  clearSimRequests,
  peakInWindow,
  recordFetches,
  type Sent,
  simControl,
  simRequests,
} from './sim-log.ts';

export interface RateLimitsOptions {
  store: StoreKind;
  /** Normal call volume, calls/s for one company (the freshness load: 1). */
  normal?: number;
  /** Times normal (issue: 5). */
  multiplier?: number;
  /** How long calls are played, ms. */
  durationMs: number;
  /** How long the queue may take to empty afterwards, ms (default 10 min). */
  drainLimitMs?: number;
  crms?: Crm[];
}

export interface LimitUse {
  vendor: 'hubspot' | 'salesforce' | 'aircall';
  /** The published limit, in words. */
  limit: string;
  max: number;
  windowMs: number;
  /** Requests the backend sent that count towards it in the run. */
  requests: number;
  /** Most of them sent in any window (sliding). */
  peak: number;
  /** peak / max (issue: <= 0.8). */
  share: number;
  /** Most counted in any window by the simulator's log (answer times: a slow event loop skews them). */
  peakAnswered: number;
  /** Answers refusing for the limit: 429 (Salesforce: 403, REQUEST_LIMIT_EXCEEDED). */
  refused: number;
  /** Salesforce: the run's average rate over 24 h, as a share of the allocation. */
  projectedDailyShare?: number;
}

export interface RateLimitRun {
  crm: Crm;
  calls: number;
  /** Calls whose work is done at the end. */
  logged: number;
  /** First play to the queue empty, ms. */
  runMs: number;
  limits: LimitUse[];
  notDone: Record<string, number>;
}

export interface RateLimitsResult {
  callsPerSecond: number;
  normal: number;
  multiplier: number;
  durationMs: number;
  runs: RateLimitRun[];
}

const CALL_BASE = 8_000_000;
const HUBSPOT = { tenSecondly: 110, searchPerSecond: 5 };
const AIRCALL_PER_MINUTE = 60;
/** API-CONTRACTS 3.5 (and server/connectors/salesforce.ts: the smallest allocation). */
const SALESFORCE_DAILY = 15_000;
const DAY_MS = 24 * 60 * 60_000;

const share = (peak: number, max: number) => Math.round((peak / max) * 1000) / 1000;

/** A request as both logs give it: time (UNIX ms), method and path. */
interface Req {
  at: number;
  method: string;
  path: string;
}

function use(
  vendor: LimitUse['vendor'],
  limit: string,
  max: number,
  windowMs: number,
  counted: { sent: Req[]; answered: Req[] },
  refused: number,
): LimitUse {
  const peak = (list: Req[]) =>
    peakInWindow(
      list.map((r) => r.at),
      windowMs,
    );
  const sent = peak(counted.sent);
  return {
    vendor,
    limit,
    max,
    windowMs,
    requests: counted.sent.length,
    peak: sent,
    share: share(sent, max),
    peakAnswered: peak(counted.answered),
    refused,
  };
}

/** The backend's requests to `base`, with their paths. */
function sentTo(sent: Sent[], base: string): Req[] {
  return sent
    .filter((s) => s.url.startsWith(base))
    .map((s) => ({ at: s.at, method: s.method, path: new URL(s.url).pathname }));
}

async function untilEmpty(w: World, limitMs: number): Promise<void> {
  const end = performance.now() + limitMs;
  for (;;) {
    await w.sandbox.aircall.sim.flush();
    const rows = await w.db.query<{ n: number }>(
      `select count(*)::int as n from work where state in ('pending', 'running')`,
    );
    if ((rows[0]?.n ?? 0) === 0 || performance.now() > end) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const isHubspotSearch = (r: Req) => r.method === 'POST' && /^\/crm\/v3\/objects\/[^/]+\/search$/.test(r.path);
/** What HubSpot's limiter counts: the portal-authenticated paths (sandbox/hubspot/auth.ts). */
const hubspotCounted = (r: Req) => /^\/(crm|calling|settings)\//.test(r.path);
/** Answers that did not use the budget: refused before (401) or by (429) the limiter. */
const counts = (r: LoggedRequest) => r.status !== 401 && r.status !== 429;

async function runOne(opts: RateLimitsOptions, crm: Crm, rate: number): Promise<RateLimitRun> {
  const fetches = recordFetches();
  const w = await startWorld({ store: opts.store, crm, n: 60, realLimits: true }).catch((err: unknown) => {
    fetches.restore();
    throw err;
  });
  try {
    const sim = w.sandbox[crm].url;
    const aircall = w.sandbox.aircall.url;
    if (crm === 'hubspot') await simControl(sim, '/_sandbox/limits', HUBSPOT);
    if (crm === 'salesforce')
      await simControl(sim, '/_sandbox/limits', { dailyApiRequests: SALESFORCE_DAILY });
    await simControl(aircall, '/_sandbox/limits', { perMinute: AIRCALL_PER_MINUTE });
    await clearSimRequests(sim);
    await clearSimRequests(aircall);
    fetches.sent.length = 0;

    const t = performance.now();
    const plays = await openLoop({
      url: aircall,
      rate,
      durationMs: opts.durationMs,
      request: (i) => ({
        path: '/_sandbox/scenarios/play',
        body: JSON.stringify({
          company: w.company.ids.aircallCompanyId,
          scenario: 'inbound-answered',
          callId: CALL_BASE + i,
          external: `+3366${String(CALL_BASE + i).padStart(7, '0')}`,
        }),
      }),
      timeoutMs: 60_000,
    });
    await untilEmpty(w, opts.drainLimitMs ?? 10 * 60_000);
    const runMs = Math.round(performance.now() - t);

    const limits: LimitUse[] = [];
    const log = await simRequests(sim);
    const sent = sentTo(fetches.sent, sim);
    if (crm === 'hubspot') {
      const kind = (search: boolean) => (r: Req) => hubspotCounted(r) && isHubspotSearch(r) === search;
      const refused = (search: boolean) =>
        log.filter((r) => r.status === 429 && isHubspotSearch(r) === search);
      for (const search of [false, true]) {
        limits.push(
          use(
            'hubspot',
            search
              ? `search ${HUBSPOT.searchPerSecond} per second per portal`
              : `${HUBSPOT.tenSecondly} per 10 s per portal`,
            search ? HUBSPOT.searchPerSecond : HUBSPOT.tenSecondly,
            search ? 1_000 : 10_000,
            { sent: sent.filter(kind(search)), answered: log.filter(counts).filter(kind(search)) },
            refused(search).length,
          ),
        );
      }
    } else if (crm === 'salesforce') {
      // Every authenticated REST request counts once (sandbox/salesforce/limits.ts).
      const rest = (r: Req) => r.path.startsWith('/services/data/');
      const u = use(
        'salesforce',
        `${SALESFORCE_DAILY.toLocaleString('en')} per rolling 24 h per org`,
        SALESFORCE_DAILY,
        DAY_MS,
        {
          sent: sent.filter(rest),
          answered: log.filter((r) => rest(r) && r.status !== 401 && r.status !== 403),
        },
        log.filter((r) => r.status === 403 || r.status === 429).length,
      );
      u.projectedDailyShare = share((u.requests / runMs) * DAY_MS, SALESFORCE_DAILY);
      limits.push(u);
    }
    const aircallLog = await simRequests(aircall);
    const api = (r: Req) => r.path.startsWith('/v1/');
    limits.push(
      use(
        'aircall',
        `${AIRCALL_PER_MINUTE} per minute per company`,
        AIRCALL_PER_MINUTE,
        60_000,
        { sent: sentTo(fetches.sent, aircall).filter(api), answered: aircallLog.filter(counts).filter(api) },
        aircallLog.filter((r) => r.status === 429).length,
      ),
    );
    const states = await w.db.query<{ state: string; n: number }>(
      'select state, count(*)::int as n from work group by state',
    );
    const byState = Object.fromEntries(states.map((r) => [r.state, r.n]));
    return {
      crm,
      calls: plays.sent,
      logged: byState.done ?? 0,
      runMs,
      limits,
      notDone: Object.fromEntries(Object.entries(byState).filter(([k]) => k !== 'done')),
    };
  } finally {
    await w.close();
    fetches.restore();
  }
}

export async function benchRateLimits(opts: RateLimitsOptions): Promise<RateLimitsResult> {
  const normal = opts.normal ?? 1;
  const multiplier = opts.multiplier ?? 5;
  const rate = normal * multiplier;
  const runs: RateLimitRun[] = [];
  for (const crm of opts.crms ?? (['hubspot', 'salesforce'] as Crm[]))
    runs.push(await runOne(opts, crm, rate));
  return { callsPerSecond: rate, normal, multiplier, durationMs: opts.durationMs, runs };
}
