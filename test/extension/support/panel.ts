/**
 * Helpers of the browser tests: the panel's elements (in its open shadow
 * root, which Playwright's CSS locators pierce), its measurements, and the
 * sizes of the content scripts and of the panel's module they load.
 */
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { PANEL_MODULE } from '../../../lib/extension/panel-loader.ts';
import { EXTENSION_DIR } from '../../../sandbox/browser.ts';

export const PANEL = 'aircall-crm-panel';
export const OUTPUT_DIR = join(import.meta.dirname, '..', '..', '..', 'test-output');

/** Open the panel if it is collapsed (it starts collapsed: EXT-UI-1). */
export async function expand(page: Page): Promise<void> {
  const toggle = page.locator(`${PANEL} button.toggle`);
  await toggle.waitFor();
  if ((await toggle.getAttribute('aria-expanded')) === 'false') await toggle.click();
  await page.locator(`${PANEL} .body`).waitFor();
}

/** The ids of the calls the panel lists, in order. */
export async function listedCalls(page: Page): Promise<string[]> {
  return page
    .locator(`${PANEL} ol.calls > li`)
    .evaluateAll((els) => els.map((e) => e.getAttribute('data-call') ?? ''));
}

/**
 * Time from a navigation to the call list on screen, on the page's clock: the
 * panel marks the list's first render (performance.mark/measure in
 * components/mount.tsx) and exposes the time on its host. A full load counts
 * from the document's navigation start (performance.now() = 0); an in-app
 * navigation from the pushState.
 */
export async function navToList(
  page: Page,
  navigate: () => Promise<unknown>,
  recordKey: string,
  kind: 'load' | 'spa',
): Promise<number> {
  const t0 = kind === 'spa' ? await page.evaluate(() => performance.now()) : 0;
  await navigate();
  await page.waitForFunction(
    (key) => document.querySelector('aircall-crm-panel')?.getAttribute('data-list-record') === key,
    recordKey,
  );
  const shownAt = Number(await page.locator(PANEL).getAttribute('data-list-shown-at'));
  return shownAt - t0;
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(OUTPUT_DIR, { recursive: true });
  const path = join(OUTPUT_DIR, `${name}.png`);
  await page.screenshot({ path });
  return path;
}

export interface Size {
  raw: number;
  gzip: number;
}

function size(file: string): Size {
  const buf = readFileSync(file);
  return { raw: buf.length, gzip: gzipSync(buf, { level: 9 }).length };
}

/** gzip size of each content script of the Chrome build. */
export function contentScriptSizes(): Record<string, Size> {
  const dir = join(EXTENSION_DIR, 'content-scripts');
  const out: Record<string, Size> = {};
  for (const f of readdirSync(dir).filter((n) => n.endsWith('.js'))) out[f] = size(join(dir, f));
  return out;
}

/**
 * The panel's module (React, the components, the store, zod: entrypoints/panel.ts), which
 * the content scripts load on a record page (lib/extension/panel-loader.ts); one for the three CRMs.
 */
export function panelModuleSize(): { file: string } & Size {
  const file = PANEL_MODULE.replace(/^\//, '');
  return { file, ...size(join(EXTENSION_DIR, file)) };
}
