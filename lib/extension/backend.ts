/**
 * The background's client of the backend's agent API (lib/api/contract-agent.ts):
 * paths and reply schemas come from the contract; errors come back in the
 * API's one error shape (lib/api/errors.ts) and become Failures the panel can
 * show (EXT-OFF-1). Only the agent routes are imported, so the background
 * builds no other route's schemas (issue 8).
 */
import type { z } from 'zod';
import { AGENT_API, type AgentApi, type AgentRoute } from '../api/contract-agent.ts';
import { apiErrorSchema } from '../api/errors.ts';
import { pathOf } from '../api/route.ts';
import type { Result } from './messages.ts';
import type { BackendSettings } from './settings.ts';

const TIMEOUT_MS = 10_000;

/** Call one agent route; never throws. */
export async function callBackend<N extends AgentRoute>(
  settings: BackendSettings | null,
  name: N,
  input: { params?: Record<string, string | number>; body?: unknown } = {},
  fetchImpl: typeof fetch = fetch,
): Promise<Result<z.output<AgentApi[N]['reply']>>> {
  if (!settings) {
    return {
      ok: false,
      failure: {
        kind: 'not_configured',
        message: 'The extension is not connected to a backend yet.',
        fix: "Open the extension's options and enter the backend URL and your agent token.",
      },
    };
  }
  const def = AGENT_API[name];
  const url = `${settings.backendUrl}${pathOf(def.path, input.params)}`;
  let res: Response;
  try {
    res = await fetchImpl(url, {
      method: def.method,
      headers: {
        authorization: `Bearer ${settings.token}`,
        ...(input.body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      ...(input.body === undefined ? {} : { body: JSON.stringify(input.body) }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    return {
      ok: false,
      failure: {
        kind: 'offline',
        message: `The backend at ${settings.backendUrl} cannot be reached (${(err as Error).name === 'TimeoutError' ? 'no answer in 10 s' : 'connection failed'}).`,
        fix: 'Check your connection; the panel retries on its own.',
      },
    };
  }
  const json: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const body = apiErrorSchema.safeParse(json);
    const message = body.success ? body.data.error.message : `The backend answered ${res.status}.`;
    const fix = body.success ? body.data.error.fix : undefined;
    if (res.status === 401 || res.status === 403) {
      return {
        ok: false,
        failure: {
          kind: 'unauthorized',
          status: res.status,
          message: `The backend refused your agent token: ${message}`,
          fix: "Ask an admin for a new agent token and enter it in the extension's options.",
        },
      };
    }
    return { ok: false, failure: { kind: 'api', status: res.status, message, ...(fix ? { fix } : {}) } };
  }
  const reply = (def.reply as z.ZodType).safeParse(json);
  if (!reply.success) {
    return {
      ok: false,
      failure: {
        kind: 'api',
        status: res.status,
        message: `The backend's answer to ${def.method} ${def.path} does not match the contract this extension knows.`,
        fix: 'Update the extension or the backend so both run the same version.',
      },
    };
  }
  return { ok: true, data: reply.data as z.output<AgentApi[N]['reply']> };
}
