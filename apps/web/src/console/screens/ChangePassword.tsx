import { FormEvent, useState } from 'react';
import { api } from '../api';
import { ErrorNote, useAction } from '../ui';

/** Forced at first login (and after a support reset); also reachable from the top bar. */
export function ChangePassword({ forced, onDone }: { forced: boolean; onDone: () => void }) {
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [again, setAgain] = useState('');
  const action = useAction();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      if (next !== again) throw new Error('两次输入的新密码不一致');
      await api('POST', '/auth/change-password', { currentPassword: current, newPassword: next });
      onDone();
    });
  };

  return (
    <main className="login">
      <h1>修改密码</h1>
      {forced && <div className="hint">首次登录（或密码被重置后）必须先修改初始密码，才能使用系统。</div>}
      <div className="hint" data-testid="password-rules">
        新密码要求：至少8个字符；包含大写字母、小写字母、数字、符号中的至少三类；不能包含账号；不能与初始密码相同。
      </div>
      <form onSubmit={submit}>
        <label className="row">
          <span>当前密码</span>
          <input
            type="password"
            value={current}
            onChange={(e) => setCurrent(e.target.value)}
            autoComplete="current-password"
            required
            autoFocus
          />
        </label>
        <label className="row">
          <span>新密码</span>
          <input
            type="password"
            value={next}
            onChange={(e) => setNext(e.target.value)}
            autoComplete="new-password"
            required
          />
        </label>
        <label className="row">
          <span>再次输入新密码</span>
          <input
            type="password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            autoComplete="new-password"
            required
          />
        </label>
        <ErrorNote message={action.error} />
        <div className="actions">
          <button className="primary" type="submit" disabled={action.busy}>
            {action.busy ? '正在保存…' : '修改密码'}
          </button>
        </div>
      </form>
    </main>
  );
}
