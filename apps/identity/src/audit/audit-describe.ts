import {
  AUDIT_OUTCOME_NAMES,
  AuditEntry,
  auditActionName,
  AuditEntryView,
  RECORD_STATUS_LABELS,
  RecordStatus,
} from '@app/contracts';
import { ChainedEntry } from './audit-chain';

/** A unit as the auditor reads it. */
export interface UnitName {
  code: string;
  name: string;
}

/** Unit names looked up for one page of entries (by id and by code). */
export interface UnitNames {
  byId: ReadonlyMap<string, UnitName>;
  byCode: ReadonlyMap<string, UnitName>;
}

const SYSTEM_ACCOUNTS: Readonly<Record<string, string>> = {
  support: '技术支持',
  auditor: '审计员',
};

const UUID_V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/i;

/** The unit ids and codes a page of entries names, to look up in one request. */
/** A site signed in with its 校验码 acts under its 10-character 标识码 (unit codes have 6). */
const SITE_ACTOR = /^[0-9A-Za-z]{6}\d{4}$/;

export function unitReferences(entries: AuditEntry[]): { ids: string[]; codes: string[] } {
  const ids = new Set<string>();
  const codes = new Set<string>();
  for (const e of entries) {
    if (e.actorOrgUnitId) ids.add(e.actorOrgUnitId);
    if (e.targetType === 'org-unit' && e.targetId) ids.add(e.targetId);
    if (e.targetType === 'account' && e.targetId) codes.add(e.targetId);
    if (e.actorUsername && !e.actorOrgUnitId && !SITE_ACTOR.test(e.actorUsername)) codes.add(e.actorUsername);
    const details = e.details ?? {};
    for (const key of ['orgUnitId', 'toHolder']) if (typeof details[key] === 'string') ids.add(details[key] as string);
  }
  return { ids: [...ids].filter((id) => UUID_V4.test(id)), codes: [...codes].filter((c) => c.length <= 16) };
}

/** An entry with its Chinese names and a readable sentence for its details. */
export function describeEntry(entry: ChainedEntry, names: UnitNames): AuditEntryView {
  return {
    ...entry,
    actionName: auditActionName(entry.action, entry.outcome),
    outcomeName: AUDIT_OUTCOME_NAMES[entry.outcome] ?? entry.outcome,
    actorName: actorName(entry, names),
    targetName: targetName(entry, names),
    summary: summary(entry, names),
  };
}

function unitLabel(unit: UnitName | undefined, fallback: string): string {
  return unit ? `${unit.name}（${unit.code}）` : fallback;
}

function actorName(e: AuditEntry, names: UnitNames): string {
  if (!e.actorUsername && !e.actorAccountId) return '系统';
  const username = e.actorUsername ?? '';
  if (SYSTEM_ACCOUNTS[username]) return `${SYSTEM_ACCOUNTS[username]}（${username}）`;
  if (!e.actorOrgUnitId && SITE_ACTOR.test(username)) return `网站（标识码 ${username}）`;
  const unit =
    (e.actorOrgUnitId ? names.byId.get(e.actorOrgUnitId) : undefined) ?? names.byCode.get(username) ?? undefined;
  return unit ? `${unit.name}（${username}）` : `账号 ${username}`;
}

function text(details: Record<string, unknown>, key: string): string | undefined {
  const value = details[key];
  return typeof value === 'string' && value !== '' ? value : typeof value === 'number' ? String(value) : undefined;
}

function count(details: Record<string, unknown>, key: string): number {
  const value = details[key];
  return typeof value === 'number' ? value : 0;
}

function status(value: unknown): string {
  return typeof value === 'string' && value in RECORD_STATUS_LABELS
    ? RECORD_STATUS_LABELS[value as RecordStatus]
    : String(value ?? '');
}

