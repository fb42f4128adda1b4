/**
 * Issue 8, "content script start to panel mounted": the panel's module
 * (panel.js) and the background build every zod schema they import when they
 * load, and rollup cannot drop a schema nobody reads (its construction is a
 * call). So the extension imports the agent routes' own contract file
 * (lib/api/contract-agent.ts), never the whole contract (lib/api/contract.ts:
 * admin, dashboard, settings, doctor and card routes). Checked on the Chrome
 * build (.output/chrome-mv3, `npx wxt build`): no other route of the contract
 * is in it, and every agent route is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_API } from '../../lib/api/contract-agent.ts';
import { API, type RouteDef } from '../../lib/api/contract.ts';
import { PANEL_MODULE } from '../../lib/extension/panel-loader.ts';
import { EXTENSION_DIR } from '../../sandbox/browser.ts';

function built(file: string): string {
  const path = join(EXTENSION_DIR, file);
  if (!existsSync(path))
    throw new Error(`No extension build in ${EXTENSION_DIR}: run \`npx wxt build\` first.`);
  return readFileSync(path, 'utf8');
}

/** An ES module of the build with the chunks it imports statically (the background shares one with options). */
function withChunks(file: string): string {
  const code = built(file);
  const chunks = [...code.matchAll(/(?:from|import)\s*["']\.\/(chunks\/[^"']+\.js)["']/g)].map(
    (m) => m[1] ?? '',
  );
  return [code, ...chunks.map(built)].join('\n');
}

const routes = Object.entries(API) as [string, RouteDef][];
const agentPaths = routes.filter(([name]) => name in AGENT_API).map(([, r]) => r.path);
const otherPaths = routes.filter(([name]) => !(name in AGENT_API)).map(([, r]) => r.path);

describe('the extension builds only the agent API (issue 8)', () => {
  it('AGENT_API is every route of the contract an agent token calls, and only those', () => {
    const agentRoutes = routes.filter(([, r]) => r.auth === 'agent');
    expect(agentRoutes.map(([name]) => name).sort()).toEqual(Object.keys(AGENT_API).sort());
    // The same objects: the server registers and validates exactly what the extension parses.
    for (const [name, r] of agentRoutes) expect(AGENT_API[name as keyof typeof AGENT_API]).toBe(r);
  });

  const BUNDLES = { panel: PANEL_MODULE.replace(/^\//, ''), background: 'background.js' };
  for (const [what, file] of Object.entries(BUNDLES)) {
    it(`the ${what} (${file} and its chunks) holds the agent routes and no other route of the contract`, () => {
      const code = withChunks(file);
      expect(agentPaths.filter((p) => !code.includes(p))).toEqual([]);
      expect(otherPaths.filter((p) => code.includes(p))).toEqual([]);
    });
  }
});
