/**
 * Issue 8 "every message handler validates with zod and checks the sender;
 * spoofed and malformed messages are rejected", at the background's door
 * (lib/extension/receive.ts) with generated senders and payloads: a message
 * from another extension, a page that is not a CRM record page, a lookalike
 * host, or a CRM page asking for what only the extension's own pages may ask
 * (checkBackend), and payloads that are not the protocol's, are all refused
 * before any handler runs: settings are not read and nothing is fetched. No
 * answer of the protocol can carry the agent token (EXT-AUTH-1).
 * The browser half (Chromium, real senders) is extension-browser.test.ts.
 */
import fc from 'fast-check';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { z } from 'zod';
import { DETECTORS } from '../../lib/crm/detectors.ts';
import type { Answer, MessageName } from '../../lib/extension/messages.ts';
import type { BackendSettings } from '../../lib/extension/settings.ts';

// WXT's storage (imported by the settings module) needs an extension `browser` to load: WXT's fake.
(globalThis as unknown as { chrome: unknown }).chrome = fakeBrowser;
const { receive, trusted } = await import('../../lib/extension/receive.ts');
const { HANDLERS } = await import('../../lib/extension/handlers.ts');
const { MESSAGES } = await import('../../lib/extension/messages.ts');

const SELF = {
  id: 'abcdefghijklmnopabcdefghijklmnop',
  origin: 'chrome-extension://abcdefghijklmnopabcdefghijklmnop/',
};
const SETTINGS: BackendSettings = {
  backendUrl: 'http://127.0.0.1:9',
  token: 'agt_secret-token-never-answered-0001',
};
const TYPES = Object.keys(MESSAGES) as MessageName[];

/** A CRM record page of each CRM, from the detectors' own examples. */
const CRM_PAGES = [
  'https://app.hubspot.com/contacts/5001/record/0-1/501',
  'https://app-eu1.hubspot.com/contacts/5001/record/0-2/77',
  'https://acme.lightning.force.com/lightning/r/Contact/003000000000001AAA/view',
  'https://app.jobadder.com/contacts/42',
];

/** One valid payload per message, so that only the sender or the payload is at fault. */
const VALID: Record<MessageName, unknown> = {
  checkBackend: { backendUrl: 'http://127.0.0.1:9', token: 'agt_x' },
  me: {},
  recordActivity: { crm: 'hubspot', objectType: 'contacts', recordId: '501' },
  getCall: { callId: 1 },
  inbox: {},
  linkCall: { callId: 1, record: { crm: 'hubspot', objectType: 'contacts', recordId: '501' } },
  addNote: { callId: 1, content: 'note' },
  listTags: {},
  addTag: { callId: 1, tagId: 31 },
  removeTag: { callId: 1, tagId: 31 },
  listOutcomes: {},
  setOutcome: { callId: 1, outcomeId: 'x' },
  phoneFix: { record: { crm: 'hubspot', objectType: 'contacts', recordId: '501' }, apply: true },
};

