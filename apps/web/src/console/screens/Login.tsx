import { FormEvent, useState } from 'react';
import { api, token } from '../api';
import { useAction, ErrorNote } from '../ui';
import { SiteCodeRecovery } from './SiteCodeRecovery';

interface LoginReply {
  accessToken: string;
  mustChangePassword: boolean;
}

export function Login({ notice, onLoggedIn }: { notice: string | null; onLoggedIn: () => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [recovering, setRecovering] = useState(false);
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      const reply = await api<LoginReply>('POST', '/auth/login', { username: username.trim(), password });
      token.set(reply.accessToken);
      onLoggedIn();
    });
  };

  return (
    <main className="login">
      <h1>全国政府网站信息报送系统</h1>
      {notice && (
        <div className="notice notice-info" role="status">
          {notice}
        </div>
      )}
      <form onSubmit={submit}>
        <label className="row">
          <span>账号</span>
          <input
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            required
            autoFocus
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
      {recovering && <SiteCodeRecovery onClose={() => setRecovering(false)} />}
    </main>
  );
}
