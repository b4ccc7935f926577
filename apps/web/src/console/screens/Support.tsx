import { FormEvent, useState } from 'react';
import { get, Page, post } from '../api';
import { beijingTime } from '../format';
import { Dialog, ErrorNote, useAction } from '../ui';

/** What support sees of an account: never the contact (the reset's proofs). */
interface Account {
  id: string;
  username: string;
  roles: string[];
  orgUnitName: string | null;
  orgUnitKind: string | null;
  region: string;
  contactRegistered: boolean;
  mustChangePassword: boolean;
  locked: boolean;
  lockedUntil: string | null;
}
const PROOF = [
  ['contactName', '联系人姓名'],
  ['phone', '联系电话（办公电话或手机）'],
  ['orgUnitName', '单位名称'],
  ['department', '所在部门'],
  ['initialPassword', '初始密码'],
] as const;

/**
 * Support desk: find an account by unit code or unit name, reset it to its initial password
 * with the proof the caller gives (typed here, compared by the server: match or no match), unlock it.
 */
export function Support() {
  const [q, setQ] = useState('');
  const [accounts, setAccounts] = useState<Account[] | null>(null);
  const [resetting, setResetting] = useState<Account | null>(null);
  const [proof, setProof] = useState<Record<string, string>>({});
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();

  const search = async () =>
    setAccounts((await get<Page<Account>>(`/admin/accounts?q=${encodeURIComponent(q.trim())}&pageSize=50`)).items);
  const find = (event: FormEvent) => {
    event.preventDefault();
    setDone(null);
    void action.run(search);
  };
  const reset = () =>
    action.run(async () => {
      await post(`/admin/accounts/${encodeURIComponent(resetting!.username)}/reset-password`, proof);
      setDone(`账号 ${resetting!.username} 的密码已重置为初始密码，用户下次登录时须修改密码`);
      setResetting(null);
      // The row shows the account as it is now (须修改密码, lock), not as it was found.
      await search();
    });
  const unlock = (account: Account) =>
    action.run(async () => {
      await post(`/admin/accounts/${encodeURIComponent(account.username)}/unlock`);
      setDone(`账号 ${account.username} 已解锁`);
      await search();
    });

  return (
    <section>
      <h2>账号支持</h2>
      <form onSubmit={find} className="toolbar" role="search">
        <input
          aria-label="单位代码或单位名称"
          placeholder="单位代码（账号）或单位名称，可只输入一部分"
          value={q}
          required
          onChange={(e) => setQ(e.target.value)}
        />
        <button className="primary" type="submit" disabled={action.busy}>
          查找
        </button>
      </form>
      {done && (
        <div className="notice notice-success" role="status">
          {done}
        </div>
      )}
      <ErrorNote message={resetting ? null : action.error} />
      {accounts?.length === 0 && <div className="empty">没有代码或单位名称含“{q}”的账号</div>}
      {accounts && accounts.length > 0 && (
        <table className="forms">
          <thead>
            <tr>
              <th>账号</th>
              <th>单位名称</th>
              <th>类别</th>
              <th>所在地区</th>
              <th>联系人</th>
              <th>须修改密码</th>
              <th>锁定至</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <td>{a.username}</td>
                <td>{a.orgUnitName ?? '—'}</td>
                <td>{a.orgUnitKind ?? '系统账号'}</td>
                <td>{a.region || '—'}</td>
                <td>{a.orgUnitName ? (a.contactRegistered ? '已登记' : '未登记') : '—'}</td>
                <td>{a.mustChangePassword ? '是' : '否'}</td>
                <td>{a.locked && a.lockedUntil ? beijingTime(a.lockedUntil) : '未锁定'}</td>
                <td className="actions">
                  {a.orgUnitName && (
                    <button
                      onClick={() => {
                        setProof({});
                        action.clear();
                        setResetting(a);
                      }}
                    >
                      重置为初始密码
                    </button>
                  )}
                  {a.locked && <button onClick={() => unlock(a)}>解锁</button>}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {resetting && (
        <Dialog
          title={`重置账号 ${resetting.username}（${resetting.orgUnitName}）的密码`}
          onClose={() => setResetting(null)}
        >
          <p className="muted">
            请按来电人所说录入以下信息，由系统与登记信息比对：全部一致才能重置，不一致时不提示哪一项不符。
          </p>
          {PROOF.map(([key, label]) => (
            <label className="row" key={key}>
              <span>{label}</span>
              <input value={proof[key] ?? ''} onChange={(e) => setProof({ ...proof, [key]: e.target.value })} />
            </label>
          ))}
          <ErrorNote message={action.error} />
          <div className="actions">
            <button
              className="primary"
              disabled={action.busy || PROOF.some(([key]) => !proof[key]?.trim())}
              onClick={reset}
            >
              核验并重置
            </button>
            <button onClick={() => setResetting(null)}>取消</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
