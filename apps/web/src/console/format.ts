// Dates in Beijing time whatever the office computer's time zone, sizes and labels.
const BEIJING = new Intl.DateTimeFormat('zh-CN', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hour12: false,
});

export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '—' : BEIJING.format(date).replace(/\//g, '-');
}

export function fileSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} 字节`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export const STATUS_LABELS: Record<string, string> = {
  DRAFT: '未提交',
  PENDING: '未审核',
  APPROVED: '已审核',
  RETURNED: '已退回',
};

export const ROLE_LABELS: Record<string, string> = {
  ORG: '单位用户',
  ROOT: '国务院办公厅（根节点）',
  SUPPORT: '技术支持',
  AUDITOR: '审计员',
};

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : '操作失败，请稍后重试';
}
