/**
 * Stopping the extension's service worker as Chrome does when it is idle or
 * under memory pressure (MV3: "at any moment"), and reading its state where
 * Chrome shows it (chrome://serviceworker-internals). The browser-level CDP
 * session closes the worker's target: Chrome stops the worker (the page-level
 * `ServiceWorker.stopAllWorkers` does not reach extension workers), and the
 * next message from a content script starts it again.
 */
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { ExtensionBrowser } from '../../../sandbox/browser.ts';

export type WorkerStatus = 'RUNNING' | 'STOPPED' | 'STARTING' | 'STOPPING' | 'none';

/** The running status of the extension's worker, as chrome://serviceworker-internals shows it. */
export async function workerStatus(internals: Page, ext: ExtensionBrowser): Promise<WorkerStatus> {
  await internals.goto('chrome://serviceworker-internals/');
  const text = await internals.locator('body').innerText();
  const block = text
    .split(/\n(?=Scope: )/)
    .find((b) => b.startsWith(`Scope: chrome-extension://${ext.extensionId}/`));
  return (/Running Status: (\w+)/.exec(block ?? '')?.[1] as WorkerStatus | undefined) ?? 'none';
}

/**
 * Stop the extension's service worker now, and wait until Chrome says it is
 * stopped. A message the panel had in flight when the worker was closed may
 * start it again at once (a read is asked again: lib/extension/send.ts), so
 * the worker is closed again until Chrome reports it stopped.
 */
export async function stopWorker(ext: ExtensionBrowser, internals: Page): Promise<void> {
  const browser = ext.context.browser();
  if (!browser) throw new Error('no browser-level CDP: launch Chromium through sandbox/browser.ts');
  const end = Date.now() + 15_000;
  for (;;) {
    const cdp = await browser.newBrowserCDPSession();
    try {
      const { targetInfos } = await cdp.send('Target.getTargets');
      const mine = targetInfos.filter(
        (t) => t.type === 'service_worker' && t.url.startsWith(`chrome-extension://${ext.extensionId}/`),
      );
      for (const t of mine) await cdp.send('Target.closeTarget', { targetId: t.targetId });
    } finally {
      await cdp.detach();
    }
    const settleBy = Date.now() + 2_000;
    while (Date.now() < settleBy) {
      if ((await workerStatus(internals, ext)) === 'STOPPED') return;
      await new Promise((r) => setTimeout(r, 100));
    }
    if (Date.now() > end) {
      expect(await workerStatus(internals, ext), 'the extension worker did not stay stopped').toBe('STOPPED');
      return;
    }
  }
}
