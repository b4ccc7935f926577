import { FormEvent, useEffect, useState } from 'react';
import { api, ApiError, token } from '../api';
import { fetchStartupState, progressLines, StartupState } from '../startup';
import { useAction, ErrorNote, Tabs } from '../ui';
import { SiteCodeRecovery } from './SiteCodeRecovery';
import { SiteLogin } from './SiteLogin';

const LOGIN_KINDS = ['unit', 'site'] as const;
type LoginKind = (typeof LOGIN_KINDS)[number];
const LOGIN_KIND_LABELS: Record<LoginKind, string> = { unit: '单位登录', site: '网站登录' };

interface LoginReply {
  accessToken: string;
  mustChangePassword: boolean;
}

export function Login({
  notice,
  username: knownUsername = '',
  siteCode = null,
  onLoggedIn,
  onSiteLoggedIn,
}: {
  notice: string | null;
  /** The account just used (after a password change), typed in already. */
  username?: string;
  /** The site whose session just expired: the 网站登录 tab opens with its 标识码. */
  siteCode?: string | null;
  onLoggedIn: () => void;
  /** 网站登录 succeeded: the site's session is stored (site-session.ts). */
  onSiteLoggedIn: () => void;
}) {
  const [kind, setKind] = useState<LoginKind>(siteCode ? 'site' : 'unit');
  const [username, setUsername] = useState(knownUsername);
  const [password, setPassword] = useState('');
  const [recovering, setRecovering] = useState(false);
  const [startup, setStartup] = useState<StartupState | null>(null);
  const action = useAction();

  // On a first start the tree, its accounts and workbooks take a while: show that, not the form.
  useEffect(() => {
    if (startup && !startup.starting) return;
    let stopped = false;
    const look = () =>
      void fetchStartupState().then((state) => {
        if (!stopped) setStartup(state);
      });
    const timer = startup ? setTimeout(look, 1000) : undefined;
    if (!startup) look();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, [startup]);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const reply = await api<LoginReply>('POST', '/auth/login', { username: username.trim(), password }).catch(
        (error: unknown) => {
          // Another gateway said the first start is not over: wait for it here too.
          if (error instanceof ApiError && error.code === 'SERVICE_STARTING')
            setStartup({ starting: true, progress: null });
          throw error;
        },
      );
      token.set(reply.accessToken);
      onLoggedIn();
    });
  };

  if (startup?.starting)
    return (
      <main className="login">
        <h1>全国政府网站信息报送系统</h1>
        <div className="notice notice-info" role="status" data-testid="system-starting">
          <p>
            <strong>系统正在初始化</strong>：首次启动正在创建预置单位、单位账号和下级单位账号表，完成后即可登录。
          </p>
          {startup.progress && (
            <ul>
              {progressLines(startup.progress).map((line) => (
                <li key={line}>{line}</li>
              ))}
            </ul>
          )}
        </div>
      </main>
    );

  return (
    <main className="login">
      <h1>全国政府网站信息报送系统</h1>
      {notice && (
        <div className="notice notice-info" role="status">
          {notice}
        </div>
      )}
      <Tabs
        id="login"
        label="登录方式"
        tabs={LOGIN_KINDS}
        labels={LOGIN_KIND_LABELS}
        selected={kind}
        onSelect={setKind}
      >
        {kind === 'site' ? (
          <SiteLogin siteCode={siteCode ?? ''} onLoggedIn={onSiteLoggedIn} onRecover={() => setRecovering(true)} />
        ) : (
          <>
            <form onSubmit={submit}>
              <label className="row">
                <span>账号</span>
                <input
                  value={username}
                  onChange={(e) => setUsername(e.target.value)}
                  autoComplete="username"
                  required
                  autoFocus={!knownUsername}
                  placeholder="单位代码，如 130300"
                />
              </label>
              <label className="row">
                <span>密码</span>
                <input
                  type="password"
                  value={password}
                  onChange={(e) => setPassword(e.target.value)}
                  autoComplete="current-password"
                  required
                  autoFocus={Boolean(knownUsername)}
                />
              </label>
              <ErrorNote message={action.error} />
              <div className="actions">
                <button className="primary" type="submit" disabled={action.busy}>
                  {action.busy ? '正在登录…' : '登录'}
                </button>
                <button type="button" className="link" onClick={() => setRecovering(true)}>
                  标识码找回
                </button>
                <a className="muted" href="/client">
                  离线填报工具
                </a>
              </div>
            </form>
            <p className="muted">忘记密码请联系技术支持，核实身份后重置为初始密码。</p>
          </>
        )}
      </Tabs>
      {recovering && <SiteCodeRecovery onClose={() => setRecovering(false)} />}
    </main>
  );
}
