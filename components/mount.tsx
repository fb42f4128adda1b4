/**
 * Mounts the panel on one CRM's pages (EXT-DET-1, EXT-UI-1): a shadow-root
 * UI shown only on record pages, following the SPA's in-place navigation
 * (`wxt:locationchange`: pushState, replaceState, back/forward), with the
 * collapsed state remembered per site. Listeners and timers go through WXT's
 * `ctx`, so an updated or removed extension leaves nothing behind.
 *
 * It is the panel's module (entrypoints/panel.ts), which the content script
 * loads on the first record page (lib/extension/panel-loader.ts, issue 8).
 */
import { type ReactNode, useLayoutEffect } from 'react';
import { createRoot, type Root } from 'react-dom/client';
import type { ContentScriptContext } from 'wxt/utils/content-script-context';
import { createShadowRootUi } from 'wxt/utils/content-script-ui/shadow-root';
import { storage } from 'wxt/utils/storage';
import { recordKey, type RecordDetector } from '../lib/crm/record-page.ts';
import { loadDrafts, pruneDrafts, saveDraft } from '../lib/extension/drafts.ts';
import { send } from '../lib/extension/send.ts';
import { backendSettings, collapsedKey } from '../lib/extension/settings.ts';
import { StoreContext } from './context.ts';
import { ErrorBoundary } from './ErrorBoundary.tsx';
import { Panel } from './Panel.tsx';
// The panel's styles travel in its module and go into its shadow root only (EXT-UI-1).
import panelCss from './panel.css?inline';
import { createPanelStore } from './store.ts';

/** Calls `onMounted` once the panel's first render is committed to the shadow root. */
function MountMark({ onMounted, children }: { onMounted: () => void; children: ReactNode }) {
  useLayoutEffect(() => onMounted(), [onMounted]);
  return children;
}

/** What the panel's module exports (entrypoints/panel.ts), for the content scripts' loader. */
export type MountPanel = typeof mountPanel;

/** What the content script's loader hands over (lib/extension/panel-loader.ts). */
export interface PanelStart {
  /** The content script's start on the page's clock (the 'aircall:script-start' mark). */
  scriptStart: number;
  /** Whether the panel is collapsed on this site (`collapsedKey`), read while the module loaded. */
  collapsed: Promise<boolean | null>;
}

/** Set the panel up on the page. */
export async function mountPanel(
  ctx: ContentScriptContext,
  detector: RecordDetector,
  { scriptStart, collapsed: savedCollapsed }: PanelStart,
): Promise<void> {
  // Performance marks (issue 8: content script start to panel mounted), exposed on the host for bench/extension.ts.
  let firstMount = true;
  const markMounted = () => {
    if (!firstMount) return;
    firstMount = false;
    performance.mark('aircall:panel-mounted');
    const m = performance.measure('aircall:script-to-panel', 'aircall:script-start', 'aircall:panel-mounted');
    ui.shadowHost.dataset.scriptStart = scriptStart.toFixed(1);
    ui.shadowHost.dataset.mountedAt = (scriptStart + m.duration).toFixed(1);
  };
  const site = collapsedKey(location.host);
  // Collapsed by default: the panel never covers the CRM's controls unasked (issue 6).
  const collapsed = (await savedCollapsed) ?? true;
  const store = createPanelStore(
    {
      send,
      setTimeout: (fn, ms) => ctx.setTimeout(fn, ms),
      clearTimeout: (id) => clearTimeout(id),
      now: () => performance.now(),
      saveCollapsed: (c) => void storage.setItem(site, c),
      drafts: { load: (key) => loadDrafts(key), save: (key, callId, text) => saveDraft(key, callId, text) },
      browserTimeZone: () => Intl.DateTimeFormat().resolvedOptions().timeZone,
    },
    { collapsed },
  );

  const ui = await createShadowRootUi<Root>(ctx, {
    name: 'aircall-crm-panel',
    css: panelCss,
    position: 'inline',
    anchor: 'body',
    append: 'last',
    // Keys typed in the panel stay in it (CRM keyboard shortcuts must not fire).
    isolateEvents: true,
    onMount(container) {
      const root = createRoot(container);
      root.render(
        <MountMark onMounted={markMounted}>
          <StoreContext.Provider value={store}>
            <ErrorBoundary>
              <Panel />
            </ErrorBoundary>
          </StoreContext.Provider>
        </MountMark>,
      );
      return root;
    },
    onRemove(root) {
      root?.unmount();
    },
  });

  // Performance marks: record detected -> its list on screen (issue 6 asks for this figure).
  store.subscribe((s, prev) => {
    if (s.listShownAt !== null && prev.listShownAt === null && s.key) {
      performance.mark(`aircall:list:${s.key}`);
      const m = performance.measure(`aircall:nav-to-list:${s.key}`, {
        start: s.openedAt,
        end: s.listShownAt,
      });
      ui.shadowHost.dataset.navToListMs = m.duration.toFixed(1);
      ui.shadowHost.dataset.listShownAt = s.listShownAt.toFixed(1);
      ui.shadowHost.dataset.listRecord = s.key;
    }
  });

  const follow = (url: string) => {
    const record = detector.detect(url);
    if (!record) {
      store.getState().close();
      if (ui.mounted) ui.remove();
      return;
    }
    performance.mark(`aircall:nav:${recordKey(record)}`);
    if (!ui.mounted || !ui.shadowHost.isConnected) {
      if (ui.mounted) ui.remove();
      ui.mount();
    }
    ui.shadowHost.dataset.record = recordKey(record);
    store.getState().open(record, url);
  };

  void pruneDrafts().catch(() => undefined);
  follow(location.href);
  ctx.addEventListener(window, 'wxt:locationchange', ({ newUrl }) => follow(newUrl.href));
  // A token or backend URL saved in the options page takes effect at once (EXT-OFF-1).
  const unwatch = backendSettings.watch(() => void store.getState().refresh());
  ctx.onInvalidated(unwatch);
}
