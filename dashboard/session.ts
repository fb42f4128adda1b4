/**
 * The signed-in admin credential (the backend's ADMIN_TOKEN), kept in
 * sessionStorage: it lasts as long as the tab and is never written to disk
 * by the page. A 401 from any call signs out with the reason.
 */
import { create } from 'zustand';

const KEY = 'aircall-bridge-admin-token';

interface SessionState {
  token: string | null;
  /** Why the last session ended (a refused token), shown on the sign-in screen. */
  reason: string | null;
}

export const useSession = create<SessionState>(() => ({
  token: sessionStorage.getItem(KEY),
  reason: null,
}));

export const session = {
  get: (): string | null => useSession.getState().token,
  signIn(token: string): void {
    sessionStorage.setItem(KEY, token);
    useSession.setState({ token, reason: null });
  },
  signOut(): void {
    sessionStorage.removeItem(KEY);
    useSession.setState({ token: null, reason: null });
  },
  expire(reason: string): void {
    sessionStorage.removeItem(KEY);
    useSession.setState({ token: null, reason });
  },
};
