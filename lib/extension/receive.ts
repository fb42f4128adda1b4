/**
 * The background's door (STYLE.md 5): checks who sent a message, validates it
 * against the protocol, runs its handler, and answers with a Result. Nothing
 * is kept between messages (MV3 stops idle workers, EXT-OFF-1).
 */
import { MatchPattern } from 'wxt/utils/match-patterns';
import { DETECTORS } from '../crm/detectors.ts';
import { HANDLERS } from './handlers.ts';
import { type Answer, envelopeSchema, MESSAGES, type MessageName } from './messages.ts';
import type { BackendSettings } from './settings.ts';

const CRM_PAGES = DETECTORS.flatMap((d) => d.matches.map((m) => new MatchPattern(m)));
/** Messages only the extension's own pages (options) may send. */
const EXTENSION_PAGES_ONLY: ReadonlySet<MessageName> = new Set(['checkBackend']);

export interface Sender {
  id?: string | undefined;
  url?: string | undefined;
}

/** Whether this sender may send this message: our extension, from its own pages or a CRM page. */
export function trusted(sender: Sender, type: MessageName, self: { id: string; origin: string }): boolean {
  if (sender.id !== self.id || !sender.url) return false;
  if (sender.url.startsWith(self.origin)) return true;
  if (EXTENSION_PAGES_ONLY.has(type)) return false;
  return CRM_PAGES.some((p) => p.includes(sender.url as string));
}

/** Answer one raw message. */
export async function receive(
  raw: unknown,
  sender: Sender,
  self: { id: string; origin: string },
  settings: () => Promise<BackendSettings | null>,
): Promise<Answer> {
  const env = envelopeSchema.safeParse(raw);
  if (!env.success) {
    return { ok: false, failure: { kind: 'extension', message: 'Unknown message.' } };
  }
  const { type } = env.data;
  if (!trusted(sender, type, self)) {
    return {
      ok: false,
      failure: { kind: 'extension', message: `"${type}" is not accepted from this page.` },
    };
  }
  const req = MESSAGES[type].request.safeParse(env.data.payload);
  if (!req.success) {
    return {
      ok: false,
      failure: {
        kind: 'api',
        message: `Invalid "${type}" message: ${req.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
      },
    };
  }
  const handler = HANDLERS[type] as (s: BackendSettings | null, r: unknown) => Promise<Answer>;
  return handler(await settings(), req.data);
}
