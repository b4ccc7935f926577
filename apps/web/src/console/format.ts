// Dates in Beijing time whatever the office computer's time zone, sizes and labels.
// One date format in the console and the offline client: 2026-12-01 06:40.
const BEIJING = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  // h23, not hour12: false, which some engines render as "24:05" just after midnight.
  hourCycle: 'h23',
});

export function beijingTime(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '—';
  const part = Object.fromEntries(BEIJING.formatToParts(date).map(({ type, value }) => [type, value]));
  return `${part.year}-${part.month}-${part.day} ${part.hour}:${part.minute}`;
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
