import { AUDIT_ACTIONS, AuditAction, AuditEntry } from '@app/contracts';
import { ChainedEntry } from './audit-chain';
import { describeEntry, UnitNames, unitReferences } from './audit-describe';

const CITY = '6f1c7a52-7d1e-4c3a-9b2e-0a1b2c3d4e5f';
const COUNTY = '0d6e2f4a-1b3c-4d5e-8f70-112233445566';
const RECORD = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';

const names: UnitNames = {
  byId: new Map([
    [CITY, { code: '130300', name: '秦皇岛市' }],
    [COUNTY, { code: '130302', name: '海港区' }],
  ]),
  byCode: new Map([
    ['130300', { code: '130300', name: '秦皇岛市' }],
    ['130302', { code: '130302', name: '海港区' }],
  ]),
};

const SITE = { siteName: '秦皇岛市人民政府网站', siteCode: '1303000001' };

/** What each service writes for each action (the shapes of their AuditTrail.record calls). */
const SAMPLES: Record<AuditAction, Partial<AuditEntry>> = {
  'auth.login': {},
  'auth.locked': { outcome: 'failure' },
  'auth.change-password': { targetType: 'account', targetId: '130300' },
  'auth.logout': { targetType: 'account', targetId: '130300' },
  'account.create': { actorUsername: null, targetType: 'account', targetId: '130302', details: { orgUnitId: COUNTY } },
  'account.reset-to-initial': { actorUsername: 'support', targetType: 'account', targetId: '130302' },
  'account.unlock': { actorUsername: 'support', targetType: 'account', targetId: '130302' },
  'node-request.create': { targetType: 'node-request', targetId: RECORD, details: { code: '130399', name: '新区' } },
  'node-request.approve': {
    targetType: 'node-request',
    targetId: RECORD,
    details: { code: '130399', orgUnitId: COUNTY },
  },
  'node-request.reject': { targetType: 'node-request', targetId: RECORD, details: { code: '130399' } },
  'org-unit.contact.update': { targetType: 'org-unit', targetId: CITY, details: { code: '130300' } },
  'org-unit.zero-report.declare': { targetType: 'org-unit', targetId: COUNTY },
  'org-unit.zero-report.withdraw': { targetType: 'org-unit', targetId: COUNTY },
  'stats.remind': {
    targetType: 'org-unit',
    targetId: COUNTY,
    details: { day: '2026-12-02', mailed: true, pending: 0, reported: false },
  },
  'record.edit': { targetType: 'record', targetId: RECORD, details: { siteName: SITE.siteName, version: 2 } },
  'record.delete': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, homepageUrl: 'http://www.qhd.gov.cn', status: 'DRAFT' },
  },
  'record.import': {
    targetType: 'import-job',
    targetId: RECORD,
    details: { created: 3, updated: 1, unchanged: 0, rejected: 0 },
  },
  'record.submit': {
    targetType: 'record',
    targetId: RECORD,
    details: { siteName: SITE.siteName, from: 'DRAFT', to: 'PENDING', toHolder: CITY },
  },
  'record.approve': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, from: 'PENDING', to: 'APPROVED', toHolder: CITY },
  },
  'record.return': {
    targetType: 'record',
    targetId: RECORD,
    details: { siteName: SITE.siteName, from: 'PENDING', to: 'RETURNED', toHolder: COUNTY, reason: '名称有误' },
  },
  'record.request-change': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, toHolder: CITY, reason: '更换负责人' },
  },
  'record.request-close': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, toHolder: CITY, reason: '网站改版', expectedReopenDate: '2027-03-01' },
  },
  'record.request-reopen': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, toHolder: CITY, reason: '改版完成' },
  },
  'record.request-deregister': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, toHolder: CITY, reason: '网站整合' },
  },
  'record.request-withdraw': { targetType: 'record', targetId: RECORD, details: { ...SITE, requestKind: 'CLOSE' } },
  'record.submitAll': { targetType: 'org-unit', targetId: CITY, details: { count: 4, approved: 0, forwarded: 0 } },
  'record.reviewAll': { targetType: 'org-unit', targetId: CITY, details: { count: 4, approved: 1, forwarded: 3 } },
  'site-code.recovery': {
    actorUsername: null,
    targetType: 'record',
    targetId: RECORD,
    details: { siteName: SITE.siteName, matched: 1, mailed: 1, client: '10.0.0.1' },
  },
  'site-auth.login': { actorOrgUnitId: null, actorUsername: SITE.siteCode, targetType: 'record', details: SITE },
  'site-auth.locked': {
    outcome: 'failure',
    actorUsername: null,
    targetType: 'record',
    details: { ...SITE, client: '10.0.0.1' },
  },
  'self-assessment.save': { targetType: 'record', targetId: SITE.siteCode, details: { ...SITE, answered: 3 } },
  'self-assessment.submit': {
    targetType: 'record',
    targetId: SITE.siteCode,
    details: { ...SITE, sheetVersion: '1', verdictLabel: '不合格', score: null, vetoes: ['栏目不更新'] },
  },
  'self-assessment.reopen': { targetType: 'record', targetId: SITE.siteCode, details: { ...SITE, reason: '证据不全' } },
  'inspection.create': {
    targetType: 'inspection',
    targetId: RECORD,
    details: {
      name: '2026年第一次抽查',
      orgUnitId: CITY,
      orgUnitName: '秦皇岛市',
      mode: 'percent',
      value: 10,
      seed: 'a1b2',
      population: 30,
      sampled: 3,
    },
  },
  'inspection.close': {
    targetType: 'inspection',
    targetId: RECORD,
    details: { name: '2026年第一次抽查', sampled: 3, submitted: 2, pass: 1, fail: 1 },
  },
  'inspection.site.save': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, inspectionName: '2026年第一次抽查', answered: 2 },
  },
  'inspection.site.submit': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, inspectionName: '2026年第一次抽查', sheetVersion: '1', verdictLabel: '合格', score: 88 },
  },
  'inspection.site.reopen': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, inspectionName: '2026年第一次抽查', verdictLabel: '合格', reason: '证据不全' },
  },
  'evidence.upload': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, scope: 'self', key: 'homepage', itemName: '首页可用性', fileName: '截图.png', size: 204800 },
  },
  'evidence.download': {
    targetType: 'record',
    targetId: RECORD,
    details: {
      ...SITE,
      scope: 'inspection',
      inspectionName: '2026年第一次抽查',
      itemName: '首页可用性',
      fileName: '截图.png',
    },
  },
  'evidence.delete': {
    targetType: 'record',
    targetId: RECORD,
    details: { ...SITE, scope: 'self', itemName: '首页可用性', fileName: '截图.png' },
  },
  'assessment.stats.export': {
    targetType: 'org-unit',
    targetId: CITY,
    details: { unitName: '秦皇岛市', rows: 9, failures: 3 },
  },
  'monitoring.probe': {
    targetType: 'record',
    targetId: SITE.siteCode,
    details: { ...SITE, url: 'http://www.example.gov.cn/', cause: 'timeout', causeLabel: '访问超时', elapsedMs: 15000 },
  },
  'file.download': { targetType: 'file', targetId: RECORD, details: { name: '下级单位账号.xlsx' } },
  'export.records': {
    targetType: 'export',
    targetId: null,
    details: { rows: 12, mode: 'download', filters: { scope: 'subtree', status: 'APPROVED', q: '秦皇岛' } },
  },
  'export.request': {
    targetType: 'export',
    targetId: RECORD,
    details: { kind: 'records', filters: { scope: 'held' } },
  },
  'export.complete': {
    targetType: 'export',
    targetId: RECORD,
    details: { rows: 86000, fileName: '报送记录-20261202.xlsx' },
  },
  'import.preview': { targetType: 'import-job', targetId: RECORD, details: { fileName: '上报.zip', size: 2097152 } },
  'import.start': { targetType: 'import-job', targetId: RECORD, details: { fileName: '上报.zip', size: 2097152 } },
  'import.package.download': { targetType: 'import-job', targetId: RECORD, details: { fileName: '上报.zip' } },
  'import.package.expire': {
    actorUsername: null,
    targetType: 'import-job',
    targetId: RECORD,
    details: { fileName: '上报.zip', size: 1024, reason: 'dry-run', retentionSeconds: 604800 },
  },
  'import.package.orphan': {
    actorUsername: null,
    targetType: 'org-unit',
    targetId: CITY,
    details: { objectKey: `imports/${CITY}/${RECORD}.zip`, size: 1048576, ageSeconds: 3700, graceSeconds: 3600 },
  },
  'audit.purge': {
    actorUsername: null,
    targetType: 'audit-log',
    details: { purged: 10, throughSeq: 10, retentionDays: 180, cutoff: '2026-01-01T00:00:00.000Z' },
  },
  'audit.export': { actorUsername: 'auditor', targetType: 'audit-log', details: { rows: 12 } },
  'field.rekey': {
    actorUsername: null,
    targetType: 'encryption-key',
    targetId: '1a2b3c4d',
    details: { keyId: '1a2b3c4d', operator: 'ops', scanned: 20, resealed: 18, current: 2, failed: 0 },
  },
};

