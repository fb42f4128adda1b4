/**
 * The extension in Chromium (issue 8 Speed), from the performance marks the
 * content script and the panel set (lib/extension/panel-loader.ts: content
 * script start; components/mount.tsx: panel's first render committed, calls
 * of the open record on screen):
 * - gzip size of each content script of the Chrome build, and of the panel's
 *   module they load on a record page;
 * - content script start to panel mounted, per full page load (loading the
 *   panel's module included);
 * - calls of the open record on screen, from the navigation start of a full
 *   load, each after the service worker was stopped (a cold start: Chrome
 *   stops it when idle; stopped through CDP as test/extension/support/worker.ts
 *   does), for a record seen before in the run ("from cache") and for one
 *   seen for the first time ("fresh");
 * - long tasks over 50 ms (PerformanceObserver 'longtask' in the page) that
 *   overlap the extension's work on the page (its script start to the list
 *   on screen), next to the same page served where no content script runs.
 *
 * The extension keeps no copy of a record's calls (its background is
 * stateless, entrypoints/background.ts), so "from cache" is a revisit: the
 * backend's and the browser's caches are warm, the list is still fetched.
 * Floors, same run: the backend's answer to the same request from Node, and
 * the page's own load (navigation start to load event end) without the
 * extension's content script.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { CLAIRE } from '../sandbox/demo.ts';
import {
  type ExtensionBrowser,
  EXTENSION_DIR,
  launchWithExtension,
  presetOptions,
} from '../sandbox/browser.ts';
import {
  contentScriptSizes,
  expand,
  PANEL,
  panelModuleSize,
  type Size,
} from '../test/extension/support/panel.ts';
import { startWorld, type StoreKind } from '../test/support/world.ts';
import { ROOT } from './spawn.ts';
import { type Latency, summarize } from './stats.ts';

export interface ExtensionOptions {
  store: StoreKind;
  /** Full loads measured for each of "from cache" and "fresh" (p95 over these). */
  navigations: number;
}

export interface LongTasks {
  /** Long tasks (> 50 ms by definition) overlapping the extension's work, over every measured load. */
  count: number;
  maxMs: number;
  /** Long tasks elsewhere in the same loads (the page's own, or after the list showed). */
  outside: number;
  /** On the same page without the content script, over as many loads. */
  control: number;
}

export interface ExtensionResult {
  /** The content scripts, each (the bar's "content script"). */
  bundles: Record<string, Size>;
  /**
   * The panel's module (React, the components, the store, zod), one for the three CRMs, which
   * each content script loads on a record page: not in the bar, its loading is in `scriptToMounted`.
   */
  panelModule: { file: string } & Size;
  navigations: number;
  /** Content script start to the panel's first render committed. */
  scriptToMounted: Latency;
  /** Navigation start to the calls on screen, after a service-worker cold start. */
  listFromCache: Latency;
  listFresh: Latency;
  /** The same, from the content script's start. */
  scriptToListFromCache: Latency;
  scriptToListFresh: Latency;
  longTasks: LongTasks;
  /** Floor: the backend's answer to the record's calls request, from Node over loopback. */
  backendAnswer: Latency;
  /** Floor: the page's own load (navigation start to load event end) without the content script. */
  pageLoad: Latency;
}

/** The extension's build is there (`npx wxt build`); the bench and its smoke test check first. */
export function extensionBuilt(): boolean {
  return existsSync(join(EXTENSION_DIR, 'manifest.json'));
}

const CONTROL_HOST = 'https://control.example.com';
const CALL_BASE = 9_000_000;

interface Marks {
  listAt: number;
  scriptStart: number;
  mountedAt: number;
  longTasks: { start: number; duration: number }[];
}

/** Installed in every page before its own scripts: the long tasks, kept for the bench to read. */
function observeLongTasks() {
  const w = window as unknown as { __longTasks: { start: number; duration: number }[] };
  w.__longTasks = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // No long-task timing in this browser: none are reported.
  }
}

