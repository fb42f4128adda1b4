/**
 * `npm run demo`: try the agent's panel with no CRM account. Runs `npm start`
 * (server/start.ts: backend, sandbox, connected demo company) as it is, plays
 * a few demo calls into it, then opens Chromium with the built extension,
 * its options preset (backend URL, Alice's agent token), and the saved CRM
 * pages served at their real addresses (sandbox/browser.ts), as the browser
 * tests do. With no $DISPLAY, Chromium runs headless, says so, and saves
 * screenshots instead. Ctrl-C stops everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { launchWithExtension, presetOptions } from './browser.ts';

const ROOT = join(import.meta.dirname, '..');

/** Start server/start.ts and read what it prints: the backend URL, Alice's token, the ids. */
function startProduct(): Promise<{
  child: ChildProcess;
  backend: string;
  token: string;
  aircall: string;
  company: number;
  portal: number;
}> {
  const child = spawn(process.execPath, [join(ROOT, 'server', 'start.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    child.on('exit', (code) => reject(new Error(`npm start exited (${code}) before it was ready:\n${out}`)));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const backend = /backend\s+(http\S+)/.exec(out)?.[1];
      const token = /agent token Alice\s+(\S+)/.exec(out)?.[1];
      const play = /play\.ts (\S+) (\d+) inbound-answered/.exec(out);
      const portal = /simulated portal (\d+)/.exec(out)?.[1];
      if (backend && token && play?.[1] && play[2] && portal) {
        resolve({
          child,
          backend,
          token,
          aircall: play[1],
          company: Number(play[2]),
          portal: Number(portal),
        });
      }
    });
  });
}

async function play(aircall: string, company: number, call: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${aircall}/_sandbox/scenarios/play`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ company, call }),
  });
  if (!res.ok) throw new Error(`playing a demo call failed: ${res.status} ${await res.text()}`);
}

const product = await startProduct();
console.log('Playing demo calls with Claire Dupont (HubSpot contact 501) and one unknown number...');
const now = Math.floor(Date.now() / 1000);
await play(product.aircall, product.company, {
  callId: 9001,
  direction: 'inbound',
  external: '+33 6 12 34 56 78',
  startedAt: now - 3 * 3600,
  answerAfter: 8,
  talk: 185,
  user: ALICE,
  tags: [{ id: 31, name: 'General_Inquiries' }],
  comments: [{ id: 99001, content: 'Wants the March invoice again', by: ALICE }],
  summary: 'Claire asked for a copy of her March invoice; Alice will email it today.',
});
await play(product.aircall, product.company, {
  callId: 9002,
  direction: 'outbound',
  external: '+33 6 12 34 56 78',
  startedAt: now - 3600,
  talk: 25,
  user: ALICE,
});
await play(product.aircall, product.company, {
  callId: 9003,
  direction: 'inbound',
  external: '+33 6 99 00 00 01',
  startedAt: now - 1800,
  answerAfter: 4,
  talk: 60,
  user: ALICE,
});
await new Promise((r) => setTimeout(r, 2000));

const headless = !process.env.DISPLAY;
if (headless) console.log('No $DISPLAY: Chromium runs headless; screenshots go to test-output/demo-*.png.');
const ext = await launchWithExtension({ headless });
await presetOptions(ext, { backendUrl: product.backend, token: product.token });
const pages = {
  hubspot: `https://app.hubspot.com/contacts/${product.portal}/record/0-1/501`,
  salesforce: 'https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view',
  jobadder: 'https://app.jobadder.com/candidates/98765',
};
for (const [crm, url] of Object.entries(pages)) {
  const page = await ext.context.newPage();
  await page.goto(url);
  if (headless) {
    await page.locator('aircall-crm-panel button.toggle').click();
    await page.waitForTimeout(1500);
    await page.screenshot({ path: join(ROOT, 'test-output', `demo-${crm}.png`) });
  }
  console.log(`  ${crm}: ${url}`);
}
console.log(`
The extension is loaded with its options set (backend ${product.backend}, Alice's token).
The CRM pages above are saved pages served at their real addresses; the panel sits at the right edge
(click "Aircall" to open it). Only HubSpot has a connected integration in this demo.
Ctrl-C stops everything.`);

const stop = async () => {
  await ext.close().catch(() => undefined);
  product.child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