describe('the background refuses spoofed and malformed messages before any handler runs', () => {
  const fetches = vi.fn<typeof fetch>();
  const settingsRead = vi.fn(async () => SETTINGS);
  beforeAll(() => {
    vi.stubGlobal('fetch', fetches);
  });
  afterEach(() => {
    fetches.mockReset();
    settingsRead.mockClear();
  });

  const ask = (raw: unknown, sender: { id?: string; url?: string }) =>
    receive(raw, sender, SELF, settingsRead);
  function expectRefused(answer: Answer, kind: 'extension' | 'api') {
    expect(answer.ok).toBe(false);
    if (answer.ok) return;
    expect(answer.failure.kind).toBe(kind);
    expect(settingsRead).not.toHaveBeenCalled();
    expect(fetches).not.toHaveBeenCalled();
  }

  it('every message of the protocol has a zod request schema, a response schema and a handler, and a valid one is valid', () => {
    expect(Object.keys(HANDLERS).sort()).toEqual([...TYPES].sort());
    expect(Object.keys(VALID).sort()).toEqual([...TYPES].sort());
    for (const t of TYPES) {
      expect(MESSAGES[t].request, t).toBeInstanceOf(z.ZodType);
      expect(MESSAGES[t].response, t).toBeInstanceOf(z.ZodType);
      expect(MESSAGES[t].request.safeParse(VALID[t]).success, t).toBe(true);
    }
  });

  it('EXT-AUTH-1: a valid message from a CRM record page reaches its handler (the control)', async () => {
    fetches.mockResolvedValue(
      new Response(JSON.stringify({ companyId: 'c', aircallUserId: 1, crms: [], timeZone: null }), {
        status: 200,
      }),
    );
    const answer = await ask({ type: 'me', payload: {} }, { id: SELF.id, url: CRM_PAGES[0] });
    expect(answer).toEqual({
      ok: true,
      data: { companyId: 'c', aircallUserId: 1, crms: [], timeZone: null },
    });
    expect(fetches).toHaveBeenCalledTimes(1);
    const [url, init] = fetches.mock.calls[0] as [string, RequestInit];
    expect(url).toBe(`${SETTINGS.backendUrl}/v1/me`);
    expect((init.headers as Record<string, string>).authorization).toBe(`Bearer ${SETTINGS.token}`);
  });

  it('spoofed senders (generated): another extension, no URL, pages that are not CRM record pages, lookalike hosts', async () => {
    const otherExtension = fc
      .tuple(fc.stringMatching(/^[a-p]{32}$/), fc.constantFrom(...CRM_PAGES))
      .filter(([id]) => id !== SELF.id)
      .map(([id, url]) => ({ id, url }));
    const noUrl = fc.constant({ id: SELF.id });
    const lookalikes = fc.constantFrom(
      'https://app.hubspot.com.evil.example/contacts/5001/record/0-1/501',
      'https://evil.example/https://app.hubspot.com/contacts/5001/record/0-1/501',
      'http://app.hubspot.com/contacts/5001/record/0-1/501',
      'https://apphubspot.com/contacts/5001/record/0-1/501',
      'https://lightning.force.com.evil.example/lightning/r/Contact/003000000000001AAA/view',
      'https://evil-lightning.force.co/lightning/r/Contact/003000000000001AAA/view',
      'https://app.jobadder.co/contacts/42',
      `chrome-extension://${SELF.id.slice(0, -1)}q/options.html`,
      'file:///etc/passwd',
      'data:text/html,<script>chrome.runtime.sendMessage()</script>',
    );
    const randomPages = fc
      .webUrl()
      .filter((u) => !DETECTORS.some((d) => d.matches.some((m) => matches(m, u))));
    const senders = fc.oneof(
      otherExtension,
      noUrl,
      lookalikes.map((url) => ({ id: SELF.id, url })),
      randomPages.map((url) => ({ id: SELF.id, url })),
    );
    const cases = fc.sample(fc.tuple(senders, fc.constantFrom(...TYPES)), { numRuns: 2_000, seed: 8484 });
    for (const [sender, type] of cases) {
      expect(trusted(sender, type, SELF), JSON.stringify(sender)).toBe(false);
      expectRefused(await ask({ type, payload: VALID[type] }, sender), 'extension');
    }
  });

  it('EXT-AUTH-1: a CRM page (a content script) cannot ask checkBackend, which would send a token to a URL it names', async () => {
    for (const url of CRM_PAGES) {
      const answer = await ask(
        { type: 'checkBackend', payload: { backendUrl: 'https://collector.evil.example', token: 'x' } },
        { id: SELF.id, url },
      );
      expectRefused(answer, 'extension');
    }
    // The extension's own options page may.
    fetches.mockResolvedValue(new Response('{}', { status: 401 }));
    const own = await ask(
      { type: 'checkBackend', payload: VALID.checkBackend },
      { id: SELF.id, url: `${SELF.origin}options.html` },
    );
    expect(own.ok).toBe(false);
    expect(fetches).toHaveBeenCalledTimes(1);
  });

  it('malformed envelopes and payloads (generated) are refused by zod, naming the message', async () => {
    const sender = { id: SELF.id, url: CRM_PAGES[0] };
    const envelopes = fc.sample(
      fc.anything().filter((v) => !isEnvelope(v)),
      { numRuns: 500, seed: 8485 },
    );
    for (const raw of envelopes) expectRefused(await ask(raw, sender), 'extension');
    for (const type of ['getSettings', 'readStorage', 'token', '__proto__', 'constructor']) {
      expectRefused(await ask({ type, payload: {} }, sender), 'extension');
    }
    const payloads = fc.sample(
      fc
        .tuple(fc.constantFrom(...TYPES), fc.anything({ withObjectString: true, withNullPrototype: true }))
        .filter(([t, p]) => !MESSAGES[t].request.safeParse(p).success),
      { numRuns: 1_500, seed: 8486 },
    );
    for (const [type, payload] of payloads) {
      const from = type === 'checkBackend' ? { id: SELF.id, url: `${SELF.origin}options.html` } : sender;
      const answer = await ask({ type, payload }, from);
      expectRefused(answer, 'api');
      if (!answer.ok) expect(answer.failure.message).toContain(`Invalid "${type}" message`);
    }
  });

  it('targeted bad payloads: wrong types, extra fields on empty messages, path tricks, oversize notes', async () => {
    const sender = { id: SELF.id, url: CRM_PAGES[0] };
    const bad: [MessageName, unknown][] = [
      ['getCall', { callId: '1' }],
      ['getCall', { callId: -1 }],
      ['getCall', { callId: 1.5 }],
      ['getCall', { callId: Number.MAX_SAFE_INTEGER + 2 }],
      ['me', { token: SETTINGS.token }],
      ['inbox', { backendUrl: 'https://evil.example' }],
      ['recordActivity', { crm: 'pipedrive', objectType: 'contacts', recordId: '1' }],
      ['recordActivity', { crm: 'hubspot', objectType: '', recordId: '1' }],
      ['addNote', { callId: 1, content: '   ' }],
      ['addNote', { callId: 1, content: 'x'.repeat(5001) }],
      ['addTag', { callId: 1, tagId: 'VIP' }],
      ['checkBackend', { backendUrl: 'javascript:alert(1)', token: 'x' }],
      ['checkBackend', { backendUrl: 'file:///etc/passwd', token: 'x' }],
      ['phoneFix', { record: { crm: 'hubspot', objectType: 'contacts', recordId: '1' } }],
    ];
    for (const [type, payload] of bad) {
      const sent = type === 'checkBackend' ? { id: SELF.id, url: `${SELF.origin}options.html` } : sender;
      expectRefused(await ask({ type, payload }, sent), 'api');
    }
    // A record cannot climb out of its path: "." and ".." are refused, and a "/" stays inside its
    // one encoded segment of the agent API's URL.
    for (const record of [
      { crm: 'hubspot', objectType: '..', recordId: '1' },
      { crm: 'hubspot', objectType: 'contacts', recordId: '.' },
    ]) {
      expectRefused(await ask({ type: 'recordActivity', payload: record }, sender), 'api');
      expectRefused(await ask({ type: 'phoneFix', payload: { record, apply: true } }, sender), 'api');
    }
    fetches.mockResolvedValue(new Response(JSON.stringify({ activity: [] }), { status: 200 }));
    await ask(
      {
        type: 'recordActivity',
        payload: { crm: 'hubspot', objectType: 'contacts', recordId: '../../admin' },
      },
      sender,
    );
    const [url] = fetches.mock.calls[0] as [string];
    expect(new URL(url).pathname).toBe('/v1/records/hubspot/contacts/..%2F..%2Fadmin/activity');
  });

  it('EXT-AUTH-1: no answer of the protocol can carry the agent token, whatever the backend sends', async () => {
    // Statically: no response schema has a field that could hold a credential.
    for (const t of TYPES) {
      const schema = JSON.stringify(z.toJSONSchema(MESSAGES[t].response, { unrepresentable: 'any' }));
      expect(schema, t).not.toMatch(
        /"(token|secret|password|credentials?|apiToken|accessToken|refreshToken)"/i,
      );
    }
    // Dynamically: a backend echoing the token next to the reply has it stripped by the reply's schema.
    fetches.mockResolvedValue(
      new Response(
        JSON.stringify({ companyId: 'c', aircallUserId: 1, crms: [], timeZone: null, token: SETTINGS.token }),
        { status: 200 },
      ),
    );
    const answer = await ask({ type: 'me', payload: {} }, { id: SELF.id, url: CRM_PAGES[1] });
    expect(answer.ok).toBe(true);
    expect(JSON.stringify(answer)).not.toContain(SETTINGS.token);
  });
});

function isEnvelope(v: unknown): boolean {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { type?: unknown }).type === 'string' &&
    (TYPES as string[]).includes((v as { type: string }).type)
  );
}

/** Whether a URL is under a match pattern like `https://*.lightning.force.com/*` (enough for these hosts). */
function matches(pattern: string, url: string): boolean {
  const re = new RegExp(`^${pattern.replace(/[.]/g, '\\.').replace(/\*/g, '[^]*')}$`);
  return re.test(url);
}
