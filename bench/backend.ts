/**
 * The backend under benchmark: server/main.ts as its own process on a bench
 * store, the sandbox in this process, and `companies` demo companies
 * connected the way an admin would (sandbox/demo.ts), with the webhook
 * token Aircall signs each company's events with.
 */
import { connectDemoCompany, type DemoIds, demoIds } from '../sandbox/demo.ts';
import { type Sandbox, sandboxUrls, startSandbox } from '../sandbox/start.ts';
import { ADMIN_TOKEN, backendEnv } from '../test/support/world.ts';
import { type Child, spawnUntil } from './spawn.ts';
import type { BenchStore } from './store.ts';

export interface BenchBackend {
  url: string;
  sandbox: Sandbox;
  process: Child;
  /** Per company: the backend's id, its webhook token and its ids in the simulators. */
  companies: BenchCompany[];
  close(): Promise<void>;
}

export interface BenchCompany {
  id: string;
  token: string;
  ids: DemoIds;
}

export const BACKEND_READY = /backend listening on (\S+)/;

async function webhookToken(sandbox: Sandbox, ids: ReturnType<typeof demoIds>): Promise<string> {
  const auth = `Basic ${Buffer.from(`${ids.apiId}:${ids.apiToken}`).toString('base64')}`;
  const res = await fetch(`${sandbox.aircall.url}/v1/webhooks`, { headers: { authorization: auth } });
  const body = (await res.json()) as { webhooks?: { url: string; token: string }[] };
  const mine = body.webhooks?.find((h) => h.url.endsWith(`/webhooks/aircall/${ids.companyId}`));
  if (!mine) throw new Error(`no Aircall webhook registered for ${ids.companyId}: ${JSON.stringify(body)}`);
  return mine.token;
}

/** Start the backend process on `store` with `companies` connected (HubSpot each). */
export async function startBenchBackend(opts: {
  store: BenchStore;
  companies: number;
  env?: Record<string, string>;
}): Promise<BenchBackend> {
  const sandbox = await startSandbox();
  const env = { ...backendEnv(sandbox), ...opts.store.env, ...opts.env };
  const proc = await spawnUntil('server/main.ts', env, BACKEND_READY);
  const url = proc.value;
  try {
    const companies: BenchCompany[] = [];
    // A few at a time: each is an admin setup plus an OAuth dance through the simulators.
    for (let start = 0; start < opts.companies; start += 5) {
      const batch = Array.from({ length: Math.min(5, opts.companies - start) }, (_, k) =>
        demoIds(200 + start + k, `bench-${start + k}`),
      );
      await Promise.all(
        batch.map(async (ids) => {
          await connectDemoCompany({
            backendUrl: url,
            adminToken: ADMIN_TOKEN,
            urls: sandboxUrls(sandbox),
            ids,
          });
          companies.push({ id: ids.companyId, token: await webhookToken(sandbox, ids), ids });
        }),
      );
    }
    return {
      url,
      sandbox,
      process: proc,
      companies,
      async close() {
        await proc.stop();
        await sandbox.close();
      },
    };
  } catch (err) {
    await proc.stop();
    await sandbox.close();
    throw err;
  }
}
