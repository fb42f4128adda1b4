/**
 * The content scripts' own code (issue 8: content script <= 50 KB gzip): the
 * record-page detection of one CRM (EXT-DET-1), and, only once a record page
 * is shown, the panel's code (React, components/, the store, zod), loaded as
 * one module built once for the three CRMs (entrypoints/panel.ts).
 *
 * A module imported from a content script runs in the content script's
 * isolated world, with the extension APIs, never in the page's. The module is
 * a web-accessible resource only on the CRMs' pages (wxt.config.ts: its
 * `matches` are the content scripts' own).
 */
import { browser } from 'wxt/browser';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { storage } from 'wxt/utils/storage';
import type { MountPanel } from '../../components/mount.tsx';
import type { RecordDetector } from '../crm/record-page.ts';
import { collapsedKey } from './settings.ts';

/** The panel's module in the build (entrypoints/panel.ts, an unlisted script built as an ES module). */
export const PANEL_MODULE = '/panel.js';

/**
 * Load the panel on a record page now, or on the first in-app navigation to one.
 * Resolves once the panel is set up (at once when the page is no record page).
 */
export function loadPanel(ctx: ContentScriptContext, detector: RecordDetector): Promise<void> {
  // Performance marks (issue 8: content script start to panel mounted, loading the panel's module
  // included), exposed on the panel's host for bench/extension.ts by components/mount.tsx.
  const scriptStart = performance.now();
  performance.mark('aircall:script-start');
  const start = async (): Promise<void> => {
    // Whether the panel is collapsed on this site is read while the module loads, not after it.
    const collapsed = storage.getItem<boolean>(collapsedKey(location.host));
    const panel = (await import(/* @vite-ignore */ browser.runtime.getURL(PANEL_MODULE))) as {
      default: MountPanel;
    };
    // The module's evaluation and the panel's set-up run as two tasks, not one long one
    // (issue 8: no long task over 50 ms caused by the extension).
    await yieldToPage();
    return panel.default(ctx, detector, { scriptStart, collapsed });
  };
  let loading: Promise<void> | null = null;
  const load = (): Promise<void> =>
    (loading ??= start().catch((err: unknown) => {
      // A later navigation may try again (the module is the extension's own: this is rare).
      loading = null;
      throw err;
    }));
  if (detector.detect(location.href)) return load();
  // Once loaded, the panel follows the SPA's navigation itself (components/mount.tsx).
  ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => {
    // A failure to load stays visible: an unhandled rejection in the content script's console.
    if (!loading && ctx.isValid && detector.detect(newUrl.href)) void load();
  });
  return Promise.resolve();
}

/** Let the page's pending work run; `scheduler.yield` resumes ahead of other queued tasks (Chrome 129+). */
function yieldToPage(): Promise<void> {
  if (typeof scheduler !== 'undefined' && typeof scheduler.yield === 'function') return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}
