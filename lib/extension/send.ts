/**
 * The senders' side of the protocol (lib/extension/messages.ts): validate the
 * request, send it to the background, validate the answer. Used by content
 * scripts and the options page; they never call the network themselves.
 */
import { browser } from 'wxt/browser';
import { answerSchema, MESSAGES, type MessageName, type Req, type Res, type Result } from './messages.ts';

/** Send one message; never throws (every problem is a Failure the panel can show). */
export async function send<N extends MessageName>(type: N, payload: Req<N>): Promise<Result<Res<N>>> {
  const def = MESSAGES[type];
  const req = def.request.safeParse(payload);
  if (!req.success) {
    return {
      ok: false,
      failure: { kind: 'api', message: req.error.issues.map((i) => i.message).join('; ') },
    };
  }
  let raw: unknown;
  try {
    raw = await browser.runtime.sendMessage({ type, payload: req.data });
  } catch (err) {
    // The extension was reloaded or updated under this page: its content script is orphaned.
    return {
      ok: false,
      failure: {
        kind: 'extension',
        message: `The extension cannot be reached (${(err as Error).message}).`,
        fix: 'Reload the page.',
      },
    };
  }
  const answer = answerSchema.safeParse(raw);
  if (!answer.success) {
    return {
      ok: false,
      failure: { kind: 'extension', message: 'The extension answered in an unknown shape.' },
    };
  }
  if (!answer.data.ok) return answer.data;
  const data = def.response.safeParse(answer.data.data);
  if (!data.success) {
    return { ok: false, failure: { kind: 'api', message: 'The backend answered in an unknown shape.' } };
  }
  return { ok: true, data: data.data as Res<N> };
}