function entry(action: AuditAction, overrides: Partial<AuditEntry>): ChainedEntry {
  return {
    id: RECORD,
    at: '2026-05-01T00:30:00.000Z',
    service: 'review',
    action,
    outcome: 'success',
    actorAccountId: overrides.actorUsername === null ? null : RECORD,
    actorUsername: '130300',
    actorOrgUnitId: overrides.actorUsername === undefined ? CITY : null,
    targetType: null,
    targetId: null,
    details: null,
    correlationId: RECORD,
    seq: 1,
    prevHash: '0'.repeat(64),
    hash: 'f'.repeat(64),
    ...overrides,
  };
}

describe('the audit log in Chinese', () => {
  it.each(AUDIT_ACTIONS)('%s reads as a Chinese sentence with names, no ids or JSON', (action) => {
    const view = describeEntry(entry(action, SAMPLES[action]), names);
    for (const text of [view.actionName, view.actorName, view.targetName, view.summary]) {
      expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-/i);
      expect(text).not.toMatch(/[{}"]/);
      expect(text).toMatch(/[\u4e00-\u9fff]|^—$/);
    }
    expect(view.summary.length).toBeGreaterThan(3);
  });

  it('names units and sites', () => {
    const returned = describeEntry(entry('record.return', SAMPLES['record.return']), names);
    expect(returned).toMatchObject({
      actionName: '退回',
      actorName: '秦皇岛市（130300）',
      targetName: '网站「秦皇岛市人民政府网站」',
      summary: '网站「秦皇岛市人民政府网站」由「未审核」变为「已退回」，现由海港区处理；退回原因：名称有误',
    });
    const approved = describeEntry(entry('record.approve', SAMPLES['record.approve']), names);
    expect(approved.targetName).toBe('网站「秦皇岛市人民政府网站」（标识码 1303000001）');
    expect(describeEntry(entry('account.unlock', SAMPLES['account.unlock']), names)).toMatchObject({
      actorName: '技术支持（support）',
      targetName: '海港区的账号（130302）',
    });
    expect(describeEntry(entry('audit.purge', SAMPLES['audit.purge']), names).actorName).toBe('系统');
    expect(describeEntry(entry('record.request-close', SAMPLES['record.request-close']), names).summary).toBe(
      '为网站「秦皇岛市人民政府网站」（标识码 1303000001）提出关停申请，报送秦皇岛市审核；理由：网站改版；预计恢复日期 2027-03-01',
    );
    const appliedClose = {
      ...SAMPLES['record.approve'],
      details: { ...SAMPLES['record.approve'].details, requestKind: 'CLOSE' },
    };
    expect(describeEntry(entry('record.approve', appliedClose), names).summary).toContain(
      '（关停申请，终审通过，已生效）',
    );
    expect(describeEntry(entry('auth.login', { outcome: 'failure' }), names).actionName).toBe('登录失败');
  });

  it('asks hierarchy for exactly the units a page names', () => {
    const page = AUDIT_ACTIONS.map((action) => entry(action, SAMPLES[action]));
    const { ids, codes } = unitReferences(page);
    expect(new Set(ids)).toEqual(new Set([CITY, COUNTY]));
    expect(new Set(codes)).toEqual(new Set(['130300', '130302', 'support', 'auditor']));
  });
});
