/** Mounts the agent's panel on HubSpot record pages (EXT-DET-1); detection lives in lib/crm/hubspot/urls.ts. */
import '../../components/panel.css';
import { defineContentScript } from 'wxt/utils/define-content-script';
import { mountPanel } from '../../components/mount.tsx';
import { hubspotDetector } from '../../lib/crm/hubspot/urls.ts';

export default defineContentScript({
  matches: [...hubspotDetector.matches],
  // The CSS goes into the panel's shadow root, not the page (EXT-UI-1).
  cssInjectionMode: 'ui',
  main: (ctx) => mountPanel(ctx, hubspotDetector),
});
