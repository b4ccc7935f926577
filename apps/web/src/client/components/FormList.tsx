import { beijingTime } from '../../console/format';
// The unit's forms, one per website: what each is, whether it can be reported, and which
// go into the next package (all are ticked unless the user unticks them).
import { useState } from 'react';
import { SiteForm, validateForm } from '@app/forms';

interface Props {
  forms: SiteForm[];
  excluded: Set<string>;
  onToggle(id: string): void;
  onEdit(id: string): void;
  onDelete(id: string): void;
}

export function FormList({ forms, excluded, onToggle, onEdit, onDelete }: Props) {
  const [confirming, setConfirming] = useState<string | null>(null);
  if (forms.length === 0) {
    return <p className="empty">还没有网站信息表。点“新建网站信息表”开始填写，或点“导入Excel模板”导入已填好的表格。</p>;
  }
  return (
    <table className="forms">
      <caption className="visually-hidden">本单位的网站信息表</caption>
      <thead>
        <tr>
          <th scope="col">上报</th>
          <th scope="col">网站名称</th>
          <th scope="col">首页网址</th>
          <th scope="col">栏目数</th>
          <th scope="col">检查结果</th>
          <th scope="col">修改时间</th>
          <th scope="col">操作</th>
        </tr>
      </thead>
      <tbody>
        {forms.map((form) => {
          const name = form.site.siteName.trim() || '未命名网站';
          const errors = validateForm(form).errors.length;
          return (
            <tr key={form.id} data-form-id={form.id}>
              <td>
                <input
                  type="checkbox"
                  checked={!excluded.has(form.id)}
                  onChange={() => onToggle(form.id)}
                  aria-label={`把《${name}》放入上报文件`}
                />
              </td>
              <td>{name}</td>
              <td className="url">{form.site.homepageUrl}</td>
              <td>{form.columns.length}</td>
              <td className={errors === 0 ? 'ok' : 'bad'}>{errors === 0 ? '✓ 可以上报' : `✗ ${errors}处错误`}</td>
              <td>{beijingTime(form.updatedAt)}</td>
              <td className="actions">
                {confirming === form.id ? (
                  <>
                    <span>确定删除？</span>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => {
                        setConfirming(null);
                        onDelete(form.id);
                      }}
                    >
                      确定删除
                    </button>
                    <button type="button" onClick={() => setConfirming(null)}>
                      取消
                    </button>
                  </>
                ) : (
                  <>
                    <button type="button" onClick={() => onEdit(form.id)} aria-label={`编辑《${name}》`}>
                      编辑
                    </button>
                    <button
                      type="button"
                      className="link danger"
                      onClick={() => setConfirming(form.id)}
                      aria-label={`删除《${name}》`}
                    >
                      删除
                    </button>
                  </>
                )}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
