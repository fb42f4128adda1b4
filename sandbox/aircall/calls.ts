/**
 * Calls: read them, and write back to them (API-CONTRACTS 1.5, 1.8).
 * `GET /v1/calls/:id`, `GET /v1/calls`, `POST /v1/calls/:id/comments`,
 * `POST /v1/calls/:id/tags`, `DELETE /v1/calls/:id/tags/:tagId`,
 * `GET /v1/calls/:id/summary`. Comments and tags change the stored call and
 * send `call.commented` / `call.tagged` / `call.untagged` with the whole call,
 * as every call event carries it (API-CONTRACTS 1.3).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { type SimContext, idParam } from './context.ts';
import { notFound, sendError, unprocessable } from './errors.ts';
import { callTagJson, callToApi } from './objects.ts';
import { paginate } from './pagination.ts';
import type { CallRecord, CompanyState } from './state.ts';

const commentBody = z.object({ content: z.string().trim().min(1) });
const tagsBody = z.object({ tags: z.array(z.number().int().positive()).min(1) });

function list(call: CallRecord, key: 'comments' | 'tags'): Record<string, unknown>[] {
  const value = call[key];
  return Array.isArray(value) ? (value as Record<string, unknown>[]) : [];
}

function emitCallEvent(ctx: SimContext, company: CompanyState, event: string, call: CallRecord): void {
  ctx.emit(company, { resource: 'call', event, timestamp: ctx.nowSeconds(), data: structuredClone(call) });
}

function secondsParam(raw: unknown): number | null {
  if (typeof raw !== 'string' || raw === '') return null;
  const n = Number(raw);
  return Number.isFinite(n) ? n : null;
}

export function registerCallRoutes(app: FastifyInstance, ctx: SimContext): void {
  // `from`/`to` are UNIX seconds on started_at; oldest first unless order=desc ([unverified] default).
  app.get('/v1/calls', async (req) => {
    const company = ctx.companyOf(req);
    const q = req.query as Record<string, string | undefined>;
    const from = secondsParam(q.from);
    const to = secondsParam(q.to);
    const startedAt = (c: CallRecord) => (typeof c.started_at === 'number' ? c.started_at : 0);
    const calls = [...company.calls.values()]
      .filter((c) => (from === null || startedAt(c) >= from) && (to === null || startedAt(c) <= to))
      .sort((a, b) => startedAt(a) - startedAt(b) || a.id - b.id);
    if (q.order === 'desc') calls.reverse();
    const { page, meta } = paginate(req, calls);
    return { calls: page.map(callToApi), meta };
  });

  app.get('/v1/calls/:id', async (req, reply) => {
    const call = ctx.companyOf(req).calls.get(idParam(req) ?? 0);
    if (!call) return notFound(reply, 'Call');
    return { call: callToApi(call) };
  });

  // A comment posted through the API has no author: posted_by is null (API-CONTRACTS 1.4).
  // Aircall's answer body is [unverified]; the simulator answers 201 with no body.
  app.post('/v1/calls/:id/comments', async (req, reply) => {
    const company = ctx.companyOf(req);
    const call = company.calls.get(idParam(req) ?? 0);
    if (!call) return notFound(reply, 'Call');
    const body = commentBody.safeParse(req.body);
    if (!body.success) return unprocessable(reply, { content: ["can't be blank"] });
    const comment = {
      id: ctx.state.commentId(),
      content: body.data.content,
      posted_at: ctx.nowSeconds(),
      posted_by: null,
    };
    call.comments = [...list(call, 'comments'), comment];
    emitCallEvent(ctx, company, 'call.commented', call);
    return reply.code(201).send();
  });

  // Tag ids must be the company's tags (GET /v1/tags); tags already on the call are kept once.
  // Whether Aircall adds to or replaces the call's tags, and its answer body, are [unverified].
  app.post('/v1/calls/:id/tags', async (req, reply) => {
    const company = ctx.companyOf(req);
    const call = company.calls.get(idParam(req) ?? 0);
    if (!call) return notFound(reply, 'Call');
    const body = tagsBody.safeParse(req.body);
    if (!body.success) return unprocessable(reply, { tags: ['must be a non-empty array of tag ids'] });
    const unknown = body.data.tags.filter((id) => !company.tags.has(id));
    if (unknown.length > 0) {
      return unprocessable(reply, { tags: unknown.map((id) => `Tag ${id} does not exist in this company`) });
    }
    const current = list(call, 'tags');
    const added = body.data.tags.filter(
      (id, i, all) => all.indexOf(id) === i && !current.some((t) => t.id === id),
    );
    call.tags = [...current, ...added.map((id) => callTagJson(company, { id }))];
    emitCallEvent(ctx, company, 'call.tagged', call);
    return reply.code(201).send();
  });

  // [unverified] path and answer: Aircall's reference for untagging was not found (API-CONTRACTS 1.5
  // lists only tagging). Removing a tag the call does not have is a no-op (204, no event), so a
  // retried removal succeeds.
  app.delete('/v1/calls/:id/tags/:tagId', async (req, reply) => {
    const company = ctx.companyOf(req);
    const call = company.calls.get(idParam(req) ?? 0);
    if (!call) return notFound(reply, 'Call');
    const tagId = idParam(req, 'tagId');
    if (tagId === null) return sendError(reply, 404, 'Tag not found');
    const current = list(call, 'tags');
    if (current.some((t) => t.id === tagId)) {
      call.tags = current.filter((t) => t.id !== tagId);
      emitCallEvent(ctx, company, 'call.untagged', call);
    }
    return reply.code(204).send();
  });

  // `{summary: {call_id, content}}` (API-CONTRACTS 1.8); 404 when the call has none (yet).
  app.get('/v1/calls/:id/summary', async (req, reply) => {
    const company = ctx.companyOf(req);
    const id = idParam(req) ?? 0;
    if (!company.calls.has(id)) return notFound(reply, 'Call');
    const content = company.summaries.get(id);
    if (content === undefined) return sendError(reply, 404, 'No summary for this call');
    return { summary: { call_id: id, content } };
  });
}
