import { COLUMNS_LABEL, fieldLabel, FORM_TITLE, SECTIONS } from '@app/forms';
import { get } from '../api';
import { beijingTime, STATUS_LABELS } from '../format';
import { go } from '../router';
import { Busy, ErrorNote, useLoad } from '../ui';
import { ColumnsTable } from './RecordDetail';
import { LifecycleFields, lifecycleText, requestedText } from './RecordLifecycle';

type Detail = Record<string, unknown> &
  LifecycleFields & {
    status: keyof typeof STATUS_LABELS;
    regionName: string;
    version: number;
    recordUpdatedAt: string;
  };

/**
 * One record's 政府网站基本信息表 as a printable A4 page (#/records/:id/print): every field in
 * the form's order, the 栏目 table, 标识码, status and the site's lifecycle (运行中, 已关停 with
 * its reason and expected date, 已注销), and a request still under review. The console's frame
 * and the buttons are hidden when printing (@media print, @page A4 in console.css).
 */
export function RecordPrint({ id }: { id: string }) {
  const record = useLoad(() => get<Detail>(`/forms/${id}`), [id]);
  if (record.loading && !record.data) return <Busy />;
  if (!record.data) return <ErrorNote message={record.error} />;
  const data = record.data;
  const pending = data.pendingRequest;
  const columns = (Array.isArray(data.columns) ? data.columns : []) as Array<Record<string, string>>;
  return (
    <article className="print-page" aria-label="打印预览">
      <div className="actions no-print">
        <button onClick={() => go(`records/${id}`)}>← 返回记录</button>
        <button className="primary" onClick={() => window.print()}>
          打印
        </button>
        <span className="muted">纸张 A4；打印时只输出下面的表格。</span>
      </div>
      <h1 className="print-title">{FORM_TITLE}</h1>
      <table className="print-table">
        <tbody>
          <tr>
            <th>网站标识码</th>
            <td data-testid="print-site-code">{data.siteCode ?? '尚未分配'}</td>
            <th>状态</th>
            <td>{STATUS_LABELS[data.status] ?? data.status}</td>
          </tr>
          <tr>
            <th>地区/部门</th>
            <td>{data.regionName}</td>
            <th>内容版本</th>
            <td>
              第 {data.version} 版，{beijingTime(data.recordUpdatedAt)}
            </td>
          </tr>
          <tr>
            <th>网站运行状态</th>
            <td colSpan={3} data-testid="print-lifecycle">
              {lifecycleText(data)}
            </td>
          </tr>
          {pending && (
            <tr>
              <th>审核中的申请</th>
              <td colSpan={3} data-testid="print-pending">
                {pending.kindLabel}申请，{requestedText(pending)}；终审通过前，本表为已审核的内容
              </td>
            </tr>
          )}
          {SECTIONS.map((section) => [
            <tr key={section.key}>
              <th colSpan={4} className="print-section">
                {section.label}
              </th>
            </tr>,
            ...section.fields.map((field) => {
              const value = ((data[section.key] ?? {}) as Record<string, string>)[field.key];
              const shown = field.options?.find((o) => o.value === value)?.label ?? value;
              return (
                <tr key={`${section.key}.${field.key}`}>
                  <th>{fieldLabel(section, field)}</th>
                  <td colSpan={3}>{shown || '—'}</td>
                </tr>
              );
            }),
          ])}
        </tbody>
      </table>
      <h2 className="print-subtitle">
        {COLUMNS_LABEL}（{columns.length} 个）
      </h2>
      <ColumnsTable columns={columns} className="print-table" label={COLUMNS_LABEL} />
      <p className="print-foot">
        表单编号 {data.id} · 打印时间 {beijingTime(new Date().toISOString())}
      </p>
    </article>
  );
}
