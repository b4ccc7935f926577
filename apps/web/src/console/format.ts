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

const BEIJING_DAY = new Intl.DateTimeFormat('en-CA', {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
});

/** A Beijing calendar day (YYYY-MM-DD), `offset` days from today. */
export function beijingDay(offset = 0, now = Date.now()): string {
  return BEIJING_DAY.format(new Date(now + offset * 86_400_000));
}

/** What a date field says when its text is not a day: the console's one date format. */
export const DAY_FORMAT_MESSAGE = '日期格式应为“年-月-日”，例如 2026-12-01';

/**
 * A typed calendar day as the console writes it (2026-12-01), or null when the text is not a
 * real day. Also takes what clerks type out of habit: 2026/12/1, 2026.12.1, 2026年12月1日,
 * 20261201. Never a browser's locale format (11/26/2026 is refused, not guessed).
 */
export function parseDay(text: string): string | null {
  const typed = text.trim();
  const match =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$/.exec(typed) ?? /^(\d{4})(\d{2})(\d{2})$/.exec(typed);
  if (!match) return null;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  if (year < 1000 || date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return `${match[1]}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
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
