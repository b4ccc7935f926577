import { useState } from 'react';
import { get, Page, post } from '../api';
import { beijingTime } from '../format';
import { Busy, ErrorNote, Pager, useAction, useLoad } from '../ui';

interface Notice {
  id: string;
  title: string;
  body: string;
  createdAt: string;
  readAt: string | null;
  recordId: string | null;
}

export function Notices({ onRead }: { onRead: () => void }) {
  const [page, setPage] = useState(1);
  const list = useLoad(() => get<Page<Notice> & { unread: number }>(`/notices?page=${page}&pageSize=20`), [page]);
  const action = useAction();
  const read = (id: string) =>
    action.run(async () => {
      await post(`/notices/${id}/read`);
      list.reload();
      onRead();
    });

  return (
    <section>
      <h2>通知{list.data ? `（${list.data.unread} 条未读）` : ''}</h2>
      <ErrorNote message={action.error ?? list.error} />
      {list.loading && <Busy />}
      {list.data?.items.length === 0 && (
        <div className="empty">暂无通知。记录被审核、退回或新增节点申请有结果时，会在这里通知本单位。</div>
      )}
      {list.data && list.data.items.length > 0 && (
        <table className="forms">
          <thead>
            <tr>
              <th>时间（北京时间）</th>
              <th>标题</th>
              <th>内容</th>
              <th>状态</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((n) => (
              <tr key={n.id} className={n.readAt ? undefined : 'unread'}>
                <td>{beijingTime(n.createdAt)}</td>
                <td>
                  {n.recordId ? (
                    <a
                      href={`#/records/${n.recordId}`}
                      onClick={() => {
                        if (!n.readAt) void post(`/notices/${n.id}/read`).then(onRead, () => undefined);
                      }}
                    >
                      {n.title}
                    </a>
                  ) : (
                    n.title
                  )}
                </td>
                <td>{n.body}</td>
                <td>{n.readAt ? '已读' : <button onClick={() => read(n.id)}>标为已读</button>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.total > 0 && <Pager page={page} pageSize={20} total={list.data.total} onPage={setPage} />}
    </section>
  );
}
