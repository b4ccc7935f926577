import { downloadOrJob } from '../api';
import { ErrorNote, useAction } from '../ui';
import { ExportJob, useExportJob } from './export-job';

/**
 * 导出 Excel of the records list as shown (its status tab, search and region, the unit's
 * subtree). Up to the server's limit the file downloads at once; over it the server answers 202
 * with a 后台导出 job whose file lands in 文件中心 → 导出 (with a notice); its progress is shown
 * here until it is done.
 */
export function ExportRecords({
  status,
  search,
  region,
  lifecycle = '',
  requestKind = '',
}: {
  status: string;
  search: string;
  region: string;
  lifecycle?: string;
  requestKind?: string;
}) {
  const action = useAction();
  const [job, setJob] = useExportJob();
  const filters = {
    status,
    scope: 'subtree',
    ...(search ? { q: search } : {}),
    ...(region ? { orgUnitId: region } : {}),
    ...(lifecycle ? { lifecycle } : {}),
    ...(requestKind ? { requestKind } : {}),
  };

  const exportNow = () =>
    action.run(async () => {
      const query = new URLSearchParams(filters).toString();
      const result = await downloadOrJob<ExportJob>(`/forms/export?${query}`, '报送记录.xlsx');
      if (result.job) setJob(result.job);
    });

  return (
    <>
      <button onClick={exportNow} disabled={action.busy} data-testid="export-records">
        {action.busy ? '正在导出…' : '导出 Excel'}
      </button>
      {action.error && <ErrorNote message={action.error} />}
      {job && (
        <span className="notice" role="status" data-testid="export-job">
          {job.status === 'DONE' ? (
            <>
              后台导出已完成（{job.rows} 条）：文件“{job.fileName}”在 <a href="#/files">文件中心 → 导出</a>
            </>
          ) : job.status === 'FAILED' ? (
            `后台导出失败：${job.error ?? ''}`
          ) : (
            <>
              记录较多，已转为后台导出（{job.statusLabel}）… 完成后文件放在 <a href="#/files">文件中心 → 导出</a>
              ，并有站内通知
            </>
          )}
        </span>
      )}
    </>
  );
}
