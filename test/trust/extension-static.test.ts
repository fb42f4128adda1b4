/**
 * Issue 8 "Bad input and trust", the extension as built and as written:
 * the manifest of the Chrome build (.output/chrome-mv3, `npx wxt build`)
 * asks for the storage permission and hosts that are the CRMs' pages and the
 * backend only (EXT-AUTH-1), and the lint rule that keeps data from being
 * parsed as HTML catches every way of doing it, in every folder it guards.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { DETECTORS } from '../../lib/crm/detectors.ts';
import { PANEL_MODULE } from '../../lib/extension/panel-loader.ts';
import { EXTENSION_DIR } from '../../sandbox/browser.ts';

const ROOT = join(import.meta.dirname, '..', '..');

interface Manifest {
  permissions?: string[];
  optional_permissions?: string[];
  host_permissions?: string[];
  optional_host_permissions?: string[];
  content_scripts?: { matches: string[]; js?: string[]; all_frames?: boolean; world?: string }[];
  web_accessible_resources?: {
    resources: string[];
    matches?: string[];
    extension_ids?: string[];
    use_dynamic_url?: boolean;
  }[];
  externally_connectable?: unknown;
  content_security_policy?: { extension_pages?: string; sandbox?: string };
}

function manifest(): Manifest {
  const file = join(EXTENSION_DIR, 'manifest.json');
  if (!existsSync(file))
    throw new Error(`No extension build in ${EXTENSION_DIR}: run \`npx wxt build\` first.`);
  return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
}

/** The CRMs' record pages, from the detectors the content scripts are built from (lib/crm/<crm>/urls.ts). */
const CRM_MATCHES = DETECTORS.flatMap((d) => d.matches);
/** The backend on loopback (the sandbox, the demo, a backend on the agent's machine). */
const LOOPBACK = ['http://127.0.0.1/*', 'http://localhost/*'];
/** Permissions that would reach beyond the CRM pages and the backend. */
const FORBIDDEN = [
  '<all_urls>',
  'tabs',
  'cookies',
  'webRequest',
  'webRequestBlocking',
  'declarativeNetRequest',
  'declarativeNetRequestWithHostAccess',
  'scripting',
  'history',
  'debugger',
  'management',
  'nativeMessaging',
  'clipboardRead',
  'downloads',
  'webNavigation',
];

