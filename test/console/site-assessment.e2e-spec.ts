// 网站登录 and 自查评分 in the console (Chromium), over the real system: a site signs in with
// the 标识码 and 校验码 of its approval (wrong codes, a lock after five, a 关停 site refused, each
// with the server's Chinese answer), sees its own layout, fills in the score sheet (the server's
// refusals beside the fields), saves a draft, submits behind a dialog and reads its result, then
// can no longer change it; its owner unit sees the result on the record and sends it back, and the
// site corrects and resubmits (its unsaved answers surviving an expired session). Evidence files
// (评分证据) go up from the sheet and come back as downloads. 网站监测 shows the days monitoring
// stored and the vetoes and deductions it proposes.
import { createSampleForm } from '@app/forms';
import { eventually } from '@app/testing';
import { Page } from 'playwright-core';
import { causeText } from '../../apps/web/src/console/monitoring-format';
import { downloadBy } from '../client/support/browser';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, openRecord, ownPassword, shot, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

const forms = [0, 1, 2].map((n) => createSampleForm(n, { columnCount: 1 }));
const [scored, closed] = forms;
type Codes = { siteCode: string; checkCode: string };
/** An evidence screenshot's bytes (a PNG header; the kind goes by the file name). */
const SCREENSHOT = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.alloc(3000, 7),
]);

let run: ConsoleRun;
let system: ReviewSystem;
let city: Unit;
let province: Unit;
let codes: Codes[];
let site: Page;

