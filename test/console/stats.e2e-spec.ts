// The 统计 screen over real NATS, PostgreSQL, S3 and SMTP, in Debian's chromium: the province
// sees its cities, drills down to 秦皇岛市's counties and back by the path; 未报送 rows stand
// out; the chart is drawn; 催报 of two selected counties goes through a dialog naming them and
// reaches the database once; 导出 downloads the table; a county without websites declares
// 零报送 on its own 统计 page, and its city sees it as reported.
import { createSampleForm } from '@app/forms';
import { Browser, Page } from 'playwright-core';
import ExcelJS from 'exceljs';
import { downloadBy } from '../client/support/browser';
import { ReviewSystem } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, ownPassword, shot, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

let system: ReviewSystem;
let browser: Browser;
let base: string;
let run: ConsoleRun;
let province: Page;

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const row = (page: Page, unit: string) => page.locator(`table.stats tbody tr[data-unit="${unit}"]`);

beforeAll(async () => {
  ({ system, browser, base } = run = await startConsoleRun());
  const [, haigang, shanhaiguan] = await Promise.all(['130000', '130302', '130303'].map((code) => system.unit(code)));
  const forms = Array.from({ length: 4 }, (_, n) => createSampleForm(n));
  await system.importForms(haigang, forms);
  await system.importForms(shanhaiguan, [createSampleForm(10)]);
  // 海港区 submits two of its four: reported; 山海关区 only has a draft: not yet.
  for (const form of forms.slice(0, 2))
    expect((await haigang.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
  province = (await newPerson(browser)).page;
  await loginOk(province, base, '130000', ownPassword('130000'));
});

afterAll(() => run?.close());

describe('web console: 统计', () => {
  it('shows the province its cities, drills down to the counties and back', async () => {
    await province.getByRole('link', { name: '统计', exact: true }).click();
    await province.getByRole('heading', { name: '统计分析' }).waitFor();
    await row(province, '秦皇岛市').waitFor();
    expect(await row(province, '秦皇岛市').locator('td').nth(2).innerText()).toBe('5');
    expect(await row(province, '秦皇岛市').getAttribute('class')).toBeNull(); // reported: not highlighted
    expect(await row(province, '石家庄市').getAttribute('class')).toBe('unreported');
    await province.locator('.stats-chart canvas').first().waitFor();

    await row(province, '秦皇岛市').getByRole('button', { name: '秦皇岛市' }).click();
    await row(province, '海港区').waitFor();
    const crumbs = province.getByRole('navigation', { name: '单位路径' });
    expect(await crumbs.innerText()).toBe('河北省 › 秦皇岛市');
    expect(await row(province, '海港区').locator('td').nth(2).innerText()).toBe('4');
    expect(await row(province, '海港区').locator('td').nth(10).innerText()).toBe('已报送');
    expect(await row(province, '山海关区').locator('td').nth(10).innerText()).toBe('未报送');
    expect(await row(province, '山海关区').getAttribute('class')).toBe('unreported');
    expect(await row(province, '海港区').locator('.progress').first().innerText()).toContain('已报送 50%');

    await crumbs.getByRole('link', { name: '河北省' }).click();
    await row(province, '石家庄市').waitFor();
    expect(await crumbs.innerText()).toBe('河北省');
  });

  it('催报 two selected counties after a dialog naming them, once', async () => {
    await row(province, '秦皇岛市').getByRole('button', { name: '秦皇岛市' }).click();
    await row(province, '山海关区').waitFor();
    expect(await button(province, '催报').isDisabled()).toBe(true);
    await province.getByRole('checkbox', { name: '选择山海关区' }).check();
    await province.getByRole('checkbox', { name: '选择卢龙县' }).check();
    await province.getByRole('heading', { name: '统计分析' }).scrollIntoViewIfNeeded();
    await shot(province, 'stats');
    await button(province, '催报（2）').click();
    const dialog = province.getByRole('dialog', { name: '确认催报' });
    const listed = await dialog.getByTestId('remind-list').locator('li').allInnerTexts();
    expect(listed.map((text) => text.split('（')[0]).sort()).toEqual(['卢龙县', '山海关区'].sort());
    await dialog.getByRole('button', { name: '确认催报' }).click();
    const result = province.getByTestId('remind-result');
    await result.waitFor();
    expect(await result.innerText()).toContain('已催报 2 个单位');
    const rows = await system.sql(
      `SELECT u.name FROM review.reminder r JOIN hierarchy.org_unit u ON u.id = r.org_unit_id ORDER BY u.name`,
    );
    expect(rows.map((r) => r.name).sort()).toEqual(['卢龙县', '山海关区'].sort());

    // Again the same day: skipped, and the screen says why.
    await province.getByRole('checkbox', { name: '选择卢龙县' }).check();
    await button(province, '催报（1）').click();
    await province.getByRole('dialog', { name: '确认催报' }).getByRole('button', { name: '确认催报' }).click();
    await province.getByTestId('remind-result').getByText('今天已催报过', { exact: false }).waitFor();
    expect(await system.sql(`SELECT 1 FROM review.reminder`)).toHaveLength(2);
  });

  it('导出 downloads the table shown', async () => {
    const file = await downloadBy(province, () => button(province, '导出').click());
    expect(file.name).toBe('秦皇岛市统计.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(file.bytes) as unknown as ArrayBuffer);
    const values = book.getWorksheet('统计')!.getSheetValues().filter(Boolean) as unknown[][];
    const haigang = values.find((line) => line[1] === '海港区')!;
    expect(haigang[3]).toBe(4);
  });

  it('lets a county without websites declare 零报送 on its 统计 page', async () => {
    await system.unit('130321'); // 青龙满族自治县: its own password set
    const county = (await newPerson(browser)).page;
    await loginOk(county, base, '130321', ownPassword('130321'));
    await county.getByRole('link', { name: '统计', exact: true }).click();
    const panel = county.getByTestId('zero-report');
    await button(county, '声明零报送').click();
    await county.getByRole('dialog', { name: '声明零报送' }).getByRole('button', { name: '确认声明' }).click();
    await button(county, '撤回零报送').waitFor();
    expect(await panel.innerText()).toContain('本单位已声明零报送');

    await province.reload();
    await row(province, '青龙满族自治县').waitFor();
    expect(await row(province, '青龙满族自治县').locator('td').nth(10).innerText()).toBe('零报送');
    expect(await row(province, '青龙满族自治县').getAttribute('class')).toBeNull();
  });
});
