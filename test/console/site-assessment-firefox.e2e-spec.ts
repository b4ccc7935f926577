// 网站登录 and 自查评分 in Debian's Firefox ESR, against the whole system over real NATS: a
// site signs in on the login page's second tab with its 标识码 and 校验码, answers the sheet,
// submits behind the dialog and reads its result; its owner city sees it on the record and sends
// it back with a reason. site-assessment.e2e-spec.ts tells it in chromium with more detail.
import { createSampleForm } from '@app/forms';
import { Browser, Page } from 'puppeteer-core';
import { ensureWebBuild } from '../client/support/web-build';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { ownPassword } from './support/console';
import {
  button,
  field,
  launchFirefox,
  loginOk,
  newPerson,
  openRecord,
  textOf,
  textOnceIs,
  waitForText,
} from './support/firefox';

jest.setTimeout(300_000);

const form = createSampleForm(4, { columnCount: 1 });
const VETOES = ['站点无法访问', '网站不更新', '栏目不更新', '严重错误', '互动回应差'];
const COUNTS = [
  '首页可用性',
  '链接可用性',
  '首页栏目',
  '基本信息',
  '政务咨询类栏目',
  '办事指南',
  '附件下载',
  '在线系统',
];
const FLAGS = ['调查征集类栏目', '互动访谈类栏目'];

let system: ReviewSystem;
let browser: Browser;
let base: string;
let city: Unit;
let codes: { siteCode: string; checkCode: string };

beforeAll(async () => {
  ensureWebBuild();
  system = await ReviewSystem.start();
  base = system.anonymous.baseUrl;
  browser = await launchFirefox();
  city = await system.unit('130300');
  const province = await system.unit('130000');
  await system.importForms(city, [form]);
  expect((await city.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
  expect((await province.client.post(`/forms/${form.id}/approve`)).body.status).toBe('APPROVED');
  codes = await system.siteCodes(form.id);
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

const answer = (page: Page, group: string, choice: 'yes' | 'no') =>
  page.locator(`[role="radiogroup"][aria-label="${group}"] input[value="${choice}"]`).click();

describe('网站登录 and 自查评分 in Firefox', () => {
  let site: Page;

  it('a site signs in with its codes, fills in the sheet, submits and reads its result', async () => {
    site = (await newPerson(browser)).page;
    await site.goto(`${base}/`);
    await site.locator('::-p-aria([name="网站登录"][role="tab"])').click();
    await field(site, '网站标识码').fill(codes.siteCode);
    await field(site, '校验码').fill(codes.checkCode);
    await button(site, '登录').click();
    expect(await textOf(site, 'site-who')).toContain(`${form.site.siteName}（网站标识码 ${codes.siteCode}）`);
    expect(await textOf(site, 'assessment-status')).toBe('未填写');

    for (const veto of VETOES) await answer(site, veto, 'no');
    for (const item of COUNTS) await field(site, `${item} 填报值`).fill(item === '首页栏目' ? '2' : '0');
    for (const flag of FLAGS) await answer(site, flag, 'no');
    await button(site, '保存草稿').click();
    await waitForText(site, '已保存草稿');
    expect(await textOf(site, 'assessment-status')).toBe('填写中');

    await button(site, '提交').click();
    await site.waitForSelector('::-p-aria([name="提交自查评分"][role="dialog"])');
    await button(site, '确定提交').click();
    expect(await textOf(site, 'assessment-verdict')).toBe('合格');
    expect(await textOf(site, 'assessment-score')).toBe('92');
    expect(await textOf(site, 'assessment-status')).toBe('已提交');
    expect(await site.$('input[aria-label="首页栏目 填报值"]')).toBeNull();
  });

  it('the owner city sees the result on the record and sends it back', async () => {
    const unit = (await newPerson(browser)).page;
    await loginOk(unit, base, '130300', ownPassword('130300'));
    await openRecord(unit, '已审核', form.site.siteName);
    expect(await textOf(unit, 'assessment-verdict')).toBe('合格');
    await button(unit, '退回重填').click();
    await field(unit, '退回原因（必填）').fill('首页栏目请附证据链接');
    await button(unit, '确定退回').click();
    await waitForText(unit, '已退回，网站可修改后重新提交');
    expect(await textOnceIs(unit, 'assessment-status', '填写中')).toBe('填写中');

    // The site finds its answers kept, editable again.
    await site.reload();
    const value = await site.waitForSelector('input[aria-label="首页栏目 填报值"]');
    expect(await value!.evaluate((input) => (input as HTMLInputElement).value)).toBe('2');
  });
});
