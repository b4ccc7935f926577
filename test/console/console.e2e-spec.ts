// The web console end to end, over real NATS, PostgreSQL, S3 and SMTP, in Debian's chromium:
// a county logs in for the first time (forced password change), makes a package with the
// offline client in the same browser, imports it (预检 first) and submits it; the city and the
// province approve; the province sees the 网站标识码; a return goes back down level by level;
// (accounts.e2e-spec.ts: support, the auditor, the root.)
import { createSampleForm } from '@app/forms';
import { writeTemplate } from '@app/package';
import { Browser, Page } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadBy } from '../client/support/browser';
import { errorNextTo, fillFields, validValues } from '../client/support/fill-form';
import { ReviewSystem } from '../review/support/review-system';
import { eventually } from '@app/testing';
import {
  ConsoleRun,
  initialPassword,
  login,
  loginOk,
  newPerson,
  openRecord,
  ownPassword,
  returnRecord,
  shot,
  startConsoleRun,
} from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130302'; // 海港区 under 秦皇岛市 (130300) under 河北省 (130000)
const SITE = '海港区交通运输局网站';
const CONTACT = {
  联系人姓名: '王芳',
  所在部门: '信息中心',
  办公电话: '0335-3012345',
  手机: '13800000001',
  电子邮箱: 'wangfang@example.gov.cn',
};
let system: ReviewSystem;
let browser: Browser;
let base: string;
let county: Page;
const files = mkdtempSync(join(tmpdir(), 'console-e2e-'));

let run: ConsoleRun;

beforeAll(async () => {
  ({ system, browser, base } = run = await startConsoleRun());
  await Promise.all(['130300', '130000'].map((code) => system.unit(code)));
  county = (await newPerson(browser)).page;
});

