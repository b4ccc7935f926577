import { DragEvent, useRef, useState } from 'react';
import { downloadFile, get, Page, post } from '../api';
import { beijingTime } from '../format';
import { Busy, ErrorNote, Pager, useAction, useLoad } from '../ui';

interface FormReport {
  formId: string | null;
  siteName: string;
  outcome: string;
  /** sheet/row/column/header: where an Excel template's problem is, as Excel shows it. */
  errors: Array<{
    field: string;
    label?: string;
    message: string;
    sheet?: string;
    row?: number;
    column?: string;
    header?: string;
  }>;
  warnings: string[];
}
type Summary = { applied: boolean; created: number; updated: number; unchanged: number; rejected: number };
interface Job {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  dryRun: boolean;
  progress: { done: number; total: number };
  fileName: string;
  createdAt: string;
  summary?: Summary;
  report: (Summary & { forms: FormReport[]; formsTotal?: number }) | null;
  error?: { code: string; message: string };
  retry?: { attempts: number; nextAttemptAt: string };
}

const STATUS = { QUEUED: '排队等待', RUNNING: '正在处理', SUCCEEDED: '处理完成', FAILED: '处理失败' };
const OUTCOME: Record<string, string> = { created: '新增', updated: '更新', unchanged: '无变化', rejected: '未通过' };

export function Import() {
  const [file, setFile] = useState<File | null>(null);
  const [over, setOver] = useState(false);
  const [phase, setPhase] = useState<string | null>(null);
  const [job, setJob] = useState<Job | null>(null);
  const [finished, setFinished] = useState(0);
  const input = useRef<HTMLInputElement>(null);
  const action = useAction();

  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    setFile(chosen);
    setJob(null);
  };
  const drop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    choose(event.dataTransfer.files[0]);
  };

  const start = (dryRun: boolean) =>
    action
      .run(async () => {
        setJob(null);
        setPhase('正在上传…');
        const body = new FormData();
        body.append('file', file!);
        const { jobId } = await post<{ jobId: string }>(`/imports?dryRun=${dryRun}`, body);
        setPhase(null);
        for (;;) {
          const current = await get<Job>(`/imports/${jobId}`);
          setJob(current);
          if (current.status === 'SUCCEEDED' || current.status === 'FAILED') return;
          await new Promise((resolve) => setTimeout(resolve, 400));
        }
      })
      .finally(() => {
        setPhase(null);
        setFinished((n) => n + 1);
      });

  const running = action.busy;
  const percent = job && job.progress.total > 0 ? Math.round((job.progress.done / job.progress.total) * 100) : 0;

  return (
    <section>
      <h2>导入上报文件</h2>
      <p className="muted">
        选择离线填报工具生成的上报文件（.zip）或填好的Excel模板（.xlsx，也可以是Excel 97–2003的
        .xls）。可先点“预检”检查，不会改变任何数据。
      </p>
      <div
        className={`drop${over ? ' over' : ''}`}
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={drop}
        data-testid="drop-zone"
      >
        <p>
          把文件拖到这里，或{' '}
          <button className="link" onClick={() => input.current?.click()}>
            选择文件
          </button>
        </p>
        <input
          ref={input}
          type="file"
          accept=".zip,.xlsx,.xls,.et"
          hidden
          aria-label="选择上报文件"
          onChange={(e) => choose(e.target.files?.[0])}
        />
        {file && (
          <p>
            已选择：<strong>{file.name}</strong>（{(file.size / 1024).toFixed(1)} KB）
          </p>
        )}
      </div>
      <div className="actions">
        <button disabled={!file || running} onClick={() => start(true)}>
          预检
        </button>
        <button className="primary" disabled={!file || running} onClick={() => start(false)}>
          导入
        </button>
      </div>
      {phase && (
        <p className="busy" role="status">
          <span className="spinner" aria-hidden="true" />
          {phase}
        </p>
      )}
      <ErrorNote message={action.error} />
      {job && <JobView job={job} percent={percent} />}
      <ImportHistory refresh={finished} onOpen={setJob} busy={running} />
    </section>
  );
}

