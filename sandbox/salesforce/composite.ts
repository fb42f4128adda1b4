/**
 * `POST /composite` (API-CONTRACTS 3.1 "Composite"; Postman
 * `composite/composite.json`): up to 25 subrequests run in order, later ones
 * reading earlier answers through `@{referenceId.path}` (e.g. `@{refTask.id}`,
 * `@{refQuery.records[0].Id}`); with `allOrNone` the first failing
 * subrequest rolls everything back and every other subrequest answers 400
 * PROCESSING_HALTED. The whole request counts as one API call (the
 * collection's description). Subrequest result shape: doc
 * resources_composite_subrequest_result.htm; error texts [unverified].
 */
import { z } from 'zod';
import { SalesforceSimError, badRequest } from './errors.ts';
import type { RestContext, RestRequest, RestResponse } from './context.ts';
import { snapshotOrg } from './state.ts';

/** Subrequests per composite [unverified: API-CONTRACTS 3.1]. */
export const MAX_SUBREQUESTS = 25;

const subrequestSchema = z.looseObject({
  method: z.enum(['GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'HEAD']),
  url: z.string().min(1),
  referenceId: z.string(),
  body: z.unknown().optional(),
  httpHeaders: z.record(z.string(), z.string()).optional(),
});

const compositeSchema = z.looseObject({
  allOrNone: z.boolean().default(false),
  collateSubrequests: z.boolean().optional(),
  compositeRequest: z.array(z.unknown()),
});

interface SubResult {
  body: unknown;
  httpHeaders: Record<string, string>;
  httpStatusCode: number;
  referenceId: string;
}

const ROLLED_BACK = [
  {
    errorCode: 'PROCESSING_HALTED',
    message: 'The transaction was rolled back since another operation in the same transaction failed.',
  },
];

/** Resolves `a.b[0].c` in an answer body; undefined when absent. */
function pick(value: unknown, path: string): unknown {
  let cur = value;
  for (const part of path.split('.')) {
    const m = /^([^[\]]*)((\[\d+\])*)$/.exec(part);
    if (!m) return undefined;
    if (m[1]) cur = cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[m[1]] : undefined;
    for (const idx of (m[2] ?? '').match(/\d+/g) ?? [])
      cur = Array.isArray(cur) ? cur[Number(idx)] : undefined;
  }
  return cur;
}

class UnresolvedReference extends Error {}

const REF_RE = /@\{([A-Za-z0-9_]+)\.([^}]+)\}/g;

/** Replaces `@{ref.path}` in strings (a string that is only one reference takes the value's type). */
function substitute(value: unknown, answers: Map<string, SubResult>): unknown {
  if (typeof value === 'string') {
    const lookup = (ref: string, path: string) => {
      const answer = answers.get(ref);
      const v = answer && answer.httpStatusCode < 400 ? pick(answer.body, path) : undefined;
      if (v === undefined) {
        throw new UnresolvedReference(
          `Invalid reference specified. No value for ${ref}.${path} found in ${ref}. Provided referenceId ('${ref}') must refer to a successful subrequest earlier in this composite request.`,
        );
      }
      return v;
    };
    const whole = /^@\{([A-Za-z0-9_]+)\.([^}]+)\}$/.exec(value);
    if (whole) return lookup(whole[1] ?? '', whole[2] ?? '');
    return value.replace(REF_RE, (_m, ref: string, path: string) => String(lookup(ref, path)));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, answers));
  if (value && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, answers)]));
  return value;
}

