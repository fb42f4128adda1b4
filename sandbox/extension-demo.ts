/**
 * `npm run demo`: try the agent's panel with no CRM account. Runs `npm start`
 * (server/start.ts: backend, sandbox, demo company connected to HubSpot,
 * Salesforce and JobAdder) as it is, reads the data/demo.json it writes once
 * ready (sandbox/demo-info.ts), plays a few demo calls from Claire (the known
 * caller in each CRM) and one unknown number, then opens Chromium with the
 * built extension, its options preset (backend URL, Alice's agent token), and
 * Claire's record page of each CRM served at its real address
 * (sandbox/browser.ts), as the browser tests do. With no $DISPLAY, Chromium
 * runs headless, says so, and saves screenshots instead. Ctrl-C stops
 * everything.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { ALICE } from '../lib/aircall/scenarios.ts';
import { launchWithExtension, presetOptions } from './browser.ts';
import { clearDemoInfo, type DemoInfo, demoInfoPath, readDemoInfo } from './demo-info.ts';

const ROOT = join(import.meta.dirname, '..');
const READY_TIMEOUT_MS = 120_000;

/** Start server/start.ts (its printout goes to this terminal) and wait for the data/demo.json it writes. */
async function startProduct(): Promise<{ child: ChildProcess; info: DemoInfo }> {
  const infoFile = demoInfoPath(resolve(ROOT, process.env.DATA_DIR ?? './data/demo'));
  clearDemoInfo(infoFile);
  const child = spawn(process.execPath, [join(ROOT, 'server', 'start.ts')], {
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  let exited: number | null | undefined;
  child.on('exit', (code) => {
    exited = code;
  });
  const end = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    if (exited !== undefined) throw new Error(`npm start exited (${exited}) before it was ready.`);
    const info = readDemoInfo(infoFile);
    if (info) return { child, info };
    if (Date.now() > end) {
      child.kill('SIGTERM');
      throw new Error(`npm start did not write ${infoFile} within ${READY_TIMEOUT_MS / 1000} s.`);
    }
    await new Promise((r) => setTimeout(r, 200));
  }
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
const { info } = product;
const aircall = { url: info.aircall.url, company: info.aircall.companyId };
console.log(
  'Playing demo calls with Claire Dupont (known in HubSpot, Salesforce and JobAdder) and one unknown number...',
);
const now = Math.floor(Date.now() / 1000);
await play(aircall.url, aircall.company, {
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
await play(aircall.url, aircall.company, {
  callId: 9002,
  direction: 'outbound',
  external: '+33 6 12 34 56 78',
  startedAt: now - 3600,
  talk: 25,
  user: ALICE,
});
await play(aircall.url, aircall.company, {
  callId: 9003,
  direction: 'inbound',
  external: '+33 6 99 00 00 01',
  startedAt: now - 1800,
  answerAfter: 4,
  talk: 60,
  user: ALICE,
});
// Three CRMs log each call through Aircall's webhooks: give them a few seconds.
await new Promise((r) => setTimeout(r, 4000));

const headless = !process.env.DISPLAY;
if (headless) console.log('No $DISPLAY: Chromium runs headless; screenshots go to test-output/demo-*.png.');
const ext = await launchWithExtension({ headless });
await presetOptions(ext, { backendUrl: info.backendUrl, token: info.agentTokens.alice });
// Claire's record in each CRM: the demo calls above are logged there.
const pages = {
  hubspot: `https://app.hubspot.com/contacts/${info.hubspot.portalId}/record/0-1/${info.hubspot.claire}`,
  salesforce: `https://demo.lightning.force.com/lightning/r/Contact/${info.salesforce.claire}/view`,
  jobadder: `https://app.jobadder.com/contacts/${info.jobadder.claire}`,
};
if (headless) mkdirSync(join(ROOT, 'test-output'), { recursive: true });
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
The extension is loaded with its options set (backend ${info.backendUrl}, Alice's token).
The CRM pages above are saved pages served at their real addresses, each on Claire Dupont's record;
the panel sits at the right edge (click "Aircall" to open it) and lists the demo calls logged there.
Ctrl-C stops everything.`);

const stop = async () => {
  await ext.close().catch(() => undefined);
  product.child.kill('SIGTERM');
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
