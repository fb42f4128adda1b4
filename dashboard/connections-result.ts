/**
 * The result of a CRM's OAuth flow, as the backend's callback sends the
 * admin's browser back (server/http/oauth.ts): `?connected=<crm>&account&resumed`
 * or `?failed=<crm>&error&fix`, before `#/connections`. Read once, then
 * dropped from the address so a reload does not show it again.
 */
export type OAuthResult =
  | { ok: true; crm: string; account: string; resumed: number }
  | { ok: false; crm: string; error: string; fix: string };

export function takeOAuthResult(): OAuthResult | null {
  const q = new URLSearchParams(location.search);
  const connected = q.get('connected');
  const failed = q.get('failed');
  if (!connected && !failed) return null;
  history.replaceState(null, '', `${location.pathname}${location.hash}`);
  if (connected) {
    return {
      ok: true,
      crm: connected,
      account: q.get('account') ?? '',
      resumed: Number(q.get('resumed') ?? 0),
    };
  }
  return {
    ok: false,
    crm: failed ?? '',
    error: q.get('error') ?? 'The connection failed.',
    fix: q.get('fix') ?? '',
  };
}
