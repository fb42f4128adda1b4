/**
 * The browser extension (SPEC section 7), built with WXT for Chrome and Edge
 * (Manifest V3): `npm run build` writes .output/chrome-mv3, .output/edge-mv3
 * and their zips.
 *
 * The `browser` API is WXT's own (`wxt/browser`, i.e. @wxt-dev/browser), not
 * webextension-polyfill: WXT 0.20+ ships it and uses it itself, Chrome and
 * Edge MV3 already return promises natively, and shipping both would put two
 * copies of the same API in every bundle (issue 6 asks for one).
 */
import { defineConfig } from 'wxt';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  // Explicit imports everywhere (tsc checks the extension with the rest of the project).
  imports: false,
  outDir: '.output',
  manifest: {
    name: 'Aircall CRM bridge',
    description: 'Your Aircall calls and SMS beside the HubSpot, Salesforce or JobAdder record you are on.',
    permissions: ['storage'],
    // EXT-AUTH-1, least privilege: the content scripts' CRM hosts come from their `matches`
    // (lib/crm/*/urls.ts); the only host the extension fetches is the configured backend.
    // Loopback is granted for the sandbox and the demo; any other backend origin is
    // requested on the options page when the agent saves it.
    host_permissions: ['http://127.0.0.1/*', 'http://localhost/*'],
    optional_host_permissions: ['https://*/*'],
    // No remote code: only the extension's own scripts run in its pages.
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    },
  },
});