/** Runs a composite request through `dispatch` (passed in: rest.ts owns the routes). */
export function runComposite(
  ctx: RestContext,
  req: RestRequest,
  dispatch: (ctx: RestContext, req: RestRequest) => RestResponse,
): RestResponse {
  const parsed = compositeSchema.safeParse(req.body);
  if (!parsed.success)
    throw badRequest(
      'JSON_PARSER_ERROR',
      'Send {allOrNone?: boolean, compositeRequest: [{method, url, referenceId, body?}]}.',
    );
  const { allOrNone, compositeRequest } = parsed.data;
  if (compositeRequest.length === 0)
    throw badRequest('INVALID_API_INPUT', 'compositeRequest must not be empty.');
  if (compositeRequest.length > MAX_SUBREQUESTS)
    throw badRequest(
      'LIMIT_EXCEEDED',
      `A composite request can hold at most ${MAX_SUBREQUESTS} subrequests; this one has ${compositeRequest.length}.`,
    );
  // Whole-request checks come first: nothing runs if one subrequest is malformed (2017 blog "High Level Parsing Errors").
  const subs = compositeRequest.map((raw, i) => {
    const obj = raw && typeof raw === 'object' ? (raw as Record<string, unknown>) : {};
    for (const key of ['method', 'url', 'referenceId'])
      if (!(key in obj)) throw badRequest('JSON_PARSER_ERROR', `'${key}' is a required field.`);
    const sub = subrequestSchema.safeParse(raw);
    if (!sub.success)
      throw badRequest(
        'JSON_PARSER_ERROR',
        `compositeRequest[${i}] is malformed: ${sub.error.issues[0]?.message}`,
      );
    if (!/^[A-Za-z0-9_]+$/.test(sub.data.referenceId))
      throw badRequest(
        'INVALID_INPUT',
        `Invalid referenceId '${sub.data.referenceId}': use letters, numbers and underscores.`,
      );
    return sub.data;
  });
  const seen = new Set<string>();
  for (const s of subs) {
    if (seen.has(s.referenceId))
      throw badRequest(
        'INVALID_INPUT',
        `Duplicate referenceId '${s.referenceId}' in this composite request.`,
      );
    seen.add(s.referenceId);
  }

  const restore = allOrNone ? snapshotOrg(ctx.org) : null;
  const sub: RestContext = { ...ctx, composite: { allOrNone } };
  const results: SubResult[] = [];
  const answers = new Map<string, SubResult>();
  let failedAt = -1;
  for (const [i, s] of subs.entries()) {
    const result = runOne(sub, s, answers, dispatch);
    results.push(result);
    answers.set(s.referenceId, result);
    if (allOrNone && result.httpStatusCode >= 400) {
      failedAt = i;
      break;
    }
  }
  if (restore && failedAt >= 0) {
    restore();
    const halted = subs.map((s, i) =>
      i === failedAt
        ? (results[i] as SubResult)
        : { body: ROLLED_BACK, httpHeaders: {}, httpStatusCode: 400, referenceId: s.referenceId },
    );
    return { status: 200, body: { compositeResponse: halted } };
  }
  return { status: 200, body: { compositeResponse: results } };
}

function runOne(
  ctx: RestContext,
  s: z.infer<typeof subrequestSchema>,
  answers: Map<string, SubResult>,
  dispatch: (ctx: RestContext, req: RestRequest) => RestResponse,
): SubResult {
  const fail = (status: number, body: unknown): SubResult => ({
    body,
    httpHeaders: {},
    httpStatusCode: status,
    referenceId: s.referenceId,
  });
  let url: string;
  let body: unknown;
  try {
    url = String(substitute(s.url, answers));
    body = substitute(s.body, answers);
  } catch (err) {
    if (err instanceof UnresolvedReference)
      return fail(400, [{ errorCode: 'PROCESSING_HALTED', message: err.message }]);
    throw err;
  }
  const m = /^\/services\/data\/v(\d+\.\d)(\/[^?]*)?(\?.*)?$/.exec(url);
  if (!m)
    return fail(400, [
      {
        errorCode: 'INVALID_API_INPUT',
        message: `Invalid subrequest url '${url}': it must start with /services/data/vNN.N/`,
      },
    ]);
  if (Number(m[1]) < 42)
    return fail(404, [{ errorCode: 'NOT_FOUND', message: 'The requested resource does not exist' }]);
  try {
    const answer = dispatch(ctx, {
      method: s.method,
      path: m[2] ?? '',
      query: new URLSearchParams((m[3] ?? '').slice(1)),
      body,
      version: m[1] ?? '',
    });
    return {
      body: answer.body ?? null,
      httpHeaders: answer.headers ?? {},
      httpStatusCode: answer.status,
      referenceId: s.referenceId,
    };
  } catch (err) {
    if (err instanceof SalesforceSimError) return fail(err.status, err.body);
    throw err;
  }
}
