/**
 * What the extension keeps in `storage.local` (never in memory only: the
 * background may be stopped at any moment, MV3). The backend URL and the
 * agent's token (EXT-AUTH-1), and whether the panel is collapsed on each site
 * (EXT-UI-1).
 */
import { storage } from 'wxt/utils/storage';

export interface BackendSettings {
  /** The backend's base URL, without a trailing slash. */
  backendUrl: string;
  /** The agent's bearer token, issued by an admin. */
  token: string;
}

export const backendSettings = storage.defineItem<BackendSettings | null>('local:backend', {
  fallback: null,
});

/** The storage key of the panel's collapsed state on one site (host). */
export function collapsedKey(host: string): `local:${string}` {
  return `local:collapsed:${host}`;
}

/** A backend URL as typed by a person, normalized (no trailing slash). */
export function normalizeBackendUrl(url: string): string {
  return url.trim().replace(/\/+$/, '');
}
