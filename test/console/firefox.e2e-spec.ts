// The console's reporting story in Debian's Firefox ESR (puppeteer-core over WebDriver BiDi),
// against the whole system over real NATS, PostgreSQL, S3 and SMTP: a county's first login
// (forced password change, a wrong password refused), a package imported (预检 first), 全部提交
// with its count; the city approves on the record page, the province 全部审核 and sees the
// 网站标识码, then returns it with a reason; the history shows Beijing time although the browser
// runs in London; 标识码找回 opens, keeps the focus and closes by keyboard; the tabs follow the
// arrow keys. console.e2e-spec.ts tells the same story (and more) in chromium; this one proves
// the console does not depend on Chromium.
import { createSampleForm } from '@app/forms';
import { writePackage } from '@app/package';
import { eventually } from '@app/testing';
import { Browser, Page } from 'puppeteer-core';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureWebBuild } from '../client/support/web-build';
import { ReviewSystem } from '../review/support/review-system';
import { initialPassword, ownPassword } from './support/console';
import {
  BROWSER_TIME_ZONE,
  button,
  chooseFile,
  field,
  focused,
  isGone,
  launchFirefox,
  link,
  login,
  loginOk,
  newPerson,
  openRecord,
  returnRecord,
  shot,
  textOf,
  textOnceIs,
  waitForText,
} from './support/firefox';

jest.setTimeout(300_000);

const COUNTY = '130303'; // 山海关区 under 秦皇岛市 (130300) under 河北省 (130000)
const SITE = '秦皇岛市山海关区人民政府网站'; // a portal, as sample form 3 is
const FILLER = '秦皇岛市山海关区人民政府办公室';
const SITE_CODE = '1303030001';
const NEW_PASSWORD = 'Shanhaiguan-2026!';
const REASON = '主办单位名称与批文不符，请核实';
let system: ReviewSystem;
let browser: Browser;
let base: string;
let county: Page;
const files = mkdtempSync(join(tmpdir(), 'console-firefox-'));

beforeAll(async () => {
  ensureWebBuild();
  system = await ReviewSystem.start();
  base = system.anonymous.baseUrl;
  browser = await launchFirefox();
  await Promise.all(['130300', '130000'].map((code) => system.unit(code)));
  county = (await newPerson(browser)).page;
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
  rmSync(files, { recursive: true, force: true });
});

