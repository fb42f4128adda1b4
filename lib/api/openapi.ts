/** The OpenAPI 3.1 document of the contract (served at /openapi.json). */
import { z } from 'zod';
import { API, type RouteDef } from './contract.ts';
import { apiErrorSchema } from './errors.ts';

const schema = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, r] of Object.entries(API) as [string, RouteDef][]) {
    const path = r.path.replace(/:([A-Za-z]+)/g, '{$1}');
    const parameters = [
      ...Object.keys(r.params?.shape ?? {}).map((p) => ({
        name: p,
        in: 'path',
        required: true,
        schema: { type: 'string' },
      })),
      ...Object.entries(r.query?.shape ?? {}).map(([p, s]) => ({
        name: p,
        in: 'query',
        required: false,
        schema: schema(s as z.ZodType),
      })),
    ];
    paths[path] = {
      ...paths[path],
      [r.method.toLowerCase()]: {
        operationId: name,
        summary: r.summary,
        security: r.auth === 'public' ? [] : [{ [r.auth]: [] }],
        parameters,
        ...(r.body ? { requestBody: { content: { 'application/json': { schema: schema(r.body) } } } } : {}),
        responses: {
          [String(r.status ?? 200)]: {
            description: 'OK',
            content: { 'application/json': { schema: schema(r.reply) } },
          },
          default: {
            description: 'Error',
            content: { 'application/json': { schema: schema(apiErrorSchema) } },
          },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Aircall CRM bridge', version: '0.1.0' },
    components: {
      securitySchemes: {
        admin: { type: 'http', scheme: 'bearer', description: 'ADMIN_TOKEN' },
        agent: { type: 'http', scheme: 'bearer', description: 'An agent token issued by an admin' },
        hubspot: {
          type: 'apiKey',
          in: 'header',
          name: 'X-HubSpot-Signature-v3',
          description:
            "HubSpot's v3 request signature (with X-HubSpot-Request-Timestamp), sent by the app card's hubspot.fetch",
        },
      },
    },
    paths,
  };
}
