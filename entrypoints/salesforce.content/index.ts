/** Mounts the agent's panel on Salesforce Lightning record pages (EXT-DET-1); detection lives in lib/crm/salesforce/urls.ts. */
import '../../components/panel.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPanel } from '../../components/mount.tsx';
import { salesforceDetector } from '../../lib/crm/salesforce/urls.ts';

export default defineContentScript({
  matches: [...salesforceDetector.matches],
  // The CSS goes into the panel's shadow root, not the page (EXT-UI-1).
  cssInjectionMode: 'ui',
  main: (ctx) => mountPanel(ctx, salesforceDetector),
});
