import { HierarchySubjects } from '@app/contracts';
import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { ActorAssertionSigner, newCorrelationId, runWithContext } from '@app/platform';
import { ApiClient, ApiResponse, eventually } from '@app/testing';
import { METHOD_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import type { OpenAPIObject } from '@nestjs/swagger';
import type {
  OperationObject,
  ResponseObject,
  SchemaObject,
} from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { ACCESS_EXTENSION, ACCESS_METADATA, AccessRule } from '../../apps/gateway/src/auth/access';
import { createOpenApiDocument } from '../../apps/gateway/src/openapi/openapi-document';
import { importAndWait } from '../imports/support';
import { ReviewSystem, Unit } from '../review/support/review-system';

/**
 * Route × role: EVERY operation of the OpenAPI document, called by every kind of caller, on a
 * real target owned by 秦皇岛市 (130300, "the unit"). A route missing from ROUTES, or without an
 * @Access rule, or whose rule differs from the one written here, fails the test.
 *
 * Callers: anonymous; unit accounts in each relation to the unit (the unit itself; 河北省 acting
 * on its child; 海港区 acting on its parent; 石家庄市, a sibling; 山西省, unrelated); the root;
 * support; the auditor; a website of the unit signed in with its 标识码 and 校验码 (SITE). Answers are compared by class: 'ok' is 2xx; 'pass' is any answer that
 * got past authorization (2xx, or a 4xx other than 401/403/404 such as a validation 400 or a
 * state 409); 401, 403 and 404 are exact. Every 401/403/404 carries a Chinese message.
 *
 * Adding a route is one line in ROUTES: `'METHOD /api/v1/path': row(rule, call, overrides?, options?)`,
 * e.g. `'POST /api/v1/auth/logout': row('signed-in', () => post('/auth/logout'), {}, { ownSession: true })`.
 */

type Caller =
  'anonymous' | 'own' | 'onChild' | 'onParent' | 'sibling' | 'unrelated' | 'root' | 'support' | 'auditor' | 'site';
const CALLERS: Caller[] = [
  'anonymous',
  'own',
  'onChild',
  'onParent',
  'sibling',
  'unrelated',
  'root',
  'support',
  'auditor',
  'site',
];
/** The unit, and the unit account of each relation to it. */
const UNIT = '130300';
const CODES: Partial<Record<Caller, string>> = {
  own: UNIT,
  onChild: '130000', // 河北省: the unit is its child
  onParent: '130302', // 海港区: the unit is its parent
  sibling: '130100', // 石家庄市
  unrelated: '140000', // 山西省
};

type Expected = 'ok' | 'pass' | 401 | 403 | 404;

/** What a call needs: the booted system's fixtures. */
interface Fixtures {
  sys: ReviewSystem;
  unit: Unit;
  unitId: string;
  jobId: string;
  fileId: string;
  noticeId: string;
  /** A background export the unit asked for. */
  exportId: string;
  /** A record of the unit, DRAFT (a new one after each successful call that may have changed it). */
  draft(): Promise<string>;
  /** A record of the unit, submitted: PENDING at 河北省. */
  pending(): Promise<string>;
  /** A record of the unit, finally approved by 河北省 (it has its 标识码). */
  approved(): Promise<string>;
  /** An approved record of the unit with a 关停 request waiting at 河北省. */
  requested(): Promise<string>;
  /** A node request of the unit, PENDING at the root. */
  nodeRequest(): Promise<string>;
  /** The 标识码 of an approved site of the unit: the one the `site` caller signed in as. */
  siteCode: string;
  /** An open inspection (检查打分) the unit made of its subtree, all sites drawn (the site among them). */
  inspection(): Promise<string>;
  /** An evidence file the site uploaded for its (draft) self-assessment. */
  evidence(): Promise<string>;
}

interface Call {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Under /api/v1. */
  path: string;
  body?: unknown;
  /** Sent as multipart/form-data, the one field `file` (an upload). */
  file?: { name: string; bytes: Buffer };
}

interface RowOptions {
  /** The call changes its target when it succeeds: the next caller gets a fresh one. */
  consumes?: boolean;
  /** The call ends the caller's session (e.g. logout): it is made with a token of its own. */
  ownSession?: boolean;
}

interface Row extends RowOptions {
  rule: AccessRule[];
  call: (f: Fixtures, caller: Caller) => Promise<Call> | Call;
  expected: Record<Caller, Expected>;
}

/** What each rule lets through at the gateway; a row overrides what the service decides on its target. */
function defaults(rule: AccessRule): Record<Caller, Expected> {
  const all = (value: Expected) => Object.fromEntries(CALLERS.map((c) => [c, value])) as Record<Caller, Expected>;
  switch (rule) {
    case 'public':
      return all('pass');
    case 'signed-in':
      return { ...all('pass'), anonymous: 401, site: 403 };
    case 'unit-own':
    case 'unit-subtree':
      return { ...all('pass'), anonymous: 401, support: 403, auditor: 403, site: 403 };
    case 'root':
    case 'support':
    case 'auditor':
      return { ...all(403), anonymous: 401, [rule]: 'pass' };
    case 'site-own':
      return { ...all(403), anonymous: 401, site: 'pass' };
  }
}

/**
 * One route: its rule (or rules: any of them lets the caller in), the call, and the answers where
 * the service decides more than the rule says (the target's relation to the caller).
 */
function row(
  rule: AccessRule | AccessRule[],
  call: Row['call'],
  overrides: Partial<Record<Caller, Expected>> = {},
  options: RowOptions = {},
): Row {
  const rules = Array.isArray(rule) ? rule : [rule];
  const byRule = rules.map(defaults);
  const expected = Object.fromEntries(
    CALLERS.map((caller) => {
      const answers = byRule.map((answer) => answer[caller]);
      return [caller, answers.find((answer) => answer === 'pass') ?? answers[0]];
    }),
  ) as Record<Caller, Expected>;
  return { rule: rules, call, expected: { ...expected, ...overrides }, ...options };
}

const get = (path: string): Call => ({ method: 'GET', path });
/** An evidence upload's bytes (a PNG header is enough: the kind goes by the file name). */
const SCREENSHOT = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(512, 1)]);
const post = (path: string, body?: unknown): Call => ({ method: 'POST', path, body });

