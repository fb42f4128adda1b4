/**
 * What `npm start` (server/start.ts) writes beside its store once the demo
 * company is connected, for programs that drive the running demo (`npm run
 * demo`, sandbox/extension-demo.ts) instead of parsing its printout: the
 * backend and Aircall addresses, Alice's agent token, and the demo accounts
 * of each CRM with Claire's record in each (the known caller: calls from her
 * number are logged there). It holds a token: written for the owner only.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { z } from 'zod';

export const demoInfoSchema = z.object({
  /** When the demo was ready (ms since epoch). */
  startedAt: z.number(),
  backendUrl: z.url(),
  agentTokens: z.object({ alice: z.string().min(1) }),
  aircall: z.object({ url: z.url(), companyId: z.number().int() }),
  hubspot: z.object({ url: z.url(), portalId: z.number().int(), claire: z.string() }),
  salesforce: z.object({ url: z.url(), orgId: z.string(), claire: z.string() }),
  jobadder: z.object({ url: z.url(), accountId: z.number().int(), claire: z.string() }),
});
export type DemoInfo = z.infer<typeof demoInfoSchema>;

/** `data/demo.json` for the store in `data/demo` (DATA_DIR's parent, as data/dev-secrets.json). */
export function demoInfoPath(dataDir: string): string {
  return join(dirname(dataDir), 'demo.json');
}

/** Remove a previous run's file, so no reader takes it for this run's. */
export function clearDemoInfo(path: string): void {
  rmSync(path, { force: true });
}

/** Write it whole (a reader never sees half a file). */
export function writeDemoInfo(path: string, info: DemoInfo): void {
  const tmp = `${path}.${process.pid}.tmp`;
  writeFileSync(tmp, JSON.stringify(demoInfoSchema.parse(info), null, 2), { mode: 0o600 });
  renameSync(tmp, path);
}

/** The file's content, or null while it is not written yet; a malformed file says what is wrong. */
export function readDemoInfo(path: string): DemoInfo | null {
  if (!existsSync(path)) return null;
  const parsed = demoInfoSchema.safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) {
    throw new Error(
      `${path} is not what server/start.ts writes (${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}): delete it and run \`npm start\` again.`,
    );
  }
  return parsed.data;
}
