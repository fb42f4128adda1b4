/**
 * What the extension keeps (never in memory only: the background may be
 * stopped at any moment, MV3): the backend URL and the agent's token
 * (EXT-AUTH-1), and whether the panel is collapsed on each site (EXT-UI-1).
 *
 * The token is not in `storage.local`: content scripts can read that area
 * (they keep drafts and the panel's state there, and Chrome's access level is
 * per area), and issue 8 asks that no content script can read the token. It
 * is in the extension origin's IndexedDB, which only the background and the
 * extension's pages can open (a content script runs in the CRM page's
 * origin). `storage.local` keeps the URL and when it was saved, so the panel
 * can follow a change (`watch`).
 */
import { storage } from 'wxt/utils/storage';

export interface BackendSettings {
  /** The backend's base URL, without a trailing slash. */
  backendUrl: string;
  /** The agent's bearer token, issued by an admin. */
  token: string;
}

/** What `storage.local` holds of the settings; `token` only in a value saved before the token moved out. */
interface Saved {
  backendUrl: string;
  savedAt?: number;
  token?: string;
}

const SAVED = 'local:backend';
const DB = 'aircall-bridge';
const TOKENS = 'tokens';

/** One request on the token store (IndexedDB of the extension's origin). */
function tokens<T>(mode: IDBTransactionMode, op: (store: IDBObjectStore) => IDBRequest<T>): Promise<T> {
  if (!/^(chrome|moz)-extension:$/.test(globalThis.location?.protocol ?? '')) {
    return Promise.reject(new Error('The agent token is read by the background and the options page only.'));
  }
  return new Promise((resolve, reject) => {
    const open = indexedDB.open(DB, 1);
    open.onupgradeneeded = () => open.result.createObjectStore(TOKENS);
    open.onerror = () => reject(open.error);
    open.onsuccess = () => {
      const db = open.result;
      const req = op(db.transaction(TOKENS, mode).objectStore(TOKENS));
      req.onsuccess = () => {
        db.close();
        resolve(req.result);
      };
      req.onerror = () => {
        db.close();
        reject(req.error);
      };
    };
  });
}

export const backendSettings = {
  async getValue(): Promise<BackendSettings | null> {
    const saved = await storage.getItem<Saved>(SAVED);
    if (!saved) return null;
    if (saved.token !== undefined) {
      // Saved before the token moved out of storage.local (or preset by hand): move it now.
      await this.setValue({ backendUrl: saved.backendUrl, token: saved.token });
      return { backendUrl: saved.backendUrl, token: saved.token };
    }
    const token = await tokens<unknown>('readonly', (t) => t.get('agent'));
    return typeof token === 'string' ? { backendUrl: saved.backendUrl, token } : null;
  },
  /** The token first, then the URL: a panel told of the change reads the new token. */
  async setValue(value: BackendSettings): Promise<void> {
    await tokens('readwrite', (t) => t.put(value.token, 'agent'));
    await storage.setItem<Saved>(SAVED, { backendUrl: value.backendUrl, savedAt: Date.now() });
  },
  /** Called when the settings are saved (content scripts may watch; they never read the token). */
  watch(cb: () => void): () => void {
    return storage.watch<Saved>(SAVED, () => cb());
  },
};

/** The storage key of the panel's collapsed state on one site (host). */
export function collapsedKey(host: string): `local:${string}` {
  return `local:collapsed:${host}`;
}

/** A backend URL as typed by a person, normalized (no trailing slash). */
export function normalizeBackendUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
