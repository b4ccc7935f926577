import { downloadFile, get, Page } from '../api';
import { beijingTime, fileSize } from '../format';
import { Busy, ErrorNote, useAction, useLoad } from '../ui';

interface FileRow {
  id: string;
  name: string;
  folder: string;
  size: number;
  createdAt: string;
}

/** 文件中心 → 我的协作组: the workbook with the accounts of this unit's children. */
export function Files() {
  const list = useLoad(() => get<Page<FileRow>>('/files?pageSize=100'), []);
  const action = useAction();
  return (
    <section>
      <h2>文件中心</h2>
      <p className="muted">
        我的协作组：下级单位的账号和初始密码在其中的工作簿中，请分发给各下级单位，并提醒其首次登录后修改密码。
        导出：报送记录的后台导出完成后放在这里。
      </p>
      <ErrorNote message={action.error ?? list.error} />
      {list.loading && <Busy />}
      {list.data?.items.length === 0 && <div className="empty">没有文件。本单位没有下级单位时，无需分发账号。</div>}
      {list.data && list.data.items.length > 0 && (
        <table className="forms">
          <thead>
            <tr>
              <th>文件名</th>
              <th>文件夹</th>
              <th>大小</th>
              <th>生成时间（北京时间）</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((f) => (
              <tr key={f.id}>
                <td>{f.name}</td>
                <td>{f.folder}</td>
                <td>{fileSize(f.size)}</td>
                <td>{beijingTime(f.createdAt)}</td>
                <td>
                  <button
                    disabled={action.busy}
                    onClick={() =>
                      action.run(async () => {
                        await downloadFile(`/files/${f.id}/download`, f.name);
                      })
                    }
                  >
                    下载
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