beforeAll(async () => {
  run = await startConsoleRun();
  system = run.system;
  [city, province] = await Promise.all(['130300', '130000'].map((code) => system.unit(code)));
  await system.importForms(city, forms);
  for (const form of forms) {
    expect((await city.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
    expect((await province.client.post(`/forms/${form.id}/approve`)).body.status).toBe('APPROVED');
  }
  codes = await Promise.all(forms.map((form) => system.siteCodes(form.id)));
  const request = { kind: 'CLOSE', reason: '网站改版', expectedReopenDate: '2099-03-01' };
  expect((await city.client.post(`/forms/${closed.id}/lifecycle-request`, request)).status).toBe(200);
  expect((await province.client.post(`/forms/${closed.id}/approve`)).status).toBe(200);
  site = (await newPerson(run.browser)).page;
});

afterAll(() => run?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

async function siteLogin(page: Page, { siteCode, checkCode }: Codes): Promise<void> {
  await page.goto(`${run.base}/`);
  await page.getByRole('tab', { name: '网站登录' }).click();
  await page.getByLabel('网站标识码').fill(siteCode);
  await page.getByLabel('校验码').fill(checkCode);
  await button(page, '登录').click();
}

const wrong = (checkCode: string) => (checkCode === 'ZZZZZZ' ? 'YYYYYY' : 'ZZZZZZ');

describe('web console: 网站登录 and 自查评分', () => {
  it('网站登录 answers wrong codes, a lock and a 关停 site in the server’s words', async () => {
    await siteLogin(site, { siteCode: codes[0].siteCode, checkCode: wrong(codes[0].checkCode) });
    expect(await site.getByTestId('error').innerText()).toBe('网站标识码或校验码错误');
    await shot(site, 'site-login');

    await siteLogin(site, { siteCode: '13030', checkCode: codes[0].checkCode });
    await site.getByText('网站标识码应为10位字母或数字').waitFor();

    await siteLogin(site, codes[1]);
    expect(await site.getByTestId('error').innerText()).toContain('已关停');

    // Five wrong codes lock that site on this computer (the others are still open).
    for (let i = 0; i < 5; i++) {
      await siteLogin(site, { siteCode: codes[2].siteCode, checkCode: wrong(codes[2].checkCode) });
      await site.getByTestId('error').waitFor();
    }
    expect(await site.getByTestId('error').innerText()).toMatch(/^连续输错校验码5次，此网站标识码在本机已锁定/);
    await siteLogin(site, codes[2]);
    expect(await site.getByTestId('error').innerText()).toMatch(/已锁定/);
  });

  it('a site signs in to its own layout and fills in the sheet; refusals show beside the fields', async () => {
    await siteLogin(site, codes[0]);
    const who = site.getByTestId('site-who');
    await who.waitFor();
    expect(await who.innerText()).toContain(`${scored.site.siteName}（网站标识码 ${codes[0].siteCode}）`);
    const menu = await site.getByRole('navigation', { name: '主导航' }).getByRole('link').allInnerTexts();
    expect(menu).toEqual(['自查评分', '网站监测']);
    expect(await site.getByTestId('assessment-status').innerText()).toBe('未填写');

    // The sheet: the five vetoes as yes/no, every item with its rule, deduction and maximum.
    expect(await site.getByRole('radiogroup').count()).toBe(5 + 2);
    const linkItem = site.locator('.assess-item[data-key="link-availability"]');
    expect(await linkItem.innerText()).toContain('满分 15 分');
    expect(await linkItem.innerText()).toContain('扣分规则：每发现1个不能正常访问的链接扣1分。');

    // A fraction where a count is asked: the server's message beside that item, nothing saved.
    await site.getByLabel('链接可用性 填报值').fill('1.5');
    await button(site, '保存草稿').click();
    const linkError = site.getByTestId('assess-error-link-availability');
    await linkError.waitFor();
    expect(await linkError.innerText()).toBe('“链接可用性”应填写不小于0的整数（发现的问题个数）');
    // An evidence link that is no web address: the message names the veto, not its key.
    await site.getByLabel('链接可用性 填报值').fill('3');
    await site.getByLabel('站点无法访问 证据链接').fill('not a link');
    await site.getByRole('radiogroup', { name: '站点无法访问' }).getByLabel('否').check();
    await button(site, '保存草稿').click();
    await site.getByTestId('assess-error-site-unreachable').waitFor();
    expect(await site.getByTestId('assess-error-site-unreachable').innerText()).toContain(
      '“站点无法访问”的证据链接应为',
    );
    expect(await system.sql('SELECT 1 FROM assessment.self_assessment')).toHaveLength(0);
    await site.evaluate(() => window.scrollTo(0, 0));
    await shot(site, 'site-assessment-form');

    await site.getByLabel('站点无法访问 证据链接').fill('https://example.gov.cn/report/1');
    await site.getByLabel('链接可用性 说明').fill('首页3个链接失效');
    await button(site, '保存草稿').click();
    await site.getByText('已保存草稿').waitFor();
    expect(await site.getByTestId('assessment-status').innerText()).toBe('填写中');

    // 评分证据: a screenshot goes up at once (apart from 保存草稿); a file of another kind is
    // refused in the server's words, nothing kept.
    const evidence = site.getByTestId('evidence-link-availability');
    await site.getByLabel('链接可用性：上传证据文件').setInputFiles({
      name: '安装程序.exe',
      mimeType: 'application/octet-stream',
      buffer: Buffer.from('MZ'),
    });
    await evidence.getByTestId('error').waitFor();
    expect(await evidence.getByTestId('error').innerText()).toContain('不支持该类型的证据文件“安装程序.exe”');
    await site.getByLabel('链接可用性：上传证据文件').setInputFiles({
      name: '失效链接截图.png',
      mimeType: 'image/png',
      buffer: SCREENSHOT,
    });
    await evidence.getByRole('button', { name: '失效链接截图.png', exact: true }).waitFor();
    expect(await evidence.getByTestId('error').count()).toBe(0);
    expect(
      await system.sql(`SELECT file_name, status FROM assessment.evidence_file WHERE item_key = 'link-availability'`),
    ).toEqual([{ file_name: '失效链接截图.png', status: 'STORED' }]);
    await evidence.scrollIntoViewIfNeeded();
    await shot(site, 'site-assessment-evidence');

    // Submitting with answers missing: the server names them, each marked beside its item.
    await button(site, '提交').click();
    await site.getByRole('dialog', { name: '提交自查评分' }).getByRole('button', { name: '确定提交' }).click();
    await site.getByTestId('assess-error-site-not-updated').waitFor();
    expect(await site.getByTestId('error').innerText()).toMatch(/^还有4项未填写：网站不更新、/);
    expect(await site.getByTestId('assess-error-poor-response').innerText()).toBe('请填写此项');
  });

  it('saves the draft, submits behind a dialog and shows the result, read-only', async () => {
    // The draft survives a reload (the site's session too).
    await site.reload();
    await site.getByTestId('site-who').waitFor();
    expect(await site.getByLabel('链接可用性 填报值').inputValue()).toBe('3');
    expect(await site.getByLabel('链接可用性 说明').inputValue()).toBe('首页3个链接失效');

    for (const veto of ['网站不更新', '栏目不更新', '严重错误', '互动回应差'])
      await site.getByRole('radiogroup', { name: veto }).getByLabel('否').check();
    for (const item of ['首页可用性', '首页栏目', '基本信息', '政务咨询类栏目', '办事指南', '附件下载', '在线系统'])
      await site.getByLabel(`${item} 填报值`).fill('0');
    for (const flag of ['调查征集类栏目', '互动访谈类栏目'])
      await site.getByRole('radiogroup', { name: flag }).getByLabel('否').check();
    expect(await site.getByTestId('assessment-progress').innerText()).toContain('已填写 15 / 15 项');
    await button(site, '提交').click();
    const dialog = site.getByRole('dialog', { name: '提交自查评分' });
    expect(await dialog.innerText()).toContain('提交后不能再修改');
    await shot(site, 'site-assessment-submit');
    await dialog.getByRole('button', { name: '确定提交' }).click();

    const result = site.getByTestId('assessment-result');
    await result.waitFor();
    expect(await site.getByTestId('assessment-verdict').innerText()).toBe('合格');
    expect(await site.getByTestId('assessment-score').innerText()).toBe('97');
    const row = result.getByRole('row', { name: /链接可用性/ });
    expect(await row.innerText()).toBe('网站可用性\t链接可用性\t3 个\t15\t3');
    expect(await site.getByTestId('assessment-status').innerText()).toBe('已提交');
    expect(await button(site, '保存草稿').count()).toBe(0);
    expect(await site.getByLabel('链接可用性 填报值').count()).toBe(0);
    expect(await site.getByRole('table', { name: '自查填报内容' }).innerText()).toContain(
      'https://example.gov.cn/report/1',
    );
    // The evidence file stays with the submitted sheet, downloaded byte for byte; no more deleting.
    const kept = site.getByRole('table', { name: '自查填报内容' }).getByTestId('evidence-link-availability');
    const file = await downloadBy(site, () =>
      kept.getByRole('button', { name: '失效链接截图.png', exact: true }).click(),
    );
    expect(file.name).toBe('失效链接截图.png');
    expect(Buffer.from(file.bytes).equals(SCREENSHOT)).toBe(true);
    expect(await kept.getByRole('button', { name: /删除/ }).count()).toBe(0);
    await shot(site, 'site-assessment-result');
  });

  it('网站监测 shows each day the server monitored and what it proposes, with its evidence', async () => {
    // Ten days of monitoring up to yesterday, as the probe workers leave them: the homepage
    // failed 3 of its 24 visits a day (timeouts) and had a broken link.
    await system.sql(
      `INSERT INTO assessment.monitor_daily (site_code, day, owner_chain, homepage_probes, homepage_failures,
                                             failures_by_cause, homepage_newest, links_checked, broken_links, broken)
       SELECT $1, d::date, '{}', 24, 3, '{"timeout": 3}', d::date - 1, 20, 1,
              '[{"url": "http://www.example.gov.cn/old.html", "cause": "http-status", "status": 404}]'
         FROM generate_series((now() AT TIME ZONE 'Asia/Shanghai')::date - 10, (now() AT TIME ZONE 'Asia/Shanghai')::date - 1, interval '1 day') AS d`,
      [codes[0].siteCode],
    );
    await site.getByRole('link', { name: '网站监测' }).click();
    const days = site.getByRole('table', { name: '每日监测' });
    await days.waitFor();
    const text = await days.innerText();
    expect(text).toContain('87.5%');
    expect(text).toContain(`${causeText('timeout')} 3`);
    expect(text).toContain('1 / 20');
    const proposals = await site.getByRole('table', { name: '监测建议' }).innerText();
    expect(proposals).toContain('站点无法访问');
    expect(proposals).toContain('单项否决');
    expect(proposals).toContain('首页可用性');
    await shot(site, 'site-monitoring');
  });

  it('the owner unit sees the result on the record and sends it back; the site resubmits', async () => {
    const unit = (await newPerson(run.browser)).page;
    await loginOk(unit, run.base, '130300', ownPassword('130300'));
    await openRecord(unit, '已审核', scored.site.siteName);
    const panel = unit.getByTestId('self-assessment-panel');
    await panel.getByTestId('assessment-result').waitFor();
    expect(await panel.getByTestId('assessment-status').innerText()).toBe('已提交');
    expect(await panel.getByTestId('assessment-verdict').innerText()).toBe('合格');
    expect(await panel.getByTestId('assessment-score').innerText()).toBe('97');
    // The owner sees the same monitoring on the record.
    await unit.getByRole('table', { name: '每日监测' }).waitFor();
    expect(await unit.getByRole('table', { name: '每日监测' }).innerText()).toContain('87.5%');
    await panel.scrollIntoViewIfNeeded();
    await shot(unit, 'record-self-assessment');

    await panel.getByRole('button', { name: '退回重填' }).click();
    const dialog = unit.getByRole('dialog', { name: '退回自查评分' });
    const confirm = dialog.getByRole('button', { name: '确定退回' });
    expect(await confirm.isDisabled()).toBe(true);
    await dialog.getByLabel('退回原因（必填）').fill('首页可用性应按监测结果填写');
    await confirm.click();
    await panel.getByText('已退回，网站可修改后重新提交').waitFor();
    expect(await panel.getByTestId('assessment-status').innerText()).toBe('填写中');
    expect(await panel.getByTestId('assessment-result').count()).toBe(0);
    // The audit entry travels through the outbox to identity: it lands shortly after the answer.
    const [audit] = await eventually(async () => {
      const rows = await system.sql(`SELECT details FROM identity.audit_log WHERE action = 'self-assessment.reopen'`);
      return rows.length > 0 && rows;
    });
    expect(JSON.stringify(audit.details)).toContain('首页可用性应按监测结果填写');

    // The site finds its answers kept, corrects them (a veto this time) and submits again.
    await site.getByRole('link', { name: '自查评分' }).click();
    await site.reload();
    await site.getByLabel('链接可用性 填报值').waitFor();
    expect(await site.getByLabel('链接可用性 填报值').inputValue()).toBe('3');
    await site.getByRole('radiogroup', { name: '站点无法访问' }).getByLabel('是').check();
    // Unsaved: a link asks first.
    await site.getByRole('link', { name: '网站监测' }).click();
    const leave = site.getByRole('dialog', { name: '离开自查评分' });
    await leave.getByRole('button', { name: '留下继续填写' }).click();
    expect(await site.getByTestId('monitoring-panel').count()).toBe(0);

    // The site's half-hour token runs out while it fills in: the save brings the login back on the
    // 网站登录 tab with its 标识码, and after logging in again what was typed is still there.
    await site.evaluate(() => sessionStorage.setItem('gsr-console-token', 'expired.token.value'));
    await button(site, '保存草稿').click();
    await site.getByText('登录已过期，请重新登录').waitFor();
    expect(await site.getByRole('tab', { name: '网站登录' }).getAttribute('aria-selected')).toBe('true');
    expect(await site.getByLabel('网站标识码').inputValue()).toBe(codes[0].siteCode);
    await site.getByLabel('校验码').fill(codes[0].checkCode);
    await button(site, '登录').click();
    await site.getByText('已恢复本页上次未保存的填写内容，请核对后保存草稿').waitFor();
    expect(await site.getByRole('radiogroup', { name: '站点无法访问' }).getByLabel('是').isChecked()).toBe(true);

    await button(site, '提交').click();
    await site.getByRole('dialog', { name: '提交自查评分' }).getByRole('button', { name: '确定提交' }).click();
    await site.getByTestId('assessment-result').waitFor();
    expect(await site.getByTestId('assessment-verdict').innerText()).toBe('不合格');
    expect(await site.getByTestId('assessment-vetoes').innerText()).toBe('触发的单项否决：站点无法访问');

    await unit.reload();
    await panel.getByTestId('assessment-result').waitFor();
    expect(await panel.getByTestId('assessment-verdict').innerText()).toBe('不合格');

    // 退出登录 ends the site's session here: the login page, and a reload stays there.
    await button(site, '退出登录').click();
    await site.getByRole('tab', { name: '网站登录' }).waitFor();
    await site.reload();
    await site.getByRole('tab', { name: '网站登录' }).waitFor();
    expect(await site.getByTestId('site-who').count()).toBe(0);
  });
});
