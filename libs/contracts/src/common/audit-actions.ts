/**
 * Every action the audit log records, by its code, with the name the auditor reads. A code
 * used in `AuditTrail.record` / `AuditService.record` must be listed here (the type of
 * `AuditEvent.action` says so, and audit-actions.spec.ts scans the sources for any that
 * slipped past it).
 */
export const AUDIT_ACTION_NAMES = {
  'auth.login': '登录',
  'auth.locked': '账号锁定',
  'auth.change-password': '修改密码',
  'auth.logout': '退出登录',
  'account.create': '创建账号',
  'account.reset-to-initial': '重置密码',
  'account.unlock': '解锁账号',
  'node-request.create': '申请新增单位',
  'node-request.approve': '批准新增单位',
  'node-request.reject': '驳回新增单位',
  'org-unit.contact.update': '修改联系人',
  'org-unit.zero-report.declare': '声明零报送',
  'org-unit.zero-report.withdraw': '撤回零报送',
  'stats.remind': '催报',
  'record.edit': '修改网站信息',
  'record.delete': '删除网站',
  'record.import': '导入入库',
  'record.submit': '提交审核',
  'record.approve': '审核通过',
  'record.return': '退回',
  'record.submitAll': '全部提交',
  'record.reviewAll': '全部审核',
  'record.request-change': '申请变更',
  'record.request-close': '申请关停',
  'record.request-reopen': '申请恢复',
  'record.request-deregister': '申请注销',
  'record.request-withdraw': '撤回申请',
  'site-code.recovery': '标识码找回',
  'site-auth.login': '网站登录',
  'site-auth.locked': '网站登录锁定',
  'self-assessment.save': '保存自查评分',
  'self-assessment.submit': '提交自查评分',
  'self-assessment.reopen': '退回自查评分',
  'inspection.create': '发起检查打分',
  'inspection.close': '结束检查打分',
  'inspection.site.save': '保存检查评分',
  'inspection.site.submit': '提交检查评分',
  'inspection.site.reopen': '退回检查评分',
  'evidence.upload': '上传评分证据',
  'evidence.download': '下载评分证据',
  'evidence.delete': '删除评分证据',
  'assessment.stats.export': '导出评分统计',
  'monitoring.probe': '立即探测网站',
  'file.download': '下载文件',
  'export.records': '导出报送记录',
  'export.request': '申请后台导出',
  'export.complete': '后台导出完成',
  'import.preview': '导入预检',
  'import.start': '导入',
  'import.package.download': '下载导入原件',
  'import.package.expire': '清理过期导入文件',
  'import.package.orphan': '清理无任务的上传文件',
  'audit.purge': '清理过期审计日志',
  'audit.export': '导出审计日志',
  'field.rekey': '字段重新加密',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTION_NAMES;

export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION_NAMES) as AuditAction[];

/** Where the outcome changes the name the auditor reads (登录成功 / 登录失败). */
const NAME_BY_OUTCOME: Partial<Record<AuditAction, Partial<Record<AuditOutcome, string>>>> = {
  'auth.login': { success: '登录成功', failure: '登录失败' },
  'site-auth.login': { success: '网站登录成功', failure: '网站登录失败', denied: '网站登录被拒' },
};

export type AuditOutcome = 'success' | 'denied' | 'failure';

export const AUDIT_OUTCOME_NAMES: Readonly<Record<AuditOutcome, string>> = {
  success: '成功',
  denied: '拒绝',
  failure: '失败',
};

export function isAuditAction(code: string): code is AuditAction {
  return Object.prototype.hasOwnProperty.call(AUDIT_ACTION_NAMES, code);
}

/** The Chinese name of an action (the code itself for one no longer used). */
export function auditActionName(code: string, outcome?: AuditOutcome): string {
  if (!isAuditAction(code)) return code;
  return (outcome && NAME_BY_OUTCOME[code]?.[outcome]) ?? AUDIT_ACTION_NAMES[code];
}
