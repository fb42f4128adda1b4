/**
 * Chromium with the built extension loaded, and the saved CRM pages
 * (lib/crm/<crm>/fixtures/app.html) served at the CRMs' real addresses by
 * request interception, so the content scripts' real `matches` patterns run
 * (TOOLCHAIN.md "Real Chromium for end-to-end tests"). Used by the browser
 * tests (test/extension/) and by `npm run demo`.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Worker } from 'playwright-core';

const ROOT = join(import.meta.dirname, '..');
/** The Chrome MV3 build of `npm run build`. */
export const EXTENSION_DIR = join(ROOT, '.output', 'chrome-mv3');
/** System Chromium by default (TOOLCHAIN.md); CHROME_PATH for Chrome elsewhere. */
export const CHROME_PATH = process.env.CHROME_PATH ?? '/usr/bin/chromium';

/** Where each CRM's saved page is served: the hosts its content script matches. */
export const CRM_SITES = [
  {
    crm: 'hubspot',
    globs: ['https://app.hubspot.com/**', 'https://app-eu1.hubspot.com/**', 'https://app-na2.hubspot.com/**'],
  },
  { crm: 'salesforce', globs: ['https://*.lightning.force.com/**'] },
  { crm: 'jobadder', globs: ['https://app.jobadder.com/**'] },
] as const;

export interface ExtensionBrowser {
  context: BrowserContext;
  /** The extension's service worker (the background). */
  worker: Worker;
  extensionId: string;
  close(): Promise<void>;
}

/** Launch Chromium with the extension; headless unless told otherwise. */
export async function launchWithExtension(opts: { headless?: boolean } = {}): Promise<ExtensionBrowser> {
  if (!existsSync(join(EXTENSION_DIR, 'manifest.json'))) {
    throw new Error(`No extension build in ${EXTENSION_DIR}: run \`npm run build\` first.`);
  }
  if (!existsSync(CHROME_PATH)) {
    throw new Error(
      `No Chromium at ${CHROME_PATH}: install it (apt-get install -y chromium) or set CHROME_PATH to Chrome.`,
    );
  }
  const userDataDir = mkdtempSync(join(tmpdir(), 'aircall-ext-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROME_PATH,
    headless: opts.headless ?? true,
    viewport: { width: 1280, height: 800 },
    args: [
      '--no-sandbox',
      `--disable-extensions-except=${EXTENSION_DIR}`,
      `--load-extension=${EXTENSION_DIR}`,
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
  const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
  const extensionId = new URL(worker.url()).host;
  await serveCrmPages(context);
  return {
    context,
    worker,
    extensionId,
    async close() {
      await context.close();
      rmSync(userDataDir, { recursive: true, force: true });
    },
  };
}

/** Answer every page of the three CRMs with its saved page (a single-page app's shell answers every path). */
export async function serveCrmPages(context: BrowserContext): Promise<void> {
  for (const site of CRM_SITES) {
    const html = readFileSync(join(ROOT, 'lib', 'crm', site.crm, 'fixtures', 'app.html'), 'utf8');
    for (const glob of site.globs) {
      await context.route(glob, (route) =>
        route.request().resourceType() === 'document'
          ? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html })
          : route.fulfill({ status: 404, body: '' }),
      );
    }
  }
}

/** Set the extension's options (backend URL and agent token) as the options page would save them. */
export async function presetOptions(
  ext: ExtensionBrowser,
  settings: { backendUrl: string; token: string } | null,
): Promise<void> {
  // The key is lib/extension/settings.ts's `local:backend` (WXT storage keeps it as "backend").
  await ext.worker.evaluate((s) => {
    const local = (globalThis as unknown as { chrome: { storage: { local: StorageArea } } }).chrome.storage
      .local;
    return s ? local.set({ backend: s }) : local.remove('backend');
  }, settings);
}

interface StorageArea {
  set(items: Record<string, unknown>): Promise<void>;
  remove(key: string): Promise<void>;
}
