/**
 * The extension's only network client (EXT-AUTH-1, STYLE.md 5): answers the
 * content scripts and the options page through the typed protocol. It keeps
 * nothing in memory that matters, so Chrome may stop it at any moment.
 */
import { type Browser, browser } from 'wxt/browser';
import { defineBackground } from 'wxt/utils/define-background';
import { receive } from '../lib/extension/receive.ts';
import { backendSettings } from '../lib/extension/settings.ts';

export default defineBackground({
  type: 'module',
  main() {
    const self = { id: browser.runtime.id, origin: browser.runtime.getURL('/') };
    // A token saved by an older version is in storage.local, which content scripts can read: move it now.
    void backendSettings.getValue().catch(() => undefined);
    browser.runtime.onMessage.addListener(
      (raw: unknown, sender: Browser.runtime.MessageSender, sendResponse: (answer: unknown) => void) => {
        void receive(raw, sender, self, () => backendSettings.getValue()).then(sendResponse, (err: Error) =>
          sendResponse({ ok: false, failure: { kind: 'extension', message: err.message } }),
        );
        return true; // the answer comes asynchronously
      },
    );
  },
});
