/**
 * The senders' side of the protocol (lib/extension/messages.ts): validate the
 * request, send it to the background, validate the answer. Used by content
 * scripts and the options page; they never call the network themselves.
 */
import { browser } from 'wxt/browser';
import {
  answerSchema,
  MESSAGES,
  type MessageName,
  READ_ONLY,
  type Req,
  type Res,
  type Result,
} from './messages.ts';

/**
 * Chrome's words when the service worker was stopped while a message waited
 * for its answer ("...the message channel closed before a response was
 * received", "The message port closed before a response was received.").
 */
const CHANNEL_CLOSED = /closed before a response was received/i;

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
    const message = (err as Error).message;
    if (CHANNEL_CLOSED.test(message)) {
      // MV3: the browser stopped the worker mid-request. A read is asked again (the next
      // message starts the worker); an action is not: the backend may have done it.
      if (READ_ONLY.has(type)) {
        try {
          raw = await browser.runtime.sendMessage({ type, payload: req.data });
          return parseAnswer(type, raw);
        } catch {
          // fall through: said as interrupted
        }
      }
      return {
        ok: false,
        failure: {
          kind: 'interrupted',
          message:
            'The browser stopped the extension before the backend answered: it may or may not be done.',
          fix: 'The list shows it in a moment if it was done; otherwise try again.',
        },
      };
    }
    // The extension was reloaded or updated under this page: its content script is orphaned.
    return {
      ok: false,
      failure: {
        kind: 'extension',
        message: `The extension cannot be reached (${message}).`,
        fix: 'Reload the page.',
      },
    };
  }
  return parseAnswer(type, raw);
}

function parseAnswer<N extends MessageName>(type: N, raw: unknown): Result<Res<N>> {
  const def = MESSAGES[type];
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
