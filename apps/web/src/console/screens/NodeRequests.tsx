import { FormEvent, useState } from 'react';
import { get, Page, post } from '../api';
import { beijingTime } from '../format';
import { isRoot, Me } from '../session';
import { Busy, Dialog, ErrorNote, useAction, useLoad } from '../ui';

interface Request {
  id: string;
  name: string;
  code: string;
  reason: string;
  status: string;
  parentName: string;
  requestedBy: string;
  createdAt: string;
  decisionReason: string | null;
}
const STATUS: Record<string, string> = { PENDING: '待审批', APPROVED: '已批准', REJECTED: '已驳回' };

/** A unit files 新增节点申请 under itself; only the root approves or rejects. */
export function NodeRequests({ me }: { me: Me }) {
  const list = useLoad(() => get<Page<Request>>('/node-requests?pageSize=100'), []);
  const [form, setForm] = useState({ name: '', code: '', reason: '' });
  const [rejecting, setRejecting] = useState<Request | null>(null);
  const [reason, setReason] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const action = useAction();
  const root = isRoot(me);

  const file = (event: FormEvent) => {
    event.preventDefault();
    void action.run(async () => {
      await post('/node-requests', form);
      setForm({ name: '', code: '', reason: '' });
      setDone('申请已提交，等待国务院办公厅审批');
      list.reload();
    });
  };
  const decide = (id: string, verb: 'approve' | 'reject', body?: unknown) =>
    action.run(async () => {
      await post(`/node-requests/${id}/${verb}`, body);
      setRejecting(null);
      setDone(verb === 'approve' ? '已批准：新单位及其账号已创建，上级单位的账号工作簿将更新' : '已驳回');
      list.reload();
    });

  return (
    <section>
      <h2>新增节点申请</h2>
      {done && (
        <div className="notice notice-success" role="status">
          {done}
        </div>
      )}
      <ErrorNote message={action.error ?? list.error} />
      {!root && (
        <form onSubmit={file} className="toolbar" aria-label="提交新增节点申请">
          <input
            aria-label="单位名称"
            placeholder="单位名称"
            value={form.name}
            required
            onChange={(e) => setForm({ ...form, name: e.target.value })}
          />
          <input
            aria-label="单位代码"
            placeholder="单位代码"
            value={form.code}
            required
            onChange={(e) => setForm({ ...form, code: e.target.value })}
          />
          <input
            aria-label="申请理由"
            placeholder="申请理由"
            size={30}
            value={form.reason}
            required
            onChange={(e) => setForm({ ...form, reason: e.target.value })}
          />
          <button className="primary" type="submit" disabled={action.busy}>
            提交申请
          </button>
        </form>
      )}
      {list.loading && <Busy />}
      {list.data?.items.length === 0 && (
        <div className="empty">{root ? '没有待处理的新增节点申请。' : '本单位没有提交过新增节点申请。'}</div>
      )}
      {list.data && list.data.items.length > 0 && (
        <table className="forms">
          <thead>
            <tr>
              <th>单位名称</th>
              <th>单位代码</th>
              <th>上级单位</th>
              <th>理由</th>
              <th>申请时间</th>
              <th>状态</th>
              {root && <th>操作</th>}
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((r) => (
              <tr key={r.id}>
                <td>{r.name}</td>
                <td>{r.code}</td>
                <td>{r.parentName}</td>
                <td>{r.reason}</td>
                <td>{beijingTime(r.createdAt)}</td>
                <td>
                  {STATUS[r.status] ?? r.status}
                  {r.decisionReason ? `（${r.decisionReason}）` : ''}
                </td>
                {root && (
                  <td className="actions">
                    {r.status === 'PENDING' && (
                      <>
                        <button disabled={action.busy} onClick={() => decide(r.id, 'approve')}>
                          批准
                        </button>
                        <button
                          disabled={action.busy}
                          onClick={() => {
                            setReason('');
                            setRejecting(r);
                          }}
                        >
                          驳回
                        </button>
                      </>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {rejecting && (
        <Dialog title={`驳回“${rejecting.name}”`} onClose={() => setRejecting(null)}>
          <label className="row">
            <span>驳回理由（必填）</span>
            <textarea rows={3} value={reason} onChange={(e) => setReason(e.target.value)} />
          </label>
          <ErrorNote message={action.error} />
          <div className="actions">
            <button
              className="primary"
              disabled={!reason.trim()}
              onClick={() => decide(rejecting.id, 'reject', { reason: reason.trim() })}
            >
              确定驳回
            </button>
            <button onClick={() => setRejecting(null)}>取消</button>
          </div>
        </Dialog>
      )}
    </section>
  );
}