/** The unit's earlier imports: each one's outcome, its full report again, its original file. */
function ImportHistory({ refresh, onOpen, busy }: { refresh: number; onOpen: (job: Job) => void; busy: boolean }) {
  const [page, setPage] = useState(1);
  const list = useLoad(() => get<Page<Job>>(`/imports?page=${page}&pageSize=10`), [page, refresh]);
  const action = useAction();
  const open = (id: string) =>
    action.run(async () => {
      onOpen(await get<Job>(`/imports/${id}`));
      window.scrollTo({ top: 0 });
    });
  return (
    <>
      <h2>导入记录</h2>
      <ErrorNote message={action.error ?? list.error} />
      {list.loading && <Busy />}
      {list.data?.items.length === 0 && <div className="empty">本单位还没有导入过文件。</div>}
      {list.data && list.data.items.length > 0 && (
        <table className="forms" aria-label="导入记录">
          <thead>
            <tr>
              <th>时间（北京时间）</th>
              <th>文件</th>
              <th>方式</th>
              <th>状态</th>
              <th>结果</th>
              <th>操作</th>
            </tr>
          </thead>
          <tbody>
            {list.data.items.map((row) => (
              <tr key={row.id}>
                <td>{beijingTime(row.createdAt)}</td>
                <td>{row.fileName}</td>
                <td>{row.dryRun ? '预检' : '导入'}</td>
                <td>{STATUS[row.status]}</td>
                <td>{outcomeOf(row)}</td>
                <td className="actions">
                  <button disabled={busy || action.busy} onClick={() => open(row.id)}>
                    查看报告
                  </button>
                  <button
                    disabled={action.busy}
                    onClick={() =>
                      action.run(async () => {
                        await downloadFile(`/imports/${row.id}/package`, row.fileName);
                      })
                    }
                  >
                    下载文件
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {list.data && list.data.total > 0 && <Pager page={page} pageSize={10} total={list.data.total} onPage={setPage} />}
    </>
  );
}

function outcomeOf(job: Job): string {
  if (job.status === 'FAILED') return job.error?.message ?? '处理失败';
  if (job.status !== 'SUCCEEDED') return job.progress.total ? `${job.progress.done}/${job.progress.total}` : '—';
  const s = job.summary;
  if (!s) return '—';
  if (s.rejected > 0) return `${s.rejected} 张未通过，${job.dryRun ? '' : '本次'}没有导入任何数据`;
  return `${job.dryRun ? '可' : ''}${countsText(s)}`;
}

/**
 * Where a problem is, as the clerk finds it: in an Excel template the sheet, the row number
 * Excel shows and the column's header (and letter); in a package the field's Chinese name.
 */
function errorPlace(e: FormReport['errors'][number]): string {
  if (e.sheet && e.row) {
    const column = e.header ? `，“${e.header}”列${e.column ? `（${e.column}列）` : ''}` : '';
    return `“${e.sheet}”第${e.row}行${column}`;
  }
  return e.label ?? e.field;
}

function countsText(s: Summary): string {
  return `新增 ${s.created} 张、更新 ${s.updated} 张、无变化 ${s.unchanged} 张`;
}

function JobView({ job, percent }: { job: Job; percent: number }) {
  const report = job.report;
  // The job shows the report's first page (rejected forms first, then those with warnings);
  // a large report's further pages are read on demand.
  const [more, setMore] = useState<{ jobId: string; forms: FormReport[] }>({ jobId: job.id, forms: [] });
  const [loadingMore, setLoadingMore] = useState(false);
  const extra = more.jobId === job.id ? more.forms : [];
  const forms = report ? [...report.forms, ...extra] : [];
  const formsTotal = report?.formsTotal ?? forms.length;
  const loadMore = async () => {
    setLoadingMore(true);
    try {
      const page = Math.floor(forms.length / 100) + 1;
      const next = await get<Page<FormReport>>(`/imports/${job.id}/report?page=${page}&pageSize=100`);
      setMore({ jobId: job.id, forms: [...extra, ...next.items] });
    } finally {
      setLoadingMore(false);
    }
  };
  const refused = forms.filter((f) => f.outcome === 'rejected' || f.errors.length > 0);
  const refusedCount = Math.max(report?.rejected ?? 0, refused.length);
  return (
    <div data-testid="import-result">
      {job.fileName && (
        <p className="muted">
          文件：{job.fileName}（{beijingTime(job.createdAt)} 上传）
        </p>
      )}
      <p role="status">
        {job.dryRun ? '预检' : '导入'}：{STATUS[job.status]}
        {job.status === 'RUNNING' && job.progress.total ? `（${job.progress.done}/${job.progress.total}）` : ''}
      </p>
      {job.retry && (
        <p className="muted" data-testid="import-retry">
          系统暂时繁忙，已尝试 {job.retry.attempts} 次，稍后将自动继续，无需重新上传，请稍候。
        </p>
      )}
      {(job.status === 'QUEUED' || job.status === 'RUNNING') && (
        <progress max={100} value={percent} aria-label="导入进度" />
      )}
      {job.status === 'FAILED' && (
        <div className="notice notice-error" role="alert">
          文件无法导入：{job.error?.message ?? '未知原因'}
        </div>
      )}
      {report && (
        <div className={`notice ${refusedCount ? 'notice-error' : 'notice-success'}`}>
          <strong data-testid="import-summary">
            {refusedCount
              ? `有 ${refusedCount} 张表未通过检查，${job.dryRun ? '' : '本次'}没有导入任何数据`
              : job.dryRun
                ? `预检通过：将${countsText(report)}`
                : `导入成功：${countsText(report)}`}
          </strong>
          {refused.length > 0 && (
            <ul>
              {refused.map((form, index) => (
                <li key={index}>
                  《{form.siteName || '未填网站名称'}》
                  <ul>
                    {form.errors.map((e, i) => (
                      <li key={i} data-testid="import-error">
                        {errorPlace(e)}：{e.message}
                      </li>
                    ))}
                  </ul>
                </li>
              ))}
            </ul>
          )}
          {forms.some((f) => f.warnings.length) && (
            <ul>
              {forms.flatMap((f) =>
                f.warnings.map((w, i) => (
                  <li key={`${f.formId}-${i}`}>
                    提示：《{f.siteName}》{w}
                  </li>
                )),
              )}
            </ul>
          )}
          {!job.dryRun && report.applied && (
            <p>
              <a href="#/records">查看报送记录 →</a>
            </p>
          )}
        </div>
      )}
      {report && forms.length > 0 && (
        <table className="forms">
          <thead>
            <tr>
              <th>网站名称</th>
              <th>结果</th>
            </tr>
          </thead>
          <tbody>
            {forms.map((f, i) => (
              <tr key={i}>
                <td>{f.siteName}</td>
                <td>{OUTCOME[f.outcome] ?? f.outcome}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {report && forms.length < formsTotal && (
        <p className="muted">
          共 {formsTotal} 张表，已列出 {forms.length} 张（未通过和有提示的在前）。{' '}
          <button type="button" onClick={() => void loadMore()} disabled={loadingMore}>
            {loadingMore ? '正在读取…' : '再列出 100 张'}
          </button>
        </p>
      )}
    </div>
  );
}
