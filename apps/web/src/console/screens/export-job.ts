import { useEffect, useState } from 'react';
import { get } from '../api';

/** A background export (后台导出) as GET /exports/:id answers it. */
export interface ExportJob {
  id: string;
  status: 'QUEUED' | 'RUNNING' | 'DONE' | 'FAILED';
  statusLabel: string;
  rows: number | null;
  fileName: string | null;
  error: string | null;
}

/** The job being shown, read again every 2 s until it is done or failed. */
export function useExportJob(): [ExportJob | null, (job: ExportJob | null) => void] {
  const [job, setJob] = useState<ExportJob | null>(null);
  useEffect(() => {
    if (!job || job.status === 'DONE' || job.status === 'FAILED') return;
    const timer = setTimeout(() => {
      get<ExportJob>(`/exports/${job.id}`)
        .then(setJob)
        .catch(() => setJob({ ...job }));
    }, 2000);
    return () => clearTimeout(timer);
  }, [job]);
  return [job, setJob];
}
