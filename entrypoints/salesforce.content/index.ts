/** Mounts the agent's panel on Salesforce Lightning record pages (EXT-DET-1); detection lives in lib/crm/salesforce/urls.ts. */
import { defineContentScript } from 'wxt/utils/define-content-script';
import { salesforceDetector } from '../../lib/crm/salesforce/urls.ts';
import { loadPanel } from '../../lib/extension/panel-loader.ts';

export default defineContentScript({
  matches: [...salesforceDetector.matches],
  // No CSS of its own: the panel's module puts its styles into the panel's shadow root (EXT-UI-1).
  cssInjectionMode: 'manual',
  // The panel's code loads only on a record page (issue 8: content script <= 50 KB gzip).
  main: (ctx) => loadPanel(ctx, salesforceDetector),
});
