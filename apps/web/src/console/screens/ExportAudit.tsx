import { downloadFile, post } from '../api';
import { ErrorNote, useAction } from '../ui';
import { ExportJob, useExportJob } from './export-job';

/**
 * 后台导出 of the audit log with the screen's filters (for more entries than 导出 Excel takes at
 * once): the job's progress, then 下载 (an auditor has no 文件中心; the file is theirs alone).
 */
export function ExportAudit({ filter }: { filter: URLSearchParams }) {
  const action = useAction();
  const [job, setJob] = useExportJob();

  const start = () =>
    action.run(async () => {
      setJob(await post<ExportJob>('/exports', { kind: 'audit', filters: Object.fromEntries(filter) }));
    });

  return (
    <div className="toolbar">
      <button type="button" onClick={start} disabled={action.busy} data-testid="export-audit-job">
        后台导出
      </button>
      <span className="muted">条目很多（超过 5 万条）时用后台导出：完成后在这里下载。</span>
      {job && (
        <span className="notice" role="status" data-testid="export-audit-status">
          {job.status === 'DONE' ? (
            <>
              后台导出已完成（{job.rows} 条）：
              <button
                type="button"
                className="link"
                onClick={() =>
                  action.run(
                    async () =>
                      void (await downloadFile(`/exports/${job.id}/download`, job.fileName ?? '审计日志.xlsx')),
                  )
                }
              >
                下载 {job.fileName}
              </button>
            </>
          ) : job.status === 'FAILED' ? (
            `后台导出失败：${job.error ?? ''}`
          ) : (
            `后台导出${job.statusLabel}…`
          )}
        </span>
      )}
      <ErrorNote message={action.error} />
    </div>
  );
}