/** Stop the extension's service worker (as Chrome does when idle) and wait until it is stopped. */
async function stopWorker(ext: ExtensionBrowser, internals: Page): Promise<void> {
  const browser = ext.context.browser();
  if (!browser) throw new Error('no browser-level CDP: launch Chromium through sandbox/browser.ts');
  const cdp = await browser.newBrowserCDPSession();
  try {
    const { targetInfos } = await cdp.send('Target.getTargets');
    for (const t of targetInfos)
      if (t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`))
        await cdp.send('Target.closeTarget', { targetId: t.targetId });
  } finally {
    await cdp.detach();
  }
  const end = performance.now() + 15_000;
  for (;;) {
    await internals.goto('chrome://serviceworker-internals/');
    const text = await internals.locator('body').innerText();
    const block = text
      .split(/\n(?=Scope: )/)
      .find((b) => b.startsWith(`Scope: chrome-extension://${ext.extensionId}/`));
    const status = /Running Status: (\w+)/.exec(block ?? '')?.[1] ?? 'none';
    if (status === 'STOPPED' || status === 'none') return;
    if (performance.now() > end) throw new Error(`the extension's service worker did not stop (${status})`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A full load of a record page, until its calls are on screen; the panel's marks and the long tasks. */
async function loadRecord(page: Page, url: string, key: string): Promise<Marks> {
  await page.goto(url);
  await page.waitForFunction(
    (k) => document.querySelector('aircall-crm-panel')?.getAttribute('data-list-record') === k,
    key,
    { timeout: 30_000 },
  );
  // A long task is reported once it ends: give the one that rendered the list time to be.
  await page.waitForTimeout(100);
  return page.evaluate((panel) => {
    const host = document.querySelector(panel) as HTMLElement | null;
    const n = (k: string) => Number(host?.dataset[k]);
    return {
      listAt: n('listShownAt'),
      scriptStart: n('scriptStart'),
      mountedAt: n('mountedAt'),
      longTasks: (window as unknown as { __longTasks: Marks['longTasks'] }).__longTasks,
    };
  }, PANEL);
}

export async function benchExtension(opts: ExtensionOptions): Promise<ExtensionResult> {
  if (!extensionBuilt())
    throw new Error(`No extension build in ${EXTENSION_DIR}: run \`npx wxt build\` first.`);
  const bundles = contentScriptSizes();
  const panelModule = panelModuleSize();
  const w = await startWorld({ store: opts.store, crm: 'hubspot', n: 60 });
  let ext: ExtensionBrowser | null = null;
  try {
    // Claire (a known contact) has a call; each "fresh" record is a new caller's contact.
    await w.play({ scenario: 'inbound-answered', callId: CALL_BASE, external: CLAIRE.e164 });
    const numbers = Array.from(
      { length: opts.navigations },
      (_, i) => `+3367${String(CALL_BASE + 1 + i).padStart(7, '0')}`,
    );
    for (let k = 0; k < numbers.length; k += 8)
      await Promise.all(
        numbers
          .slice(k, k + 8)
          .map((external, j) =>
            w.play({ scenario: 'inbound-answered', callId: CALL_BASE + 1 + k + j, external }),
          ),
      );
    await w.settle(120_000);
    const rows = await w.db.query<{ record_id: string; external_e164: string }>(
      `select record_id, external_e164 from logged where record_id is not null`,
    );
    const fresh = numbers.map((n) => rows.find((r) => r.external_e164 === n)?.record_id);
    if (fresh.some((id) => !id))
      throw new Error(`not every call was logged on a contact: ${JSON.stringify(rows)}`);
    const portal = w.company.ids.portalId;
    const recordUrl = (id: string) => `https://app.hubspot.com/contacts/${portal}/record/0-1/${id}`;
    const recordKey = (id: string) => `hubspot/contacts/${id}`;

    ext = await launchWithExtension();
    await presetOptions(ext, { backendUrl: w.backend.url, token: w.company.agentTokens.alice });
    await ext.context.addInitScript(observeLongTasks);
    const html = readFileSync(join(ROOT, 'lib', 'crm', 'hubspot', 'fixtures', 'app.html'), 'utf8');
    await ext.context.route(`${CONTROL_HOST}/**`, (route) =>
      route.request().resourceType() === 'document'
        ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
        : route.fulfill({ status: 404, body: '' }),
    );
    const page = await ext.context.newPage();
    const internals = await ext.context.newPage();
    // The list shows only in an expanded panel; expanded is remembered for the site.
    await page.goto(recordUrl(CLAIRE.id));
    await expand(page);
    await loadRecord(page, recordUrl(CLAIRE.id), recordKey(CLAIRE.id));

    const mounted: number[] = [];
    const list = { cache: [] as number[], fresh: [] as number[] };
    const fromScript = { cache: [] as number[], fresh: [] as number[] };
    const long: LongTasks = { count: 0, maxMs: 0, outside: 0, control: 0 };
    const note = (kind: 'cache' | 'fresh', m: Marks) => {
      mounted.push(m.mountedAt - m.scriptStart);
      list[kind].push(m.listAt);
      fromScript[kind].push(m.listAt - m.scriptStart);
      for (const t of m.longTasks) {
        // The extension's window: its script start to the list on screen (and the render that ends it).
        const mine = t.start + t.duration > m.scriptStart && t.start < m.listAt + 100;
        if (mine) {
          long.count++;
          long.maxMs = Math.max(long.maxMs, Math.round(t.duration));
        } else long.outside++;
      }
    };
    for (const id of fresh) {
      await stopWorker(ext, internals);
      note('fresh', await loadRecord(page, recordUrl(id ?? ''), recordKey(id ?? '')));
      await stopWorker(ext, internals);
      note('cache', await loadRecord(page, recordUrl(CLAIRE.id), recordKey(CLAIRE.id)));
    }

    // Floors: the page without the content script, and the backend's answer from Node.
    const pageLoad: number[] = [];
    for (let i = 0; i < opts.navigations; i++) {
      await page.goto(`${CONTROL_HOST}/contacts/${portal}/record/0-1/${CLAIRE.id}`, { waitUntil: 'load' });
      await page.waitForTimeout(100);
      const c = await page.evaluate(() => ({
        load: (performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined)
          ?.loadEventEnd,
        long: (window as unknown as { __longTasks: unknown[] }).__longTasks.length,
      }));
      pageLoad.push(c.load ?? 0);
      long.control += c.long;
    }
    const backend: number[] = [];
    for (let i = 0; i < opts.navigations; i++) {
      const t = performance.now();
      const res = await fetch(`${w.backend.url}/v1/records/hubspot/contacts/${CLAIRE.id}/activity`, {
        headers: { authorization: `Bearer ${w.company.agentTokens.alice}` },
      });
      await res.arrayBuffer();
      if (!res.ok) throw new Error(`the backend answered ${res.status} for Claire's calls`);
      backend.push(performance.now() - t);
    }
    return {
      bundles,
      panelModule,
      navigations: opts.navigations,
      scriptToMounted: summarize(mounted),
      listFromCache: summarize(list.cache),
      listFresh: summarize(list.fresh),
      scriptToListFromCache: summarize(fromScript.cache),
      scriptToListFresh: summarize(fromScript.fresh),
      longTasks: long,
      backendAnswer: summarize(backend),
      pageLoad: summarize(pageLoad),
    };
  } finally {
    await ext?.close();
    await w.close();
  }
}