afterAll(() => run?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('web console', () => {
  it('makes a unit change its initial password before anything else', async () => {
    await county.goto(`${base}/`);
    await shot(county, '01-login');
    const initial = await initialPassword(system, COUNTY);
    await login(county, base, COUNTY, initial);
    if (!(await county.getByText('修改密码').count())) throw new Error(await county.locator('body').innerText());
    await county.getByText('首次登录（或密码被重置后）必须先修改初始密码').waitFor();
    // The rules are there before any attempt, not only in the first error.
    expect(await county.getByTestId('password-rules').textContent()).toContain(
      '至少8个字符；包含大写字母、小写字母、数字、符号中的至少三类',
    );
    expect(await county.getByTestId('error').count()).toBe(0);
    await county.getByLabel('当前密码').fill(initial);
    await county.getByLabel('新密码', { exact: true }).fill('Haigang-2026!');
    await county.getByLabel('再次输入新密码').fill('Haigang-2027!');
    await button(county, '修改密码').click();
    await county.getByText('两次输入的新密码不一致').waitFor();
    await county.getByLabel('再次输入新密码').fill('Haigang-2026!');
    await shot(county, '02-change-password');
    await button(county, '修改密码').click();
    await county.getByText('密码已修改，请用新密码重新登录').waitFor();
    // The account stays typed in: only the new password is asked for.
    expect(await county.getByLabel('账号').inputValue()).toBe(COUNTY);

    await login(county, base, COUNTY, 'wrong-password');
    await county.getByTestId('error').waitFor();
    await loginOk(county, base, COUNTY, 'Haigang-2026!');
    await county.getByText('没有未提交的记录').waitFor();
    expect(await county.getByTestId('who').textContent()).toContain('海港区');
  });

  it('keeps the unit contact information', async () => {
    await county.getByRole('link', { name: '联系人信息' }).click();
    for (const [label, value] of Object.entries(CONTACT)) await county.getByLabel(label, { exact: true }).fill(value);
    await button(county, '保存').click();
    await county.getByText('已保存').waitFor();
  });

  it('imports a package made by the offline client: 预检 first, then the import', async () => {
    const client = await county.context().newPage();
    await client.goto(`${base}/client`);
    await client.getByRole('button', { name: '新建网站信息表（每个网站一张）' }).click();
    await fillFields(client, validValues(SITE, '秦皇岛市海港区交通运输局'));
    await client.getByText('检查通过，可以生成上报文件').waitFor();
    await client.getByText('草稿已保存在本机').waitFor();
    await client.getByRole('button', { name: '← 返回列表' }).click();
    const made = await downloadBy(client, () =>
      client.getByRole('button', { name: '生成上报文件', exact: true }).click(),
    );
    await client.close();
    const packagePath = join(files, made.name);
    writeFileSync(packagePath, made.bytes);

    await county.getByRole('link', { name: '导入', exact: true }).click();
    await county.getByLabel('选择上报文件').setInputFiles(packagePath);
    await button(county, '预检').click();
    expect(await county.getByTestId('import-summary').textContent()).toBe(
      '预检通过：将新增 1 张、更新 0 张、无变化 0 张',
    );
    expect(await system.sql('SELECT 1 FROM review.record')).toHaveLength(0);
    await button(county, '导入').click();
    await county.getByText('导入成功：新增 1 张、更新 0 张、无变化 0 张').waitFor();
    await shot(county, '03-import-report');
  });

  it('lists each refused form and field of a bad file in plain Chinese, and imports nothing', async () => {
    const bad = createSampleForm(7, { fillerUnit: '秦皇岛市海港区交通运输局' });
    const form = {
      ...bad,
      site: { ...bad.site, siteName: '有错误的网站' },
      principal: { ...bad.principal, mobile: '12345' },
    };
    // The Excel template carries whatever was typed (a package writer refuses invalid forms).
    const path = join(files, '有错误的模板.xlsx');
    const bytes = await writeTemplate([form]);
    writeFileSync(path, bytes);
    // Dropped on the drop zone this time, as a person drags it from the desktop.
    const dataTransfer = await county.evaluateHandle(
      ({ data, name }) => {
        const transfer = new DataTransfer();
        transfer.items.add(new File([new Uint8Array(data)], name));
        return transfer;
      },
      { data: [...bytes], name: '有错误的模板.xlsx' },
    );
    await county.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
    await county.getByText('已选择：').getByText('有错误的模板.xlsx').waitFor();
    await button(county, '导入').click();
    await county.getByText('有 1 张表未通过检查，本次没有导入任何数据').waitFor();
    const result = await county.getByTestId('import-result').textContent();
    expect(result).toContain('《有错误的网站》');
    expect(result).toContain('“网站基本信息”第2行，“负责人手机”列（Q列）：手机号应为11位数字');
    await shot(county, '04-import-refused');
    expect(await system.sql('SELECT 1 FROM review.record')).toHaveLength(1);
  });

  it('searches the records and submits everything with a confirmation that says how many records', async () => {
    await county.getByRole('link', { name: '报送记录' }).click();
    await county.getByRole('link', { name: SITE }).waitFor();
    await county.getByLabel('按网站名称或网址搜索').fill('不存在的网站');
    await button(county, '搜索').click();
    await county.getByText('没有找到与“不存在的网站”相关的未提交记录').waitFor();
    await county.getByLabel('按网站名称或网址搜索').fill('e2e.example.gov.cn');
    await button(county, '搜索').click();
    await county.getByRole('link', { name: SITE }).waitFor();
    await button(county, '全部提交').click();
    expect(await county.getByTestId('bulk-count').textContent()).toContain(
      '将把本单位填报的 1 条未提交记录提交到上级单位审核',
    );
    await shot(county, '05-records-submit-all');
    await button(county, '确定提交 1 条').click();
    await county.getByText('已提交 1 条记录').waitFor();
    await county.getByText('没有找到与“e2e.example.gov.cn”相关的未提交记录').waitFor();
  });

  it('the city approves, the province approves all and sees the 网站标识码', async () => {
    const city = (await newPerson(browser)).page;
    await loginOk(city, base, '130300', ownPassword('130300'));
    await openRecord(city, '未审核', SITE);
    await expect(city.getByRole('button', { name: '提交', exact: true }).count()).resolves.toBe(0);
    await shot(city, '06-record-detail');
    await button(city, '审核通过').click();
    await city.getByText('审核通过成功').waitFor();
    await city.getByText('本单位当前不能对这条记录进行操作').waitFor();
    await city.getByTestId('record-status').getByText('待 河北省 审核', { exact: true }).waitFor();
    await city.context().close();

    const province = (await newPerson(browser)).page;
    await loginOk(province, base, '130000', ownPassword('130000'));
    await province.getByRole('link', { name: '报送记录' }).click();
    await button(province, '全部审核').click();
    expect(await province.getByTestId('bulk-count').textContent()).toContain('将审核通过待本单位审核的 1 条记录');
    await button(province, '确定审核 1 条').click();
    await province.getByText('已审核 1 条记录（终审通过 1 条，报上级 0 条）').waitFor();
    await openRecord(province, '已审核', SITE);
    expect(await province.getByTestId('site-code').textContent()).toBe('1303020001');
    await shot(province, '07-approved-site-code');
    await returnRecord(province, '主办单位名称与批文不符，请核实');
    await province.getByTestId('record-status').getByText('已退回').waitFor();
    await province.context().close();
  });

  it('anyone recovers the 标识码 from the login page, using the keyboard only', async () => {
    const { page, context } = await newPerson(browser);
    await page.goto(`${base}/`);
    await page.getByLabel('账号').waitFor();
    await page.keyboard.press('Tab'); // 账号 has the focus: → 密码
    await page.keyboard.press('Tab'); // → 登录
    await page.keyboard.press('Tab'); // → 标识码找回
    await page.keyboard.press('Enter');
    await page.getByRole('dialog', { name: '网站标识码找回' }).waitFor();
    for (const value of [SITE, 'http://www.e2e.example.gov.cn/', '李娜', 'LINA@example.gov.cn']) {
      await page.keyboard.type(value);
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    await page.getByText('已受理。').waitFor();
    const mail = await eventually(
      async () => system.smtp.received.find((m) => m.subject.includes('网站标识码找回')),
      30_000,
    );
    expect(mail.to.sort()).toEqual(['lina@example.gov.cn', 'zhangwei@example.gov.cn']);
    expect(mail.text).toContain('1303020001');
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'detached' });
    await context.close();
  });

  it('a return goes back down level by level, to the county that edits and resubmits', async () => {
    const city = (await newPerson(browser)).page;
    await loginOk(city, base, '130300', ownPassword('130300'));
    await openRecord(city, '已退回', SITE);
    await city.getByTestId('return-reason').getByText('主办单位名称与批文不符，请核实').waitFor();
    await returnRecord(city, '请海港区核实主办单位后重新报送');
    await city.getByRole('link', { name: '文件中心' }).click();
    const workbook = await downloadBy(city, () => city.getByRole('button', { name: '下载' }).first().click());
    expect(workbook.name).toMatch(/\.xlsx$/);
    await shot(city, '08-files');

    await city.context().close();

    await county.reload();
    await county.locator('.badge').waitFor();
    await openRecord(county, '已退回', SITE);
    await county.getByTestId('return-reason').getByText('请海港区核实主办单位后重新报送').waitFor();
    await button(county, '提交').waitFor();
    await button(county, '删除').waitFor();
    expect(await county.getByTestId('site-code').textContent()).toBe('1303020001');

    await button(county, '修改').click();
    await county.getByLabel('负责人手机', { exact: true }).fill('123');
    expect(await errorNextTo(county, '负责人手机')).toBe('手机号应为11位数字');
    expect(await button(county, '保存').isDisabled()).toBe(true);
    await county.getByLabel('负责人手机', { exact: true }).fill('13800138000');
    await county.getByLabel('主办单位', { exact: true }).fill('秦皇岛市海港区交通运输局');
    await shot(county, '09-record-edit');
    await button(county, '保存').click();
    await county.getByRole('cell', { name: '海港区 修改内容', exact: true }).waitFor();
    await county.getByText('秦皇岛市海港区交通运输局', { exact: true }).first().waitFor();
    expect(await county.getByText('第 2 版').count()).toBe(1);
    await button(county, '提交').click();
    await county.getByText('提交成功').waitFor();
    await county.getByTestId('record-status').getByText('待 秦皇岛市 审核').waitFor();

    await county.getByRole('link', { name: /通知/ }).click();
    await county.getByRole('cell', { name: /退回/ }).first().waitFor();
    await shot(county, '10-notices');
  });
});