/** What the console must show for an instant: Beijing is UTC+8 all year (no daylight saving). */
function beijingClock(at: Date): string {
  return new Date(at.getTime() + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
}

describe('web console in Firefox', () => {
  it('makes the county change its initial password, refuses a wrong one, then shows the console', async () => {
    // Accounts are made in chunks while the system seeds: wait for the county's.
    await eventually(
      async () => (await system.sql('SELECT 1 FROM identity.account WHERE username = $1', [COUNTY])).length > 0,
    );
    const initial = await initialPassword(system, COUNTY);
    await login(county, base, COUNTY, initial);
    expect(await county.$eval('h1', (h) => h.textContent)).toBe('修改密码');
    await waitForText(county, '首次登录（或密码被重置后）必须先修改初始密码');
    await field(county, '当前密码').fill(initial);
    await field(county, '新密码').fill(NEW_PASSWORD);
    await field(county, '再次输入新密码').fill('Shanhaiguan-2027!');
    await button(county, '修改密码').click();
    expect(await textOf(county, 'error')).toBe('两次输入的新密码不一致');
    await field(county, '再次输入新密码').fill(NEW_PASSWORD);
    await button(county, '修改密码').click();
    await waitForText(county, '密码已修改，请用新密码重新登录');

    await login(county, base, COUNTY, 'wrong-password');
    expect(await textOf(county, 'error')).toContain('账号或密码错误');
    expect(await isGone(county, '[data-testid="who"]')).toBe(true);

    await loginOk(county, base, COUNTY, NEW_PASSWORD);
    expect(await textOf(county, 'who')).toContain('山海关区（130303）');
    await waitForText(county, '没有未提交的记录');
  });

  it('imports a package: 预检 changes nothing, then 导入 creates the record', async () => {
    const sample = createSampleForm(3, { fillerUnit: FILLER });
    const site = {
      ...sample.site,
      siteName: SITE,
      sponsorUnit: '秦皇岛市山海关区人民政府',
      operatorUnit: '秦皇岛市山海关区大数据中心',
      officeAddress: '河北省秦皇岛市山海关区南大街1号',
    };
    const packagePath = join(files, '山海关区上报文件.zip');
    writeFileSync(
      packagePath,
      await writePackage([{ ...sample, site }], { fillerUnit: FILLER, generator: { name: 'test', version: '1' } }),
    );

    await link(county, '导入').click();
    await chooseFile(county, packagePath);
    await waitForText(county, '山海关区上报文件.zip');
    await button(county, '预检').click();
    expect(await textOf(county, 'import-summary')).toBe('预检通过：将新增 1 张、更新 0 张、无变化 0 张');
    expect(await system.sql('SELECT 1 FROM review.record')).toHaveLength(0);
    await button(county, '导入').click();
    await waitForText(county, '导入成功：新增 1 张、更新 0 张、无变化 0 张');
    expect(await system.sql('SELECT site_name, status FROM review.record')).toEqual([
      { site_name: SITE, status: 'DRAFT' },
    ]);
  });

  it('submits everything after a confirmation that says how many records', async () => {
    await link(county, '报送记录').click();
    await link(county, SITE).wait();
    await button(county, '全部提交').click();
    expect(await textOf(county, 'bulk-count')).toContain('将把本单位填报的 1 条未提交记录提交到上级单位审核');
    await button(county, '确定提交 1 条').click();
    await waitForText(county, '已提交 1 条记录');
    await waitForText(county, '没有未提交的记录');
    expect(await system.sql('SELECT status FROM review.record')).toEqual([{ status: 'PENDING' }]);
  });

  it('the city approves, the province approves all, sees the 网站标识码 and returns it with a reason, in Beijing time', async () => {
    const city = await newPerson(browser);
    await loginOk(city.page, base, '130300', ownPassword('130300'));
    await openRecord(city.page, '未审核', SITE);
    expect(await textOf(city.page, 'site-code')).toBe('尚未分配（终审通过后分配）');
    await button(city.page, '审核通过').click();
    await waitForText(city.page, '审核通过成功');
    await waitForText(city.page, '本单位当前不能对这条记录进行操作');
    expect(await textOnceIs(city.page, 'record-status', '待 河北省 审核')).toBe('待 河北省 审核');
    await city.context.close();

    const { page: province, context } = await newPerson(browser);
    await loginOk(province, base, '130000', ownPassword('130000'));
    await link(province, '报送记录').click();
    await button(province, '全部审核').click();
    expect(await textOf(province, 'bulk-count')).toContain('将审核通过待本单位审核的 1 条记录');
    await button(province, '确定审核 1 条').click();
    await waitForText(province, '已审核 1 条记录（终审通过 1 条，报上级 0 条）');
    await province.locator('::-p-aria([name="已审核"][role="tab"])').click();
    await link(province, SITE).wait();
    expect(
      await province.$$eval('table.forms tbody tr', (rows) =>
        rows.map((row) => (row as HTMLTableRowElement).cells[4].textContent),
      ),
    ).toEqual([SITE_CODE]);
    await shot(province, 'firefox-01-records');

    await link(province, SITE).click();
    expect(await textOf(province, 'site-code')).toBe(SITE_CODE);
    await returnRecord(province, REASON);
    expect(await textOnceIs(province, 'record-status', '已退回，待 秦皇岛市 处理')).toBe('已退回，待 秦皇岛市 处理');
    await shot(province, 'firefox-02-record-detail');

    // The history, reloaded after the return, shows each step at its Beijing time.
    await province.waitForFunction(
      (reason) =>
        Array.from(document.querySelectorAll<HTMLTableRowElement>('table[aria-label="流转历史"] tbody tr')).some(
          (row) => row.cells[4]?.textContent === reason,
        ),
      {},
      REASON,
    );
    const shown = await province.$$eval('table[aria-label="流转历史"] tbody tr', (rows) =>
      rows.map((row) => Array.from((row as HTMLTableRowElement).cells, (cell) => cell.textContent)),
    );
    const stored = await system.sql<{ at: Date; reason: string | null }>(
      'SELECT h.at, h.reason FROM review.record_history h ORDER BY h.id',
    );
    expect(shown.map(([at, , , , reason]) => [at, reason])).toEqual(
      stored.map((row) => [beijingClock(row.at), row.reason ?? '']),
    );
    expect(shown.map(([, action]) => action)).toEqual([
      '山海关区 导入记录',
      '山海关区 提交，报送 秦皇岛市 审核',
      '秦皇岛市 审核通过，报送 河北省',
      '河北省 审核通过（终审），记录已审核',
      '河北省 退回 秦皇岛市',
    ]);
    // 操作人: the acting unit's name, never an account code.
    expect(shown.map(([, , actor]) => actor)).toEqual(['山海关区', '山海关区', '秦皇岛市', '河北省', '河北省']);
    expect(await province.evaluate(() => Intl.DateTimeFormat().resolvedOptions().timeZone)).toBe(BROWSER_TIME_ZONE);
    await context.close();
  });

  it('opens 标识码找回 from the login page with the keyboard only, and Escape closes it', async () => {
    const { page, context } = await newPerson(browser);
    await page.goto(`${base}/`);
    await field(page, '账号').wait();
    expect(await focused(page)).toBe('input'); // 账号 has the focus when the page opens
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('input[password]');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button[submit] 登录');
    await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('button[button] 标识码找回');
    await page.keyboard.press('Enter');
    const dialog = '::-p-aria([name="网站标识码找回"][role="dialog"])';
    await page.waitForSelector(dialog);
    // The dialog takes the focus on its first field.
    expect(
      await page.evaluate(
        () => Boolean(document.activeElement?.closest('[role="dialog"]')) && document.activeElement?.tagName,
      ),
    ).toBe('INPUT');
    // Tab and Shift+Tab stay inside the dialog: Shift+Tab from its first field wraps to its last control.
    await page.keyboard.down('Shift');
    await page.keyboard.press('Tab');
    await page.keyboard.up('Shift');
    expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    for (let step = 0; step < 8; step++) {
      await page.keyboard.press('Tab');
      expect(await page.evaluate(() => Boolean(document.activeElement?.closest('[role="dialog"]')))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await page.waitForSelector('[role="dialog"]', { hidden: true });
    expect(await isGone(page, '[role="dialog"]')).toBe(true);
    expect(await focused(page)).toBe('button[button] 标识码找回'); // the focus is back where it was
    await context.close();
  });

  it('moves between the status tabs with the arrow keys', async () => {
    await link(county, '报送记录').click();
    await county.locator('::-p-aria([name="未提交"][role="tab"])').wait();
    await county.focus('[role="tab"][aria-selected="true"]');
    expect(await focused(county)).toBe('button 未提交');
    await county.keyboard.press('ArrowRight');
    await waitForText(county, '没有未审核的记录');
    expect(await focused(county)).toBe('button 未审核');
    await county.keyboard.press('End');
    expect(await focused(county)).toBe('button 已退回');
    await county.keyboard.press('Home');
    expect(await focused(county)).toBe('button 未提交');
  });
});
