/**
 * Notes being typed, kept per record in `storage.local` (EXT-OFF-1: "a note
 * being written is kept until sent"): a page reload, a crashed tab or a
 * closed browser does not lose them; sending the note removes it.
 *
 * Why local and not session: `storage.session` is closed to content scripts
 * unless the background opens it (setAccessLevel) before they read, which a
 * stopped worker cannot promise; and a browser crash would lose it. Drafts
 * not touched for a week are dropped, so notes of records never reopened do
 * not stay on disk for ever.
 */
import { storage } from 'wxt/utils/storage';

const PREFIX = 'draft:';
const KEEP_MS = 7 * 86_400_000;

type Saved = Record<string, { text: string; at: number }>;

const keyOf = (recordKey: string): `local:${string}` => `local:${PREFIX}${recordKey}`;

/** The drafts of one record, by call id. */
export async function loadDrafts(recordKey: string, now = Date.now()): Promise<Record<string, string>> {
  const saved = (await storage.getItem<Saved>(keyOf(recordKey))) ?? {};
  return Object.fromEntries(
    Object.entries(saved).flatMap(([callId, d]) => (now - d.at < KEEP_MS ? [[callId, d.text]] : [])),
  );
}

let queue: Promise<unknown> = Promise.resolve();

/** Keep (or, with null or blank text, forget) one draft; writes of this page go in order. */
export function saveDraft(recordKey: string, callId: string, text: string | null, now = Date.now()): void {
  queue = queue
    .then(async () => {
      const saved = { ...((await storage.getItem<Saved>(keyOf(recordKey))) ?? {}) };
      if (text && text.trim() !== '') saved[callId] = { text, at: now };
      else delete saved[callId];
      if (Object.keys(saved).length === 0) await storage.removeItem(keyOf(recordKey));
      else await storage.setItem(keyOf(recordKey), saved);
    })
    .catch(() => undefined); // an orphaned content script (extension reloaded) cannot write; the page still holds it
}

/** Forget drafts older than a week, on every record. */
export async function pruneDrafts(now = Date.now()): Promise<void> {
  const all = await storage.snapshot('local');
  const stale: `local:${string}`[] = [];
  for (const [key, value] of Object.entries(all)) {
    if (!key.startsWith(PREFIX)) continue;
    const saved = value as Saved;
    if (Object.values(saved).every((d) => now - d.at >= KEEP_MS)) stale.push(`local:${key}`);
  }
  if (stale.length) await storage.removeItems(stale);
}