function sampleText(d: Record<string, unknown>): string {
  const mode = text(d, 'mode');
  if (mode === 'percent') return `按比例抽查 ${typeof d.value === 'number' ? d.value : ''}%`;
  if (mode === 'count') return `按数量抽查 ${typeof d.value === 'number' ? d.value : ''} 个`;
  return '全部检查';
}

function site(details: Record<string, unknown>): string | undefined {
  const name = text(details, 'siteName');
  if (!name) return undefined;
  const code = text(details, 'siteCode');
  return `网站「${name}」${code ? `（标识码 ${code}）` : ''}`;
}

function accountLabel(username: string, names: UnitNames): string {
  if (SYSTEM_ACCOUNTS[username]) return `${SYSTEM_ACCOUNTS[username]}账号（${username}）`;
  const unit = names.byCode.get(username);
  return unit ? `${unit.name}的账号（${username}）` : `账号 ${username}`;
}

function targetName(e: AuditEntry, names: UnitNames): string {
  const details = e.details ?? {};
  switch (e.targetType) {
    case null:
      return '—';
    case 'record':
      return site(details) ?? '网站记录';
    case 'org-unit':
      return unitLabel(e.targetId ? names.byId.get(e.targetId) : undefined, '单位');
    case 'account':
      return e.targetId ? accountLabel(e.targetId, names) : '账号';
    case 'node-request': {
      const name = text(details, 'name');
      const code = text(details, 'code');
      return name ? `新增单位申请「${name}」${code ? `（${code}）` : ''}` : `新增单位申请${code ? `（${code}）` : ''}`;
    }
    case 'import-job': {
      const file = text(details, 'fileName');
      return file ? `导入文件「${file}」` : '导入任务';
    }
    case 'file': {
      const file = text(details, 'name');
      return file ? `文件「${file}」` : '文件';
    }
    case 'audit-log':
      return '审计日志';
    case 'inspection': {
      const name = text(details, 'name');
      return name ? `检查「${name}」` : '检查';
    }
    case 'encryption-key':
      return `字段加密密钥（编号 ${e.targetId ?? '—'}）`;
    case 'export': {
      const file = text(details, 'fileName');
      return file ? `导出文件「${file}」` : '导出任务';
    }
    default:
      return e.targetType;
  }
}

