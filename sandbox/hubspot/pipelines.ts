/**
 * Ticket pipelines (API-CONTRACTS 2.1 "Pipelines", 2.6): list, read, stages,
 * and delete (HS-TIX-2 tests delete a pipeline or stage the settings use).
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { SimContext } from './context.ts';
import { notFound } from './errors.ts';
import { type Pipeline, type PipelineStage, type Portal, iso } from './state.ts';

/**
 * HubSpot's default help-desk pipeline "0" with stages 1-4 (API-CONTRACTS 2.6
 * [unverified ids]); every portal starts with it unless its seed has pipelines.
 */
export function defaultTicketPipeline(now: number): Pipeline {
  const stage = (id: string, label: string, ticketState: 'OPEN' | 'CLOSED'): PipelineStage => ({
    id,
    label,
    displayOrder: Number(id) - 1,
    metadata: { ticketState },
    archived: false,
    createdAt: now,
    updatedAt: now,
  });
  return {
    id: '0',
    label: 'Support Pipeline',
    displayOrder: 0,
    archived: false,
    createdAt: now,
    updatedAt: now,
    stages: [
      stage('1', 'New', 'OPEN'),
      stage('2', 'Waiting on contact', 'OPEN'),
      stage('3', 'Waiting on us', 'OPEN'),
      stage('4', 'Closed', 'CLOSED'),
    ],
  };
}

function stageJson(s: PipelineStage) {
  return {
    id: s.id,
    label: s.label,
    displayOrder: s.displayOrder,
    metadata: s.metadata,
    archived: s.archived,
    createdAt: iso(s.createdAt),
    updatedAt: iso(s.updatedAt),
    writePermissions: 'CRM_PERMISSIONS_ENFORCEMENT',
  };
}

function pipelineJson(p: Pipeline) {
  return {
    id: p.id,
    label: p.label,
    displayOrder: p.displayOrder,
    archived: p.archived,
    createdAt: iso(p.createdAt),
    updatedAt: iso(p.updatedAt),
    stages: p.stages.filter((s) => !s.archived).map(stageJson),
  };
}

/** Only ticket pipelines are simulated [unverified wording for other types]. */
function ticketType(objectType: string): void {
  if (objectType !== 'tickets' && objectType !== '0-5') {
    throw notFound(`The simulator only has ticket pipelines, not ${objectType}`);
  }
}

function livePipeline(portal: Portal, id: string): Pipeline {
  const p = portal.pipelines.find((x) => x.id === id && !x.archived);
  if (!p) throw notFound(`Unable to find pipeline ${id}`);
  return p;
}

export function registerPipelineRoutes(app: FastifyInstance, ctx: SimContext): void {
  const params = z.object({
    objectType: z.string(),
    id: z.string().optional(),
    stageId: z.string().optional(),
  });

  app.get('/crm/v3/pipelines/:objectType', async (req) => {
    ticketType(params.parse(req.params).objectType);
    return {
      results: ctx
        .portalOf(req)
        .pipelines.filter((p) => !p.archived)
        .map(pipelineJson),
    };
  });

  app.get('/crm/v3/pipelines/:objectType/:id', async (req) => {
    const p = params.parse(req.params);
    ticketType(p.objectType);
    return pipelineJson(livePipeline(ctx.portalOf(req), p.id ?? ''));
  });

  app.get('/crm/v3/pipelines/:objectType/:id/stages', async (req) => {
    const p = params.parse(req.params);
    ticketType(p.objectType);
    return { results: pipelineJson(livePipeline(ctx.portalOf(req), p.id ?? '')).stages };
  });

  app.get('/crm/v3/pipelines/:objectType/:id/stages/:stageId', async (req) => {
    const p = params.parse(req.params);
    ticketType(p.objectType);
    const stage = livePipeline(ctx.portalOf(req), p.id ?? '').stages.find(
      (s) => s.id === p.stageId && !s.archived,
    );
    if (!stage) throw notFound(`Unable to find stage ${p.stageId} in pipeline ${p.id}`);
    return stageJson(stage);
  });

  app.delete('/crm/v3/pipelines/:objectType/:id', async (req, reply) => {
    const p = params.parse(req.params);
    ticketType(p.objectType);
    const pipeline = livePipeline(ctx.portalOf(req), p.id ?? '');
    pipeline.archived = true;
    pipeline.updatedAt = ctx.clock.now();
    return reply.code(204).send();
  });

  app.delete('/crm/v3/pipelines/:objectType/:id/stages/:stageId', async (req, reply) => {
    const p = params.parse(req.params);
    ticketType(p.objectType);
    const pipeline = livePipeline(ctx.portalOf(req), p.id ?? '');
    const stage = pipeline.stages.find((s) => s.id === p.stageId && !s.archived);
    if (!stage) throw notFound(`Unable to find stage ${p.stageId} in pipeline ${p.id}`);
    stage.archived = true;
    stage.updatedAt = ctx.clock.now();
    return reply.code(204).send();
  });
}