/** A target of the unit's subtree: the unit and 河北省 and the root see it, nobody else. */
const SUBTREE = { onParent: 404, sibling: 404, unrelated: 404 } as const;
/** An edit of the unit's record: the owner only; above it 403 (NOT_RECORD_OWNER), outside the subtree 404. */
const OWNER_EDIT = { onChild: 403, root: 403, ...SUBTREE } as const;
/** The unit's own data, reached by id: any other unit account gets 404. */
const OWN_BY_ID = { onChild: 404, onParent: 404, sibling: 404, unrelated: 404, root: 404 } as const;

const contact = {
  name: '李四',
  officePhone: '0335-3031234',
  mobile: '13900139000',
  email: 'lisi@qhd.gov.cn',
  department: '信息中心',
};

const ROUTES: Record<string, Row> = {
  'GET /api/v1/health': row('public', () => get('/health')),
  'POST /api/v1/auth/login': row('public', () => post('/auth/login', { username: UNIT })),
  'POST /api/v1/site-auth/login': row('public', () => post('/site-auth/login', { siteCode: '1303000001' })),
  'POST /api/v1/auth/change-password': row('signed-in', () => post('/auth/change-password', {})),
  'POST /api/v1/auth/logout': row('signed-in', () => post('/auth/logout'), {}, { ownSession: true }),
  'GET /api/v1/me': row('signed-in', () => get('/me'), { own: 'ok', root: 'ok', support: 'ok', auditor: 'ok' }),
  'POST /api/v1/imports': row('unit-own', () => post('/imports')),
  'GET /api/v1/imports': row('unit-own', () => get('/imports'), { own: 'ok' }),
  'GET /api/v1/imports/{jobId}/package': row('unit-own', (f) => get(`/imports/${f.jobId}/package`), {
    own: 'ok',
    ...OWN_BY_ID,
  }),
  'GET /api/v1/imports/{jobId}/report': row('unit-own', (f) => get(`/imports/${f.jobId}/report`), {
    own: 'ok',
    ...OWN_BY_ID,
  }),
  'GET /api/v1/imports/{jobId}': row('unit-own', (f) => get(`/imports/${f.jobId}`), { own: 'ok', ...OWN_BY_ID }),
  'GET /api/v1/org-units/{id}': row('unit-subtree', (f) => get(`/org-units/${f.unitId}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    onParent: 403,
    sibling: 403,
    unrelated: 403,
  }),
  'GET /api/v1/org-units/{id}/children': row('unit-subtree', (f) => get(`/org-units/${f.unitId}/children`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    onParent: 403,
    sibling: 403,
    unrelated: 403,
  }),
  'PUT /api/v1/org-units/{id}/contact': row(
    'unit-own',
    (f) => ({ method: 'PUT', path: `/org-units/${f.unitId}/contact`, body: contact }),
    { own: 'ok', onChild: 403, onParent: 403, sibling: 403, unrelated: 403, root: 403 },
  ),
  'POST /api/v1/org-units/{id}/zero-report': row(
    'unit-own',
    (f) => post(`/org-units/${f.unitId}/zero-report`),
    // The unit owns records: refused (409), past authorization.
    { onChild: 403, onParent: 403, sibling: 403, unrelated: 403, root: 403 },
  ),
  'DELETE /api/v1/org-units/{id}/zero-report': row(
    'unit-own',
    (f) => ({ method: 'DELETE', path: `/org-units/${f.unitId}/zero-report` }),
    // Nothing declared: 409, past authorization.
    { onChild: 403, onParent: 403, sibling: 403, unrelated: 403, root: 403 },
  ),
  'GET /api/v1/stats/units': row('unit-subtree', (f) => get(`/stats/units?orgUnitId=${f.unitId}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    onParent: 403,
    sibling: 403,
    unrelated: 403,
  }),
  'GET /api/v1/stats/units/export': row('unit-subtree', (f) => get(`/stats/units/export?orgUnitId=${f.unitId}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    onParent: 403,
    sibling: 403,
    unrelated: 403,
  }),
  // Any unit may ask; units outside its subtree come back under `skipped`.
  'POST /api/v1/stats/reminders': row('unit-subtree', (f) => post('/stats/reminders', { orgUnitIds: [f.unitId] }), {
    own: 'ok',
    onChild: 'ok',
    onParent: 'ok',
    sibling: 'ok',
    unrelated: 'ok',
    root: 'ok',
  }),
  'POST /api/v1/node-requests': row('unit-own', () => post('/node-requests', { name: '测试新区', reason: '新设立' })),
  'GET /api/v1/node-requests': row('unit-own', () => get('/node-requests'), { own: 'ok', root: 'ok' }),
  'POST /api/v1/node-requests/{id}/approve': row(
    'root',
    async (f) => post(`/node-requests/${await f.nodeRequest()}/approve`),
    { root: 'ok' },
    { consumes: true },
  ),
  'POST /api/v1/node-requests/{id}/reject': row(
    'root',
    async (f) => post(`/node-requests/${await f.nodeRequest()}/reject`, { reason: '不符合设立条件' }),
    { root: 'ok' },
    { consumes: true },
  ),
  'GET /api/v1/files': row('unit-own', () => get('/files'), { own: 'ok' }),
  'GET /api/v1/files/{id}/download': row('unit-own', (f) => get(`/files/${f.fileId}/download`), {
    own: 'ok',
    onChild: 403,
    onParent: 403,
    sibling: 403,
    unrelated: 403,
    root: 403,
  }),
  'GET /api/v1/notices': row('unit-own', () => get('/notices'), { own: 'ok' }),
  'POST /api/v1/notices/{id}/read': row('unit-own', (f) => post(`/notices/${f.noticeId}/read`), {
    own: 'ok',
    ...OWN_BY_ID,
  }),
  'GET /api/v1/admin/accounts': row('support', () => get(`/admin/accounts?q=${UNIT}`), { support: 'ok' }),
  'POST /api/v1/admin/accounts/{username}/reset-password': row('support', () =>
    post(`/admin/accounts/${UNIT}/reset-password`, {}),
  ),
  // Support unlocks any account; the root only the support account (so not this one: 403).
  'POST /api/v1/admin/accounts/{username}/unlock': row(
    ['support', 'root'],
    () => post(`/admin/accounts/${UNIT}/unlock`),
    { support: 'ok', root: 403 },
  ),
  'GET /api/v1/admin/audit': row('auditor', () => get('/admin/audit'), { auditor: 'ok' }),
  'GET /api/v1/admin/audit/actions': row('auditor', () => get('/admin/audit/actions'), { auditor: 'ok' }),
  'GET /api/v1/admin/audit/verify': row('auditor', () => get('/admin/audit/verify'), { auditor: 'ok' }),
  'GET /api/v1/admin/audit/export': row('auditor', () => get('/admin/audit/export'), { auditor: 'ok' }),
  'GET /api/v1/forms': row('unit-subtree', () => get('/forms'), { own: 'ok', root: 'ok' }),
  'GET /api/v1/forms/export': row('unit-subtree', () => get('/forms/export'), { own: 'ok', root: 'ok' }),
  // A records export: unit accounts; the auditor may ask only for the audit log (403 here).
  'POST /api/v1/exports': row(
    ['unit-subtree', 'auditor'],
    () => post('/exports', { kind: 'records', filters: { scope: 'held' } }),
    { own: 'ok', root: 'ok', auditor: 403 },
  ),
  'GET /api/v1/exports/{id}': row(['unit-subtree', 'auditor'], (f) => get(`/exports/${f.exportId}`), {
    own: 'ok',
    ...OWN_BY_ID,
    auditor: 404,
  }),
  'GET /api/v1/exports/{id}/download': row(['unit-subtree', 'auditor'], (f) => get(`/exports/${f.exportId}/download`), {
    own: 'ok',
    ...OWN_BY_ID,
    auditor: 404,
  }),
  'POST /api/v1/forms/submit-all': row('unit-own', () => post('/forms/submit-all')),
  'POST /api/v1/forms/review-all': row('unit-own', () => post('/forms/review-all')),
  'GET /api/v1/forms/{id}': row('unit-subtree', async (f) => get(`/forms/${await f.draft()}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    ...SUBTREE,
  }),
  'PUT /api/v1/forms/{id}': row(
    'unit-subtree',
    async (f) => {
      const id = await f.draft();
      return { method: 'PUT', path: `/forms/${id}`, body: createSampleForm(7, { id }) };
    },
    { own: 'ok', ...OWNER_EDIT },
    { consumes: true },
  ),
  'DELETE /api/v1/forms/{id}': row(
    'unit-subtree',
    async (f) => ({ method: 'DELETE', path: `/forms/${await f.draft()}` }),
    { own: 'ok', ...OWNER_EDIT },
    { consumes: true },
  ),
  'GET /api/v1/forms/{id}/history': row('unit-subtree', async (f) => get(`/forms/${await f.draft()}/history`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    ...SUBTREE,
  }),
  'POST /api/v1/forms/{id}/submit': row(
    'unit-subtree',
    async (f) => post(`/forms/${await f.draft()}/submit`),
    { own: 'ok', ...OWNER_EDIT },
    { consumes: true },
  ),
  'POST /api/v1/forms/{id}/approve': row(
    'unit-subtree',
    async (f) => post(`/forms/${await f.pending()}/approve`),
    { onChild: 'ok', ...SUBTREE },
    { consumes: true },
  ),
  'POST /api/v1/forms/{id}/return': row(
    'unit-subtree',
    async (f) => post(`/forms/${await f.pending()}/return`, { reason: '请补充栏目信息' }),
    { onChild: 'ok', ...SUBTREE },
    { consumes: true },
  ),
  'POST /api/v1/forms/{id}/change-request': row(
    'unit-subtree',
    async (f) => {
      const id = await f.approved();
      return post(`/forms/${id}/change-request`, { ...createSampleForm(8, { id }), reason: '更换负责人' });
    },
    { own: 'ok', ...OWNER_EDIT },
    { consumes: true },
  ),
  'POST /api/v1/forms/{id}/lifecycle-request': row(
    'unit-subtree',
    async (f) =>
      post(`/forms/${await f.approved()}/lifecycle-request`, {
        kind: 'CLOSE',
        reason: '网站改版',
        expectedReopenDate: '2099-01-01',
      }),
    { own: 'ok', ...OWNER_EDIT },
    { consumes: true },
  ),
  'POST /api/v1/forms/{id}/withdraw-request': row(
    'unit-subtree',
    async (f) => post(`/forms/${await f.requested()}/withdraw-request`),
    { own: 'ok', ...OWNER_EDIT },
    { consumes: true },
  ),
  'GET /api/v1/public/form-schema': row('public', () => get('/public/form-schema'), {
    anonymous: 'ok',
    own: 'ok',
    support: 'ok',
  }),
  'POST /api/v1/public/site-code-recovery': row('public', () => post('/public/site-code-recovery', {})),
  // 自查评分 of the unit's approved site: the site itself, its owner and the units above it.
  'GET /api/v1/sites/{siteCode}/self-assessment': row(
    ['site-own', 'unit-subtree'],
    (f) => get(`/sites/${f.siteCode}/self-assessment`),
    { site: 'ok', own: 'ok', onChild: 'ok', root: 'ok', ...SUBTREE },
  ),
  'PUT /api/v1/sites/{siteCode}/self-assessment': row(
    'site-own',
    (f) => ({
      method: 'PUT',
      path: `/sites/${f.siteCode}/self-assessment`,
      body: { items: { 'link-availability': { value: 0 } } },
    }),
    { site: 'ok' },
  ),
  // Not complete yet: the site gets 422 ASSESSMENT_INCOMPLETE (past authorization).
  'POST /api/v1/sites/{siteCode}/self-assessment/submit': row('site-own', (f) =>
    post(`/sites/${f.siteCode}/self-assessment/submit`),
  ),
  // Not submitted: 409 ASSESSMENT_NOT_SUBMITTED for the owner and above.
  'POST /api/v1/sites/{siteCode}/self-assessment/reopen': row(
    'unit-subtree',
    (f) => post(`/sites/${f.siteCode}/self-assessment/reopen`, { reason: '证据不全' }),
    SUBTREE,
  ),
  // 检查打分: the inspecting unit (the unit) and the units above it; nobody else learns it exists.
  'POST /api/v1/inspections': row(
    'unit-subtree',
    (f) => post('/inspections', { name: '抽查', orgUnitId: f.unitId, sample: { mode: 'count', value: 1 } }),
    { own: 'ok', onChild: 'ok', root: 'ok', onParent: 403, sibling: 403, unrelated: 403 },
  ),
  'GET /api/v1/inspections': row('unit-subtree', () => get('/inspections'), {
    own: 'ok',
    onChild: 'ok',
    onParent: 'ok',
    sibling: 'ok',
    unrelated: 'ok',
    root: 'ok',
  }),
  'GET /api/v1/inspections/{id}': row('unit-subtree', async (f) => get(`/inspections/${await f.inspection()}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    ...SUBTREE,
  }),
  'POST /api/v1/inspections/{id}/close': row(
    'unit-subtree',
    async (f) => post(`/inspections/${await f.inspection()}/close`),
    { own: 'ok', onChild: 'ok', root: 'ok', ...SUBTREE },
    { consumes: true },
  ),
  'GET /api/v1/inspections/{id}/sites/{siteCode}': row(
    'unit-subtree',
    async (f) => get(`/inspections/${await f.inspection()}/sites/${f.siteCode}`),
    { own: 'ok', onChild: 'ok', root: 'ok', ...SUBTREE },
  ),
  'PUT /api/v1/inspections/{id}/sites/{siteCode}': row(
    'unit-subtree',
    async (f) => ({
      method: 'PUT',
      path: `/inspections/${await f.inspection()}/sites/${f.siteCode}`,
      body: { vetoes: { 'site-unreachable': { value: false } } },
    }),
    { own: 'ok', onChild: 'ok', root: 'ok', ...SUBTREE },
  ),
  // Not complete yet: 422 ASSESSMENT_INCOMPLETE (past authorization).
  'POST /api/v1/inspections/{id}/sites/{siteCode}/submit': row(
    'unit-subtree',
    async (f) => post(`/inspections/${await f.inspection()}/sites/${f.siteCode}/submit`),
    SUBTREE,
  ),
  // Not submitted: 409 ASSESSMENT_NOT_SUBMITTED.
  'POST /api/v1/inspections/{id}/sites/{siteCode}/reopen': row(
    'unit-subtree',
    async (f) => post(`/inspections/${await f.inspection()}/sites/${f.siteCode}/reopen`, { reason: '证据不全' }),
    SUBTREE,
  ),
  // 评分证据: the site adds files to its own self-assessment, inspectors to their scoring.
  'POST /api/v1/sites/{siteCode}/self-assessment/evidence': row(
    'site-own',
    (f) => ({
      method: 'POST',
      path: `/sites/${f.siteCode}/self-assessment/evidence?key=homepage-availability`,
      file: { name: '截图.png', bytes: SCREENSHOT },
    }),
    { site: 'ok' },
  ),
  'POST /api/v1/inspections/{id}/sites/{siteCode}/evidence': row(
    'unit-subtree',
    async (f) => ({
      method: 'POST',
      path: `/inspections/${await f.inspection()}/sites/${f.siteCode}/evidence?key=serious-errors`,
      file: { name: '截图.png', bytes: SCREENSHOT },
    }),
    { own: 'ok', onChild: 'ok', root: 'ok', ...SUBTREE },
  ),
  // Seen by whoever sees the self-assessment; removed only by the site (units: 403).
  'GET /api/v1/evidence/{id}': row(['site-own', 'unit-subtree'], async (f) => get(`/evidence/${await f.evidence()}`), {
    site: 'ok',
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    ...SUBTREE,
  }),
  'DELETE /api/v1/evidence/{id}': row(
    ['site-own', 'unit-subtree'],
    async (f) => ({ method: 'DELETE', path: `/evidence/${await f.evidence()}` }),
    { site: 'ok', own: 403, onChild: 403, root: 403, ...SUBTREE },
    { consumes: true },
  ),
  // 评分统计 of the unit: the unit and the units above it.
  'GET /api/v1/assessment/stats': row('unit-subtree', (f) => get(`/assessment/stats?orgUnitId=${f.unitId}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    onParent: 403,
    sibling: 403,
    unrelated: 403,
  }),
  'GET /api/v1/assessment/failures': row('unit-subtree', (f) => get(`/assessment/failures?orgUnitId=${f.unitId}`), {
    own: 'ok',
    onChild: 'ok',
    root: 'ok',
    onParent: 403,
    sibling: 403,
    unrelated: 403,
  }),
  'GET /api/v1/assessment/stats/export': row(
    'unit-subtree',
    (f) => get(`/assessment/stats/export?orgUnitId=${f.unitId}`),
    { own: 'ok', onChild: 'ok', root: 'ok', onParent: 403, sibling: 403, unrelated: 403 },
  ),
  // 监测 of the unit's approved site: seen like its self-assessment.
  'GET /api/v1/sites/{siteCode}/monitoring': row(
    ['site-own', 'unit-subtree'],
    (f) => get(`/sites/${f.siteCode}/monitoring`),
    { site: 'ok', own: 'ok', onChild: 'ok', root: 'ok', ...SUBTREE },
  ),
  // 立即探测: the units above the owner and the root, not the owner (403); the answer past
  // authorization is the probe, 409 SITE_NOT_MONITORED or 429 (once a minute per site).
  'POST /api/v1/sites/{siteCode}/probe': row('unit-subtree', (f) => post(`/sites/${f.siteCode}/probe`), {
    own: 403,
    ...SUBTREE,
  }),
};

