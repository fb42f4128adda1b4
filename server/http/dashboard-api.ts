/**
 * The admin dashboard's own routes (issue 7, lib/api/contract-dashboard.ts):
 * call search with each call's decision trace (GEN-TRACE-1), backfill
 * progress (GEN-ACT-2b), and the company's Aircall users.
 */
import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { foundCallSchema } from '../../lib/api/contract-dashboard.ts';
import { ApiError } from '../../lib/api/errors.ts';
import { VendorError } from '../../lib/http/vendor.ts';
import { toE164 } from '../../lib/phone/e164.ts';
import type { Services } from '../services.ts';
import {
  type CallCursor,
  type FoundCall,
  backfillCounts,
  searchCalls,
  workOfCalls,
} from '../store/call-search.ts';
import { integrationOf } from '../store/companies.ts';
import type { Queryable } from '../store/db.ts';
import { eventsOf } from '../store/events.ts';
import type { LoggedRow } from '../store/writes.ts';
import { agentOf, foldSubject, startedAtMsOf, summaryOf } from '../workers/subject.ts';
import { companyOr404 } from './admin.ts';
import { handle } from './register.ts';
import { activities, workView } from './views.ts';

type FoundCallView = z.infer<typeof foundCallSchema>;

/** Digits a number's every written form ends with (any national or international format). */
const SUFFIX_DIGITS = 6;
/** Rows read per round when the number must be compared in E.164 after the store's pre-filter. */
const NUMBER_BATCH = 100;

function sameNumber(raw: string | null, country: string, e164: string): boolean {
  const parsed = toE164(raw, country);
  return parsed.ok && parsed.e164 === e164;
}

function encodeCursor(c: FoundCall): string {
  return Buffer.from(JSON.stringify({ s: c.started_at, i: c.id })).toString('base64url');
}

function decodeCursor(raw: string | undefined): CallCursor | null {
  if (raw === undefined) return null;
  try {
    const c = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as { s: unknown; i: unknown };
    if (typeof c.s === 'number' && typeof c.i === 'string') return { startedAt: c.s, id: c.i };
  } catch {
    // fall through to the error below
  }
  throw new ApiError(400, 'invalid_cursor', 'The `cursor` is not one this backend gave.', {
    fix: 'Pass the `next` of the previous page as it was, or search again without a cursor.',
  });
}

/** The activity of each call (its trace per integration), or, for a call never planned, what its events say. */
async function callViews(q: Queryable, companyId: string, country: string, found: FoundCall[]) {
  const ids = found.map((c) => c.id);
  if (ids.length === 0) return [];
  const logged = await q.query<LoggedRow>(
    `select * from logged where company_id = $1 and subject_kind = 'call' and subject_id = any($2)
     order by integration_id`,
    [companyId, ids],
  );
  const byId = new Map((await activities(q, logged)).map((a) => [a.id, a]));
  const work = await workOfCalls(q, companyId, ids);
  const out: FoundCallView[] = [];
  for (const c of found) {
    const items = work.filter((w) => w.subject_id === c.id).map(workView);
    const traced = byId.get(c.id);
    if (traced) {
      out.push({ ...traced, work: items });
      continue;
    }
    const folded = foldSubject('call', await eventsOf(q, companyId, { kind: 'call', id: c.id }));
    const parsed = toE164(c.raw_digits, country);
    out.push({
      kind: 'call',
      id: c.id,
      summary: folded ? summaryOf(folded) : {},
      external: parsed.ok ? parsed.e164 : null,
      agentUserId: folded ? agentOf(folded) : null,
      startedAt: folded ? startedAtMsOf(folded) : c.started_at,
      logging: [],
      work: items,
    });
  }
  return out;
}

export function dashboardApiRoutes(app: FastifyInstance, svc: Services): void {
  handle(app, svc, 'searchCalls', async ({ params, query }) => {
    const company = await companyOr404(svc, params.companyId);
    const country = company.default_country;
    let e164: string | null = null;
    if (query.number !== undefined) {
      const parsed = toE164(query.number, country);
      if (!parsed.ok) {
        throw new ApiError(400, 'invalid_number', `The number cannot be searched: ${parsed.message}.`, {
          fix: `Type it with its country code (e.g. +33 6 12 34 56 78), or as a ${country} number.`,
          fields: [{ field: 'number', message: parsed.message }],
        });
      }
      e164 = parsed.e164;
    }
    const filters = {
      ...(e164 ? { numberSuffix: e164.slice(-SUFFIX_DIGITS) } : {}),
      ...(query.agentUserId !== undefined ? { agentUserId: query.agentUserId } : {}),
      ...(query.agent !== undefined ? { agentName: query.agent } : {}),
      ...(query.from !== undefined ? { from: query.from } : {}),
      ...(query.to !== undefined ? { to: query.to } : {}),
      ...(query.callId !== undefined ? { callId: query.callId } : {}),
    };
    // One row more than the page tells whether there is a next page.
    const want = query.limit + 1;
    const found: FoundCall[] = [];
    let cursor = decodeCursor(query.cursor);
    for (;;) {
      const batch = e164 ? Math.max(want, NUMBER_BATCH) : want;
      const rows = await searchCalls(svc.db, company.id, filters, cursor, batch);
      for (const r of rows) {
        // GEN-PHONE-1: the store's digit suffix is a pre-filter; the match is in E.164.
        if (e164 && !sameNumber(r.raw_digits, country, e164)) continue;
        found.push(r);
      }
      const last = rows.at(-1);
      if (!e164 || found.length >= want || rows.length < batch || !last) break;
      cursor = { startedAt: last.started_at, id: last.id };
    }
    const page = found.slice(0, query.limit);
    const last = page.at(-1);
    return {
      calls: await callViews(svc.db, company.id, country, page),
      next: found.length > query.limit && last ? encodeCursor(last) : null,
      e164,
    };
  });

  handle(app, svc, 'backfillProgress', async ({ params, query }) => {
    const integration = await integrationOf(svc.db, params.companyId, params.crm);
    if (!integration) {
      await companyOr404(svc, params.companyId);
      throw new ApiError(
        404,
        'not_found',
        `Company "${params.companyId}" has no ${params.crm} integration.`,
        {
          fix: 'Pick an integration the company has.',
        },
      );
    }
    const counts = await backfillCounts(svc.db, integration.id, query);
    const n = (state: string) => counts[state] ?? 0;
    const pending = n('pending') + n('running');
    return {
      from: query.from,
      to: query.to,
      total: Object.values(counts).reduce((a, b) => a + b, 0),
      done: n('done'),
      failed: n('failed'),
      pending,
      waiting: n('waiting'),
      paused: n('paused'),
      finished: pending === 0,
    };
  });

  handle(app, svc, 'aircallUsers', async ({ params }) => {
    await companyOr404(svc, params.companyId);
    const aircall = await svc.aircall(params.companyId);
    if (!aircall) {
      throw new ApiError(409, 'not_connected', 'Aircall is not connected for this company.', {
        fix: 'Connect Aircall on the Connections screen with an API ID and token.',
      });
    }
    try {
      const users = await aircall.listUsers();
      return {
        users: users.map((u) => ({ id: u.id, name: u.name ?? `User ${u.id}`, email: u.email ?? null })),
      };
    } catch (err) {
      if (err instanceof VendorError) {
        throw new ApiError(502, 'aircall_refused', `Aircall did not list the users: ${err.message}`, {
          fix: 'Check the Aircall connection on the Connections screen, then try again.',
        });
      }
      throw err;
    }
  });
}
