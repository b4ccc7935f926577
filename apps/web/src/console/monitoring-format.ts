// Words for the 网站监测 panel (screens/Monitoring.tsx): a day's availability, failures by cause,
// and a proposal's evidence as label/value lines. Pure, so unit-tested without a browser.

/** Why a fetch failed, in words (the probe library's causes, its PROBE_FAILURE_LABELS). */
const CAUSE_LABELS: Record<string, string> = {
  'invalid-url': '网址无效',
  'refused-target': '内网或本机地址',
  dns: '域名解析失败',
  connect: '无法建立连接',
  tls: 'HTTPS 握手失败',
  protocol: '响应不符合 HTTP 协议',
  'http-status': 'HTTP 状态码异常',
  timeout: '访问超时',
  'too-large': '页面过大',
  'too-many-redirects': '重定向过多',
};

export const causeText = (cause: string | null | undefined): string =>
  cause ? (CAUSE_LABELS[cause] ?? cause) : '原因不明';

/** `availability` as the server gives it (percent, 0–100), else from the visits: 99.5%, or — without visits. */
export function availabilityText(day: {
  availability?: number | null;
  homepageProbes: number;
  homepageFailures: number;
}): string {
  const value =
    typeof day.availability === 'number'
      ? day.availability
      : day.homepageProbes > 0
        ? ((day.homepageProbes - day.homepageFailures) / day.homepageProbes) * 100
        : null;
  return value === null ? '—' : `${Math.round(value * 100) / 100}%`;
}

/** 访问超时 3 次；域名解析失败 1 次 (most first), or — when nothing failed. */
export function failuresText(byCause: Record<string, number> | null | undefined): string {
  const parts = Object.entries(byCause ?? {})
    .filter(([, count]) => count > 0)
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .map(([cause, count]) => `${causeText(cause)} ${count} 次`);
  return parts.join('；') || '—';
}

/** The names of the evidence fields monitoring gives (proposals.ts in the assessment service). */
const EVIDENCE_LABELS: Record<string, string> = {
  days: '监测日',
  day: '日期',
  probes: '访问',
  visits: '首页访问次数',
  failures: '打不开次数',
  percent: '打不开比例（%）',
  failuresByCause: '打不开的原因',
  monitoredDays: '监测天数',
  first: '首日',
  last: '末日',
  newest: '最新信息日期',
  notUpdated: '未按期更新的栏目',
  longNotUpdated: '超过一年未更新的栏目',
  blank: '空白栏目',
  blankDay: '空白栏目所在日',
  broken: '失效链接',
  name: '名称',
  url: '网址',
  cause: '原因',
  status: 'HTTP 状态码',
};

export interface EvidenceLine {
  label: string;
  /** Words, or a list of entries each in words (a link's address stays as it is). */
  value: string | string[];
}

const scalar = (key: string, value: unknown): string => {
  if (value === null || value === undefined || value === '') return key === 'newest' ? '无' : '—';
  if (key === 'cause') return causeText(String(value));
  if (typeof value === 'boolean') return value ? '是' : '否';
  return String(value);
};

/** One entry of a list (a day, a column, a link) as one line: 日期 2026-12-01，访问 24，打不开次数 3. */
function entryText(entry: unknown): string {
  if (entry === null || typeof entry !== 'object') return scalar('', entry);
  return Object.entries(entry as Record<string, unknown>)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([key, value]) => (key === 'url' ? String(value) : `${EVIDENCE_LABELS[key] ?? key} ${scalar(key, value)}`))
    .join('，');
}

/** A proposal's evidence, one line per field, in the order given; empty lists are left out. */
export function evidenceLines(evidence: unknown): EvidenceLine[] {
  if (evidence === null || evidence === undefined) return [];
  if (typeof evidence !== 'object' || Array.isArray(evidence))
    return [{ label: '证据', value: Array.isArray(evidence) ? evidence.map(entryText) : scalar('', evidence) }];
  const lines: EvidenceLine[] = [];
  for (const [key, value] of Object.entries(evidence as Record<string, unknown>)) {
    // `days` is the list of days behind a veto, or just how many days a deduction rests on.
    const label = key === 'days' && !Array.isArray(value) ? '监测天数' : (EVIDENCE_LABELS[key] ?? key);
    if (Array.isArray(value)) {
      if (value.length > 0) lines.push({ label, value: value.map(entryText) });
    } else if (key === 'failuresByCause') lines.push({ label, value: failuresText(value as Record<string, number>) });
    else if (value !== null && typeof value === 'object') lines.push({ label, value: entryText(value) });
    else lines.push({ label, value: scalar(key, value) });
  }
  return lines;
}