function classOf(response: ApiResponse): Expected {
  if (response.status >= 200 && response.status < 300) return 'ok';
  if (response.status === 401 || response.status === 403 || response.status === 404) return response.status;
  return 'pass';
}

function matches(expected: Expected, response: ApiResponse): boolean {
  const actual = classOf(response);
  if (response.status >= 500) return false;
  return expected === 'pass' ? actual === 'ok' || actual === 'pass' : actual === expected;
}

describe('route × role: every route declares who may call it, and answers every caller accordingly', () => {
  let sys: ReviewSystem;
  const clients = new Map<Caller, ApiClient>();
  /** A new session of the caller (a token of its own). */
  const logins = new Map<Caller, () => Promise<ApiClient>>();
  let fixtures: Fixtures;
  let nextCode = 71;
  let nextForm = 1000;
  let consume: () => void = () => undefined;

  beforeAll(async () => {
    sys = await ReviewSystem.start();
    logins.set('anonymous', async () => sys.anonymous);
    for (const [caller, code] of Object.entries(CODES))
      logins.set(caller as Caller, async () => (await sys.unit(code)).client);
    // Right after the first start the root's account is linked to its unit within seconds.
    logins.set('root', () =>
      eventually(async () => {
        const client = await sys.anonymous.login('bm0100', 'Root-Pass-2026');
        return (await client.get('/me')).body.orgUnitId ? client : undefined;
      }),
    );
    logins.set('support', () => sys.anonymous.login('support', 'Support-Pass-2026'));
    logins.set('auditor', () => sys.anonymous.login('auditor', 'Auditor-Pass-2026'));
    // A site of the unit, approved by 河北省: it signs in with its 标识码 and 校验码.
    const unit = await sys.unit(UNIT);
    const site = createSampleForm(999);
    await sys.importForms(unit, [site]);
    expect((await unit.client.post(`/forms/${site.id}/submit`)).status).toBe(200);
    expect((await (await sys.unit('130000')).client.post(`/forms/${site.id}/approve`)).status).toBe(200);
    const { siteCode, checkCode } = await sys.siteCodes(site.id);
    logins.set('site', () => sys.anonymous.siteLogin(siteCode, checkCode));
    for (const caller of CALLERS) clients.set(caller, await logins.get(caller)!());
    const root = clients.get('root')!;

    const packageBytes = await writePackage([createSampleForm(1)], {
      fillerUnit: '秦皇岛市人民政府办公室',
      generator: { name: 'test', version: '1' },
    });
    const job = await importAndWait(unit.client, packageBytes, '上报文件.zip');
    const file = await eventually(async () => (await unit.client.get('/files')).body.items?.[0]);

    const newRecord = async () => {
      const form = createSampleForm(nextForm++);
      await sys.importForms(unit, [form]);
      return form.id;
    };
    const newNodeRequest = async () => {
      const res = await unit.client.post('/node-requests', {
        name: `测试新区${nextCode}`,
        code: `1303${nextCode++}`,
        reason: '新设立',
      });
      if (res.status !== 201) throw new Error(`node request refused: ${JSON.stringify(res.body)}`);
      return res.body.id as string;
    };
    // A notice of the unit: the one the root's approval of its node request sends.
    const approved = await root.post(`/node-requests/${await newNodeRequest()}/approve`);
    expect(approved.status).toBe(200);
    const notice = await eventually(async () => (await unit.client.get('/notices')).body.items?.[0]);
    const exported = await unit.client.post('/exports', { kind: 'records', filters: { scope: 'held' } });
    expect(exported.status).toBe(202);
    await eventually(async () => (await unit.client.get(`/exports/${exported.body.id}`)).body.status === 'DONE');

    const approvedRecord = async () => {
      const id = await newRecord();
      const submitted = await unit.client.post(`/forms/${id}/submit`);
      const approved = await (await sys.unit('130000')).client.post(`/forms/${id}/approve`);
      if (submitted.status !== 200 || approved.body.status !== 'APPROVED')
        throw new Error(`approval failed: ${JSON.stringify(approved.body)}`);
      return id;
    };
    const cached = new Map<string, string>();
    const reusable = (key: string, make: () => Promise<string>) => async () => {
      if (!cached.has(key)) cached.set(key, await make());
      return cached.get(key)!;
    };
    fixtures = {
      sys,
      unit,
      unitId: unit.id,
      jobId: job.id ?? job.jobId,
      fileId: file.id,
      noticeId: notice.id,
      exportId: exported.body.id,
      draft: reusable('draft', newRecord),
      pending: reusable('pending', async () => {
        const id = await newRecord();
        const submitted = await unit.client.post(`/forms/${id}/submit`);
        if (submitted.status !== 200) throw new Error(`submit failed: ${JSON.stringify(submitted.body)}`);
        return id;
      }),
      approved: reusable('approved', approvedRecord),
      requested: reusable('requested', async () => {
        const id = await approvedRecord();
        const filed = await unit.client.post(`/forms/${id}/lifecycle-request`, {
          kind: 'CLOSE',
          reason: '网站改版',
          expectedReopenDate: '2099-01-01',
        });
        if (filed.status !== 200) throw new Error(`request refused: ${JSON.stringify(filed.body)}`);
        return id;
      }),
      nodeRequest: reusable('nodeRequest', newNodeRequest),
      siteCode,
      evidence: reusable('evidence', async () => {
        const res = await clients
          .get('site')!
          .upload(`/sites/${siteCode}/self-assessment/evidence?key=homepage-availability`, SCREENSHOT, '首页截图.png');
        if (res.status !== 201) throw new Error(`evidence refused: ${JSON.stringify(res.body)}`);
        return res.body.id as string;
      }),
      inspection: reusable('inspection', async () => {
        const res = await unit.client.post('/inspections', {
          name: '全面检查',
          orgUnitId: unit.id,
          sample: { mode: 'all' },
        });
        if (res.status !== 201) throw new Error(`inspection refused: ${JSON.stringify(res.body)}`);
        return res.body.id as string;
      }),
    };
    // A successful call that changes its target consumes it: the next caller gets a fresh one.
    consume = () => cached.clear();
  }, 180_000);

  afterAll(async () => {
    await sys?.close();
  });

  it('lists every operation of the OpenAPI document in the table, with the rule its controller declares', () => {
    const document = createOpenApiDocument(sys.system.gateway);
    const declared = new Map<string, unknown>();
    for (const [path, item] of Object.entries(document.paths))
      for (const [method, operation] of Object.entries(item as Record<string, Record<string, unknown>>))
        declared.set(`${method.toUpperCase()} ${path}`, operation[ACCESS_EXTENSION]);
    const problems: string[] = [];
    for (const [route, rule] of declared) {
      if (!ROUTES[route]) problems.push(`${route}: not in the route × role table`);
      if (!rule) problems.push(`${route}: no @Access rule on its controller`);
      else if (ROUTES[route] && JSON.stringify(rule) !== JSON.stringify(ROUTES[route].rule))
        problems.push(
          `${route}: declares ${JSON.stringify(rule)}, the table says ${JSON.stringify(ROUTES[route].rule)}`,
        );
    }
    for (const route of Object.keys(ROUTES))
      if (!declared.has(route)) problems.push(`${route}: in the table but not in the document`);
    expect(problems).toEqual([]);
    expect(declared.size).toBeGreaterThanOrEqual(35);
  });

  it('finds a rule on every handler of every gateway controller, those outside the document (the console) too', () => {
    const handlers: string[] = [];
    const undeclared: string[] = [];
    for (const module of sys.system.gateway.get(ModulesContainer).values())
      for (const { metatype } of module.controllers.values()) {
        const prototype = (metatype as { prototype: object }).prototype;
        for (const name of Object.getOwnPropertyNames(prototype)) {
          const handler = (prototype as Record<string, unknown>)[name];
          if (typeof handler !== 'function' || Reflect.getMetadata(METHOD_METADATA, handler) === undefined) continue;
          handlers.push(`${metatype!.name}.${name}`);
          if (!Reflect.getMetadata(ACCESS_METADATA, handler)) undeclared.push(`${metatype!.name}.${name}`);
        }
      }
    expect(handlers).toEqual(expect.arrayContaining(['WebController.index', 'AuthController.login']));
    expect(handlers.length).toBeGreaterThanOrEqual(38);
    expect(undeclared).toEqual([]);
  });

  it('answers every caller of every route as its rule says, with an error code the document lists for it', async () => {
    const documented = documentedCodes(createOpenApiDocument(sys.system.gateway));
    const mismatches: string[] = [];
    for (const [route, spec] of Object.entries(ROUTES)) {
      for (const caller of CALLERS) {
        const call = await spec.call(fixtures, caller);
        const client = spec.ownSession ? await logins.get(caller)!() : clients.get(caller)!;
        const response = await send(client, call);
        const expected = spec.expected[caller];
        if (!matches(expected, response))
          mismatches.push(
            `${route} as ${caller}: expected ${expected}, got ${response.status} ${JSON.stringify(response.body)?.slice(0, 160)}`,
          );
        if ([401, 403, 404].includes(response.status) && !/[\u4e00-\u9fff]/.test(response.body?.message ?? ''))
          mismatches.push(`${route} as ${caller}: ${response.status} without a Chinese message`);
        const code = response.status >= 400 ? response.body?.code : undefined;
        if (code && !documented.get(route)?.has(code))
          mismatches.push(`${route} as ${caller}: answers ${response.status} ${code}, not documented for it`);
        if (spec.consumes && response.status >= 200 && response.status < 300) consume();
        // A call that ends the account's sessions (logout) ends the shared ones too: log in again.
        if (spec.ownSession && caller !== 'anonymous' && response.status >= 200 && response.status < 300) {
          const fresh = await logins.get(caller)!();
          clients.set(caller, fresh);
          if (caller === 'own') fixtures.unit.client = fresh;
        }
      }
    }
    expect(mismatches).toEqual([]);
  }, 300_000);

  it('keeps support and the auditor off the tree, its contacts and the records (三员分立)', async () => {
    const { unitId } = fixtures;
    for (const caller of ['support', 'auditor'] as const) {
      const client = clients.get(caller)!;
      for (const path of [`/org-units/${unitId}`, `/org-units/${unitId}/children`, '/forms', '/files', '/notices']) {
        const res = await client.get(path);
        expect({ caller, path, status: res.status }).toEqual({ caller, path, status: 403 });
        expect(res.body.code).toBe('FORBIDDEN');
      }
    }
    // Nor past the gateway: hierarchy itself refuses them the unit and its contact.
    const support = await sys.anonymous.login('support', 'Support-Pass-2026');
    const me = (await support.get('/me')).body;
    // The request carries the gateway's signed assertion for support, as one from the gateway would.
    const actor = { accountId: me.id, username: 'support', orgUnitId: null, roles: ['SUPPORT' as const] };
    const signer = new ActorAssertionSigner(sys.runtime.config.BUS_ACTOR_PRIVATE_KEY!);
    await expect(
      runWithContext({ correlationId: newCorrelationId(), actorAssertion: () => signer.sign(actor) }, () =>
        sys.bus.request(HierarchySubjects.get, { actor, id: unitId }),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('lets support find an account by unit code or unit name without any contact value, and reset it by the proofs it types', async () => {
    const { unit, unitId } = fixtures;
    const saved = await unit.client.put(`/org-units/${unitId}/contact`, contact);
    expect(saved.status).toBe(200);
    const support = clients.get('support')!;
    for (const q of [UNIT, '秦皇岛']) {
      const found = await support.get(`/admin/accounts?q=${encodeURIComponent(q)}`);
      expect(found.status).toBe(200);
      const account = found.body.items.find((a: { username: string }) => a.username === UNIT);
      expect(account).toEqual({
        id: expect.any(String),
        username: UNIT,
        roles: ['ORG'],
        orgUnitName: '秦皇岛市',
        orgUnitLevel: 2,
        orgUnitKind: '地市级单位',
        region: '河北省',
        contactRegistered: true,
        mustChangePassword: false,
        locked: false,
        lockedUntil: null,
      });
      const text = JSON.stringify(found.body);
      for (const value of Object.values(contact)) expect(text).not.toContain(value);
    }
    const county = (await support.get(`/admin/accounts?q=${encodeURIComponent('海港')}`)).body.items;
    expect(
      county.map((a: { username: string; region: string; contactRegistered: boolean }) => [
        a.username,
        a.region,
        a.contactRegistered,
      ]),
    ).toEqual([['130302', '河北省 秦皇岛市', false]]);
    // The server compares what support types: one wrong proof is a plain "no match".
    const wrong = await support.post(`/admin/accounts/${UNIT}/reset-password`, {
      contactName: contact.name,
      phone: contact.mobile,
      orgUnitName: '秦皇岛市',
      department: '办公室',
      initialPassword: 'Xx23456789',
    });
    expect(wrong.status).toBe(403);
    expect(wrong.body).toEqual({ code: 'RESET_PROOF_MISMATCH', message: '核验信息与登记信息不一致，不能重置' });
  });
});

/** The error codes the document lists for each operation (`ApiErrors`: one `code` enum per status). */
function documentedCodes(document: OpenAPIObject): Map<string, Set<string>> {
  const codes = new Map<string, Set<string>>();
  for (const [path, item] of Object.entries(document.paths))
    for (const [method, operation] of Object.entries(item as Record<string, OperationObject>)) {
      const found = new Set<string>();
      for (const response of Object.values(operation.responses ?? {}) as ResponseObject[]) {
        for (const media of Object.values(response.content ?? {}))
          for (const part of (media.schema as { allOf?: SchemaObject[] } | undefined)?.allOf ?? [])
            for (const code of (part.properties?.code as SchemaObject | undefined)?.enum ?? []) found.add(String(code));
      }
      codes.set(`${method.toUpperCase()} ${path}`, found);
    }
  return codes;
}

function multipart(file: { name: string; bytes: Buffer }): FormData {
  const form = new FormData();
  form.append('file', new Blob([Buffer.from(file.bytes)]), file.name);
  return form;
}

/** Sends the call; a body that is not JSON (a download) is kept as its first characters. */
async function send(client: ApiClient, call: Call): Promise<ApiResponse> {
  const res = await fetch(`${client.baseUrl}/api/v1${call.path}`, {
    method: call.method,
    headers: {
      ...(client.token ? { authorization: `Bearer ${client.token}` } : {}),
      ...(call.body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: call.file ? multipart(call.file) : call.body === undefined ? undefined : JSON.stringify(call.body),
  });
  const text = await res.text();
  let body: any = text.slice(0, 40);
  if ((res.headers.get('content-type') ?? '').includes('json')) body = JSON.parse(text);
  return { status: res.status, body, headers: res.headers };
}