/** An export's filters in words: 范围、状态、搜索词. */
function exportFilters(d: Record<string, unknown>): string {
  const filters = (typeof d.filters === 'object' && d.filters !== null ? d.filters : {}) as Record<string, unknown>;
  const parts = [filters.scope === 'held' ? '待本单位处理' : '本单位及下级'];
  if (typeof filters.status === 'string') parts.push(`状态 ${status(filters.status)}`);
  if (typeof filters.q === 'string' && filters.q !== '') parts.push(`搜索「${filters.q}」`);
  return parts.join('，');
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function beijing(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const local = new Date(date.getTime() + 8 * 3600_000).toISOString();
  return `${local.slice(0, 10)} ${local.slice(11, 19)}`;
}

const REQUEST_KIND_NAMES: Readonly<Record<string, string>> = {
  CHANGE: '变更',
  CLOSE: '关停',
  REOPEN: '恢复',
  DEREGISTER: '注销',
};

function requestKind(value: unknown): string {
  return typeof value === 'string' ? (REQUEST_KIND_NAMES[value] ?? value) : '';
}

/** The details as one sentence, in Chinese, with names instead of ids. */
function summary(e: AuditEntry, names: UnitNames): string {
  const d = e.details ?? {};
  const target = targetName(e, names);
  const holder = typeof d.toHolder === 'string' ? names.byId.get(d.toHolder) : undefined;
  const move = () =>
    `${target}由「${status(d.from)}」变为「${status(d.to)}」${holder ? `，现由${holder.name}处理` : ''}` +
    (text(d, 'reason') ? `；退回原因：${text(d, 'reason')}` : '') +
    (text(d, 'requestKind')
      ? `（${requestKind(d.requestKind)}申请${d.to === 'APPROVED' ? '，终审通过，已生效' : ''}）`
      : '');
  const request = (kind: string) =>
    `为${target}提出${kind}申请${holder ? `，报送${holder.name}审核` : ''}` +
    (text(d, 'reason') ? `；理由：${text(d, 'reason')}` : '') +
    (text(d, 'expectedReopenDate') ? `；预计恢复日期 ${text(d, 'expectedReopenDate')}` : '');
  switch (e.action) {
    case 'auth.login':
      return e.outcome === 'success' ? '登录成功' : '密码错误，登录失败';
    case 'auth.locked':
      return `连续输错密码，账号在${text(d, 'client') ? `终端 ${text(d, 'client')} ` : '该终端'}上被暂时锁定，已登录的会话随之结束`;
    case 'auth.change-password':
      return '修改了自己的登录密码';
    case 'auth.logout':
      return '退出登录，此前签发的登录凭证全部失效';
    case 'account.create': {
      const unit = typeof d.orgUnitId === 'string' ? names.byId.get(d.orgUnitId) : undefined;
      return `为${unit ? unit.name : '新单位'}创建账号 ${e.targetId ?? ''}，初始密码由上级单位下发`;
    }
    case 'account.reset-to-initial':
      return e.outcome === 'success'
        ? `核验身份信息一致，将${target}的密码重置为初始密码`
        : `核验身份信息不一致，未重置${target}的密码`;
    case 'account.unlock':
      return `解除${target}的登录锁定`;
    case 'node-request.create':
      return `提交${target}`;
    case 'node-request.approve': {
      const unit = typeof d.orgUnitId === 'string' ? names.byId.get(d.orgUnitId) : undefined;
      return `批准${target}${unit ? `，已建立单位「${unit.name}」` : ''}`;
    }
    case 'node-request.reject':
      return `驳回${target}`;
    case 'org-unit.contact.update':
      return `修改${target}的联系人信息`;
    case 'org-unit.zero-report.declare':
      return `声明${target}没有政府网站（零报送），该单位计为已报送`;
    case 'org-unit.zero-report.withdraw':
      return `撤回${target}的零报送声明`;
    case 'stats.remind':
      return `向${target}发出催报${d.mailed === true ? '（站内通知和邮件）' : '（站内通知；该单位没有联系人邮箱）'}`;
    case 'record.edit':
      return `修改${target}的信息${typeof d.version === 'number' ? `（第 ${d.version} 版）` : ''}`;
    case 'record.delete':
      return `删除${target}${text(d, 'homepageUrl') ? `（首页 ${text(d, 'homepageUrl')}` : '（'}，删除前状态「${status(d.status)}」）`;
    case 'record.submit':
    case 'record.approve':
    case 'record.return':
      return move();
    case 'record.request-change':
      return request('变更');
    case 'record.request-close':
      return request('关停');
    case 'record.request-reopen':
      return request('恢复');
    case 'record.request-deregister':
      return request('注销');
    case 'record.request-withdraw':
      return `撤回${target}的${requestKind(d.requestKind)}申请，记录恢复为「已审核」`;
    case 'record.submitAll':
      return `一次提交本单位 ${count(d, 'count')} 条网站信息`;
    case 'record.reviewAll':
      return `一次审核 ${count(d, 'count')} 条网站信息：审核通过 ${count(d, 'approved')} 条，报送上级 ${count(d, 'forwarded')} 条`;
    case 'record.import':
      return e.outcome === 'success'
        ? `导入入库：新增 ${count(d, 'created')} 条，更新 ${count(d, 'updated')} 条，未变 ${count(d, 'unchanged')} 条，有误 ${count(d, 'rejected')} 条`
        : `导入未入库：有误 ${count(d, 'rejected')} 条，其余 ${count(d, 'created') + count(d, 'updated') + count(d, 'unchanged')} 条未写入`;
    case 'import.preview':
    case 'import.start':
      return `上传${target}${typeof d.size === 'number' ? `（${megabytes(d.size)}）` : ''}${e.action === 'import.preview' ? '预检，不改变数据' : '导入'}`;
    case 'import.package.download':
      return `下载${target}的原件`;
    case 'import.package.expire':
      return `${d.reason === 'dry-run' ? '预检' : '未通过的导入'}文件「${text(d, 'fileName') ?? '未命名'}」已过保留期限，系统自动删除`;
    case 'import.package.orphan':
      return `一个上传文件（${megabytes(count(d, 'size'))}）存放超过 ${count(d, 'graceSeconds')} 秒仍没有对应的导入任务（例如上传时导入服务未应答），系统自动删除`;
    case 'file.download':
      return e.outcome === 'success' ? `下载${target}` : `无权下载${target}，已拒绝`;
    case 'site-auth.login':
      if (e.outcome === 'denied')
        return `网站${text(d, 'lifecycle') === 'DEREGISTERED' ? '已注销' : '已关停'}，拒绝其登录自查评分（标识码 ${text(d, 'siteCode') ?? ''}）`;
      return e.outcome === 'success'
        ? '以网站标识码和校验码登录自查评分'
        : `网站标识码或校验码错误，网站登录失败${text(d, 'siteCode') ? `（标识码 ${text(d, 'siteCode')}）` : ''}`;
    case 'site-auth.locked':
      return `连续输错校验码，网站标识码 ${text(d, 'siteCode') ?? ''} 在${text(d, 'client') ? `终端 ${text(d, 'client')} ` : '该终端'}上被暂时锁定`;
    case 'self-assessment.save':
      return `保存自查评分，本次填写 ${count(d, 'answered')} 项`;
    case 'self-assessment.submit': {
      const vetoes = Array.isArray(d.vetoes) ? (d.vetoes as unknown[]).filter((v) => typeof v === 'string') : [];
      const score = typeof d.score === 'number' ? `，得分 ${d.score}` : '';
      return `提交自查评分（评分表第${text(d, 'sheetVersion') ?? ''}版）：${text(d, 'verdictLabel') ?? ''}${score}${vetoes.length > 0 ? `，单项否决：${vetoes.join('、')}` : ''}`;
    }
    case 'self-assessment.reopen':
      return `退回自查评分，网站可修改后重新提交；退回原因：${text(d, 'reason') ?? ''}`;
    case 'inspection.create':
      return `发起检查打分「${text(d, 'name') ?? ''}」：检查「${text(d, 'orgUnitName') ?? ''}」及其下级单位，${sampleText(d)}，从 ${count(d, 'population')} 个运行中网站抽取 ${count(d, 'sampled')} 个（随机种子 ${text(d, 'seed') ?? ''}）`;
    case 'inspection.close':
      return `结束检查打分「${text(d, 'name') ?? ''}」：抽查 ${count(d, 'sampled')} 个网站，已提交 ${count(d, 'submitted')} 个（合格 ${count(d, 'pass')} 个，不合格 ${count(d, 'fail')} 个）`;
    case 'inspection.site.save':
      return `在检查「${text(d, 'inspectionName') ?? ''}」中保存检查评分，本次填写 ${count(d, 'answered')} 项`;
    case 'inspection.site.submit': {
      const vetoes = Array.isArray(d.vetoes) ? (d.vetoes as unknown[]).filter((v) => typeof v === 'string') : [];
      const score = typeof d.score === 'number' ? `，得分 ${d.score}` : '';
      return `在检查「${text(d, 'inspectionName') ?? ''}」中提交检查评分（评分表第${text(d, 'sheetVersion') ?? ''}版）：${text(d, 'verdictLabel') ?? ''}${score}${vetoes.length > 0 ? `，单项否决：${vetoes.join('、')}` : ''}；检查结论取代自查结论`;
    }
    case 'inspection.site.reopen':
      return `在检查「${text(d, 'inspectionName') ?? ''}」中退回检查评分${text(d, 'verdictLabel') ? `（原结论：${text(d, 'verdictLabel')}）` : ''}；退回原因：${text(d, 'reason') ?? ''}`;
    case 'evidence.upload':
      return `${evidenceSheet(d)}为「${text(d, 'itemName') ?? ''}」上传证据文件「${text(d, 'fileName') ?? ''}」（${megabytes(count(d, 'size'))}）`;
    case 'evidence.download':
      return `下载${evidenceSheet(d)}「${text(d, 'itemName') ?? ''}」的证据文件「${text(d, 'fileName') ?? ''}」`;
    case 'evidence.delete':
      return `删除${evidenceSheet(d)}「${text(d, 'itemName') ?? ''}」的证据文件「${text(d, 'fileName') ?? ''}」`;
    case 'assessment.stats.export':
      return `导出${text(d, 'unitName') ? `「${text(d, 'unitName')}」` : ''}评分统计到 Excel：${count(d, 'rows')} 行统计，不合格网站 ${count(d, 'failures')} 个`;
    case 'monitoring.probe':
      return text(d, 'cause')
        ? `立即探测网站首页 ${text(d, 'url') ?? ''}：打不开（${text(d, 'causeLabel') ?? text(d, 'cause')}）`
        : `立即探测网站首页 ${text(d, 'url') ?? ''}：正常打开，用时 ${count(d, 'elapsedMs')} 毫秒`;
    case 'site-code.recovery':
      return `为「${text(d, 'siteName') ?? ''}」找回标识码：匹配 ${count(d, 'matched')} 个网站，发出 ${count(d, 'mailed')} 封邮件`;
    case 'audit.purge':
      return `保留期 ${count(d, 'retentionDays')} 天已过，清理 ${count(d, 'purged')} 条审计记录（序号 ${count(d, 'throughSeq')} 及以前，${beijing(text(d, 'cutoff'))} 之前）；其哈希作为链的起点保留`;
    case 'audit.export':
      return `导出审计日志 ${count(d, 'rows')} 条到 Excel`;
    case 'field.rekey':
      return `运维人员${text(d, 'operator') ? `（主机账号 ${text(d, 'operator')}）` : ''}用当前密钥（编号 ${text(d, 'keyId') ?? '—'}）重新加密字段：共 ${count(d, 'scanned')} 个，重新加密 ${count(d, 'resealed')} 个，已是当前密钥 ${count(d, 'current')} 个${count(d, 'failed') > 0 ? `，无法解密 ${count(d, 'failed')} 个` : ''}`;
    case 'export.records':
      return e.outcome === 'success'
        ? `${text(d, 'mode') === 'job' ? '后台导出' : '导出'}报送记录 ${count(d, 'rows')} 条到 Excel（${exportFilters(d)}）`
        : `直接下载报送记录：符合条件的 ${count(d, 'rows')} 条超过上限 ${count(d, 'maxRows')} 条，转为后台导出`;
    case 'export.request':
      return `申请后台导出报送记录（${exportFilters(d)}），完成后放入文件中心「导出」`;
    case 'export.complete':
      return `后台导出完成：${count(d, 'rows')} 条报送记录，文件「${text(d, 'fileName') ?? ''}」已放入文件中心「导出」`;
    default:
      return Object.entries(d)
        .map(([key, value]) => `${key}：${typeof value === 'object' ? JSON.stringify(value) : String(value)}`)
        .join('；');
  }
}

/** Whose sheet an evidence file belongs to: 自查评分, or an inspection's 检查评分. */
function evidenceSheet(d: Record<string, unknown>): string {
  return text(d, 'scope') === 'inspection' ? `检查「${text(d, 'inspectionName') ?? ''}」的检查评分中` : '自查评分中';
}