describe('the extension manifest (Chrome MV3 build)', () => {
  it('EXT-AUTH-1: permissions are storage only; no <all_urls>, tabs, cookies, webRequest or other broad API', () => {
    const m = manifest();
    expect(m.permissions).toEqual(['storage']);
    expect(m.optional_permissions ?? []).toEqual([]);
    const text = JSON.stringify(m);
    for (const p of FORBIDDEN) expect(text, p).not.toContain(`"${p}"`);
    expect(text).not.toContain('<all_urls>');
  });

  it('EXT-AUTH-1: host access is the CRM pages (content scripts) and the backend (loopback) only', () => {
    const m = manifest();
    expect(m.host_permissions?.sort()).toEqual([...LOOPBACK].sort());
    const matched = (m.content_scripts ?? []).flatMap((c) => c.matches);
    expect(matched.sort()).toEqual([...CRM_MATCHES].sort());
    for (const c of m.content_scripts ?? []) {
      // In the extension's isolated world, top frame only: the page's scripts never share its globals.
      expect(c.world ?? 'ISOLATED').toBe('ISOLATED');
      expect(c.all_frames ?? false).toBe(false);
    }
    // Web pages may load one file of the extension: the panel's module, which the content scripts
    // import on a record page (lib/extension/panel-loader.ts, issue 8); only the CRM pages and no
    // other extension, so no other site can probe for it (its fixed URL: wxt.config.ts says why).
    expect(m.web_accessible_resources).toEqual([
      { resources: [PANEL_MODULE.replace(/^\//, '')], matches: expect.any(Array), use_dynamic_url: false },
    ]);
    for (const r of m.web_accessible_resources ?? [])
      expect([...(r.matches ?? [])].sort()).toEqual([...CRM_MATCHES].sort());
    // Every CRM host is https and named (no wildcard host beyond a CRM's own subdomains).
    for (const match of CRM_MATCHES)
      expect(match).toMatch(/^https:\/\/(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)+\/\*$/);
  });

  it('EXT-AUTH-1: a backend off loopback is the one origin named at build time, never any https origin', () => {
    // wxt.config.ts: BACKEND_ORIGIN adds that one origin to host_permissions; nothing optional,
    // so the extension can never be granted another host (components/Options.tsx refuses it).
    expect(manifest().optional_host_permissions ?? []).toEqual([]);
    const options = readFileSync(join(ROOT, 'components', 'Options.tsx'), 'utf8');
    expect(options).toMatch(/permissions\.contains\(\{ origins: \[`\$\{origin\}\/\*`\] \}\)/);
    expect(options).not.toMatch(/permissions\.request/);
  });

  it('no web page or other extension can message the background, and no remote or eval code runs in its pages', () => {
    const m = manifest();
    expect(m.externally_connectable).toBeUndefined();
    const csp = m.content_security_policy?.extension_pages ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toMatch(/unsafe-eval|unsafe-inline|https?:|wasm-unsafe-eval/);
    expect(csp).toContain("object-src 'none'");
  });
});

describe('the no-HTML-injection lint rule (eslint.config.js)', () => {
  const eslint = new ESLint({ cwd: ROOT });
  const RULES = new Set(['no-restricted-syntax', 'no-restricted-properties']);

  /** Ways to put data into the DOM as HTML, each of which must be reported. */
  const UNSAFE: Record<string, string> = {
    dangerouslySetInnerHTML:
      'export const A = ({ t }: { t: string }) => <p dangerouslySetInnerHTML={{ __html: t }} />;',
    'innerHTML (write)': 'export function f(el: HTMLElement, t: string) { el.innerHTML = t; }',
    'innerHTML (computed)': "export function f(el: HTMLElement, t: string) { el['innerHTML'] = t; }",
    outerHTML: 'export function f(el: HTMLElement, t: string) { el.outerHTML = t; }',
    insertAdjacentHTML:
      "export function f(el: HTMLElement, t: string) { el.insertAdjacentHTML('beforeend', t); }",
    'document.write': 'export function f(t: string) { document.write(t); }',
    'document.writeln': 'export function f(t: string) { document.writeln(t); }',
    createContextualFragment:
      'export function f(t: string) { return document.createRange().createContextualFragment(t); }',
    'iframe srcdoc': 'export function f(el: HTMLIFrameElement, t: string) { el.srcdoc = t; }',
  };
  const FOLDERS = [
    'entrypoints/x.content/probe.tsx',
    'components/Probe.tsx',
    'dashboard/probe.tsx',
    'lib/extension/probe.tsx',
  ];

  async function flagged(code: string, filePath: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: join(ROOT, filePath) });
    return (result?.messages ?? []).filter((m) => m.ruleId && RULES.has(m.ruleId)).map((m) => m.message);
  }

  it('reports every way of parsing data as HTML, in each folder it guards, with a message that says what to do', async () => {
    for (const file of FOLDERS) {
      for (const [name, code] of Object.entries(UNSAFE)) {
        const messages = await flagged(code, file);
        expect(messages, `${name} in ${file}`).toHaveLength(1);
        expect(messages[0], `${name} in ${file}`).toMatch(/text|React/);
      }
    }
  });

  it('lets text through: JSX children and textContent are not reported', async () => {
    const safe = [
      'export const A = ({ t }: { t: string }) => <p title={t}>{t}</p>;',
      'export function f(el: HTMLElement, t: string) { el.textContent = t; }',
    ];
    for (const file of FOLDERS) for (const code of safe) expect(await flagged(code, file), code).toEqual([]);
  });

  it('the guarded folders hold no such code today', async () => {
    const results = await eslint.lintFiles(['entrypoints', 'components', 'dashboard', 'lib/extension']);
    const hits = results.flatMap((r) =>
      r.messages
        .filter((m) => m.ruleId && RULES.has(m.ruleId))
        .map((m) => `${r.filePath}:${m.line} ${m.message}`),
    );
    expect(hits).toEqual([]);
  }, 60_000);
});
