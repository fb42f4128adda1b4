/**
 * The admin dashboard (issue 7): sign in with the backend's admin token, pick
 * a company, then one screen per tab. The tab is in the URL's hash
 * (#/calls), so a screen can be linked to and reloaded.
 */
import { type FormEvent, type ReactNode, useEffect, useState } from 'react';
import { api, type ReplyOf } from './api.ts';
import { SCREENS, type ScreenId } from './screens/index.ts';
import { session, useSession } from './session.ts';
import { ErrorNote, useLoad } from './ui.tsx';

export type CompanyView = ReplyOf<'getCompany'>;

function SignIn(): ReactNode {
  const reason = useSession((s) => s.reason);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    session.signIn(token.trim());
    try {
      await api('listCompanies');
      setError(null);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }
  return (
    <main className="sign-in">
      <h1>Aircall CRM bridge</h1>
      <form onSubmit={submit} aria-label="Sign in">
        <label>
          Admin token
          <input
            name="token"
            type="password"
            autoComplete="current-password"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            required
          />
        </label>
        <p className="hint">The backend&apos;s ADMIN_TOKEN (npm start prints it).</p>
        <button type="submit" disabled={busy || token.trim() === ''}>
          Sign in
        </button>
      </form>
      <ErrorNote error={error ?? (reason ? new Error(reason) : null)} />
    </main>
  );
}

function screenFromHash(): ScreenId {
  const id = location.hash.replace(/^#\/?/, '').split('/')[0] as ScreenId;
  return id in SCREENS ? id : 'connections';
}

function useScreen(): ScreenId {
  const [screen, setScreen] = useState(screenFromHash);
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, []);
  return screen;
}

const COMPANY_KEY = 'aircall-bridge-company';

function Signed(): ReactNode {
  const screen = useScreen();
  const companies = useLoad(() => api('listCompanies'), []);
  const [companyId, setCompanyId] = useState<string | null>(() => localStorage.getItem(COMPANY_KEY));
  const list = companies.data?.companies ?? [];
  const company = list.find((c) => c.id === companyId) ?? list[0] ?? null;
  const Screen = SCREENS[screen].component;
  return (
    <div className="app">
      <header>
        <h1>Aircall CRM bridge</h1>
        <label className="company">
          Company
          <select
            name="company"
            value={company?.id ?? ''}
            onChange={(e) => {
              localStorage.setItem(COMPANY_KEY, e.target.value);
              setCompanyId(e.target.value);
            }}
          >
            {list.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name} ({c.id})
              </option>
            ))}
          </select>
        </label>
        <button type="button" className="link" onClick={() => session.signOut()}>
          Sign out
        </button>
      </header>
      <nav aria-label="Screens">
        {Object.entries(SCREENS).map(([id, s]) => (
          <a key={id} href={`#/${id}`} aria-current={id === screen ? 'page' : undefined}>
            {s.label}
          </a>
        ))}
      </nav>
      <main data-screen={screen}>
        <ErrorNote error={companies.error} />
        {company ? (
          <Screen key={company.id} company={company} />
        ) : companies.loading ? (
          <p>Loading…</p>
        ) : (
          <p>No company yet: create one with POST /admin/companies (see the README).</p>
        )}
      </main>
    </div>
  );
}

export function App(): ReactNode {
  const token = useSession((s) => s.token);
  return token ? <Signed /> : <SignIn />;
}
