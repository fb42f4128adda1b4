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

/**
 * The backend origins the extension may call: loopback, plus BACKEND_ORIGIN
 * (`https://calls.example.com`) for a company's build. A bad value stops the
 * build rather than shipping an extension that cannot reach its backend.
 */
function backendHosts(origin: string | undefined): string[] {
  const loopback = ['http://127.0.0.1/*', 'http://localhost/*'];
  if (!origin) return loopback;
  const u = new URL(origin);
  if (u.protocol !== 'https:' || u.origin !== origin.replace(/\/$/, '')) {
    throw new Error(
      `BACKEND_ORIGIN must be an https origin such as https://calls.example.com, got "${origin}"`,
    );
  }
  return [...loopback, `${u.origin}/*`];
}

/**
 * The panel's module (entrypoints/panel.ts -> panel.js), imported by the content scripts on
 * a record page (lib/extension/panel-loader.ts; issue 8: content script <= 50 KB gzip).
 */
const PANEL_MODULE = 'panel';

export default defineConfig({
  modules: ['@wxt-dev/module-react'],
  hooks: {
    // WXT builds unlisted scripts as IIFE; the panel's is an ES module so that the content
    // scripts can `import()` it and call its export. One file (nothing else to make web
    // accessible), minified like the IIFE builds (Vite leaves an ES library's whitespace).
    'vite:build:extendConfig': ([entry, ...rest], config) => {
      if (rest.length > 0 || entry?.name !== PANEL_MODULE || !config.build?.lib) return;
      config.build.lib.formats = ['es'];
      const output = config.build.rollupOptions?.output;
      if (!output || Array.isArray(output))
        throw new Error('wxt.config.ts: unexpected output of the panel build');
      output.codeSplitting = false;
      output.minify = true;
    },
    // Only the CRM pages the content scripts run on may load the panel's module: no other site
    // can fetch it, so none can tell the extension is installed. Its URL is the extension's
    // fixed one, not a per-session `use_dynamic_url`: that one answers through a redirect that
    // also defeats Chrome's code cache, which cost the panel ~50 ms to mount (issue 8, bench/
    // extension.ts; p50 57 -> 109 ms measured with Chromium's trace), and it would hide nothing
    // from the CRM pages, which see the panel's host element in their DOM.
    'build:manifestGenerated': (_wxt, manifest) => {
      if (manifest.manifest_version !== 3) throw new Error('wxt.config.ts: Chrome and Edge builds are MV3');
      const matches = [
        ...new Set((manifest.content_scripts ?? []).flatMap((c: { matches?: string[] }) => c.matches ?? [])),
      ];
      manifest.web_accessible_resources ??= [];
      manifest.web_accessible_resources.push({
        resources: [`${PANEL_MODULE}.js`],
        matches,
        use_dynamic_url: false,
      });
    },
  },
  // Explicit imports everywhere (tsc checks the extension with the rest of the project).
  imports: false,
  outDir: '.output',
  manifest: {
    name: 'Aircall CRM bridge',
    description: 'Your Aircall calls and SMS beside the HubSpot, Salesforce or JobAdder record you are on.',
    permissions: ['storage'],
    // EXT-AUTH-1, least privilege (issue 8: host permissions only the CRM origins and the
    // backend): the content scripts' CRM hosts come from their `matches` (lib/crm/*/urls.ts);
    // the only host the extension fetches is the backend: loopback (the sandbox and the demo)
    // and the company's own backend, named when the extension is built (BACKEND_ORIGIN).
    host_permissions: backendHosts(process.env.BACKEND_ORIGIN),
    // No remote code: only the extension's own scripts run in its pages.
    content_security_policy: {
      extension_pages: "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'",
    },
  },
});
