import { useCallback, useEffect, useState } from 'react';
import { logout as endSession, onSessionEvent, token } from './api';
import { Layout } from './Layout';
import { ChangePassword } from './screens/ChangePassword';
import { Login } from './screens/Login';
import { loadMe, Me } from './session';
import { SiteLayout } from './SiteLayout';
import { siteSession, SiteSession } from './site-session';
import { Busy, ErrorNote } from './ui';
import { errorText } from './format';

/** Session: no token → login; a token that must change the password → that screen first. */
export function App() {
  const [me, setMe] = useState<Me | null>(null);
  // A site signed in with its codes (网站登录): its own layout, no account behind it.
  const [site, setSite] = useState<SiteSession | null>(siteSession.get);
  const [checking, setChecking] = useState(Boolean(token.get()) && !site);
  const [error, setError] = useState<string | null>(null);
  const [ended, setEnded] = useState<string | null>(null);
  // After a password change the login form keeps the account: only the new password is typed.
  const [lastUsername, setLastUsername] = useState('');
  const [lastSiteCode, setLastSiteCode] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    if (!token.get()) return setMe(null);
    if (siteSession.get()) return;
    setChecking(true);
    try {
      setMe(await loadMe());
      setError(null);
    } catch (caught) {
      setError(token.get() ? errorText(caught) : null);
    } finally {
      setChecking(false);
    }
  }, []);

  useEffect(() => {
    onSessionEvent((event) => {
      if (event === 'logout') {
        // An expired site session logs in again on the 网站登录 tab, its 标识码 filled in.
        setLastSiteCode(siteSession.peek()?.siteCode ?? null);
        siteSession.clear();
        setSite(null);
        setMe(null);
        setEnded('登录已过期，请重新登录');
      } else setMe((current) => (current ? { ...current, mustChangePassword: true } : current));
    });
    void refresh();
  }, [refresh]);

  const logout = (message: string | null = null) => {
    if (me) setLastUsername(me.username);
    token.clear();
    siteSession.clear();
    setSite(null);
    setMe(null);
    setEnded(message);
    location.hash = '';
  };

  if (checking && !me)
    return (
      <main className="login">
        <Busy />
      </main>
    );
  if (site)
    return (
      // A site's token cannot be revoked (it has no account): 退出登录 forgets it here.
      <SiteLayout
        site={site}
        onSignOut={() => {
          siteSession.forgetLocalDrafts();
          setLastSiteCode(null);
          logout(null);
        }}
      />
    );
  if (!me) {
    return (
      <>
        {error && <ErrorNote message={error} />}
        <Login
          notice={ended}
          username={lastUsername}
          siteCode={lastSiteCode}
          onLoggedIn={() => {
            siteSession.clear();
            setEnded(null);
            void refresh();
          }}
          onSiteLoggedIn={() => {
            setEnded(null);
            setSite(siteSession.get());
          }}
        />
      </>
    );
  }
  if (me.mustChangePassword) return <ChangePassword forced onDone={() => logout('密码已修改，请用新密码重新登录')} />;
  return (
    <Layout
      me={me}
      onLogout={(message) => logout(message ?? null)}
      onSignOut={() => void endSession().then(() => logout(null))}
    />
  );
}
