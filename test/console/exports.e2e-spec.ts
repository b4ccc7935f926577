// Exports in the console, over real NATS, PostgreSQL and S3, in Debian's chromium: 导出 Excel on
// the records list downloads what the list shows (its tab and search); over the direct-download
// limit it turns into 后台导出, shows its progress and where the file lands (文件中心 →
// 导出), and the file is there. The record's 打印 opens the A4 基本信息表 with every field, the
// 栏目 table, 标识码 and status, and printing shows only that table.
import { createSampleForm, SiteForm } from '@app/forms';
import { eventually } from '@app/testing';
import ExcelJS from 'exceljs';
import { Browser, Page } from 'playwright-core';
import { downloadBy } from '../client/support/browser';
import { ReviewSystem } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, openRecord, ownPassword, shot, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130304'; // 北戴河区
let system: ReviewSystem;
let browser: Browser;
let base: string;
let county: Page;
let forms: SiteForm[];
let run: ConsoleRun;

beforeAll(async () => {
  ({ system, browser, base } = run = await startConsoleRun({ config: { EXPORT_SYNC_MAX_ROWS: '10' } }));
  const unit = await system.unit(COUNTY);
  forms = Array.from({ length: 12 }, (_, n) => createSampleForm(n, { columnCount: 2 }));
  await system.importForms(unit, forms);
  county = (await newPerson(browser)).page;
  await loginOk(county, base, COUNTY, ownPassword(COUNTY));
});

afterAll(() => run?.close());

async function sheetRows(bytes: Uint8Array, sheet: string): Promise<string[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const rows: string[][] = [];
  workbook.getWorksheet(sheet)!.eachRow((row) => rows.push((row.values as unknown[]).slice(1).map(String)));
  return rows;
}

describe('web console: exports and printing', () => {
  it('downloads the list as shown (tab and search) as Excel', async () => {
    await county.getByRole('link', { name: '报送记录' }).click();
    await county.getByRole('tab', { name: '未提交', exact: true }).click();
    await county.getByLabel('按网站名称或网址搜索').fill('样例1');
    await county.getByRole('button', { name: '搜索' }).click();
    // The searched page replaces the whole tab: wait for it, not for any four rows.
    const shown = await eventually(async () => {
      const names = await county.getByRole('tabpanel').locator('tbody tr a').allTextContents();
      return names.length >= 4 && names.every((name) => name.includes('样例1')) ? names : undefined;
    }, 20_000);
    const file = await downloadBy(county, () => county.getByTestId('export-records').click());
    expect(file.name).toMatch(/^报送记录-\d{8}-\d{4}\.xlsx$/);
    const rows = await sheetRows(file.bytes, '网站基本信息');
    const nameAt = rows[0].indexOf('网站名称');
    expect(rows.slice(1).map((row) => row[nameAt])).toEqual(shown);
    expect((await sheetRows(file.bytes, '栏目信息')).length - 1).toBe(shown.length * 2);
  });

  it('turns into 后台导出 when the list is too large, shows its progress and where the file lands', async () => {
    await county.getByLabel('按网站名称或网址搜索').fill('');
    await county.getByRole('button', { name: '搜索' }).click();
    await county.getByText('共 12 条').waitFor();
    await county.getByTestId('export-records').click();
    const status = county.getByTestId('export-job');
    await status.getByText('后台导出已完成（12 条）').waitFor({ timeout: 60_000 });
    await shot(county, 'export');
    await status.getByRole('link', { name: '文件中心 → 导出' }).click();
    const row = county.locator('tbody tr', { hasText: '导出' });
    await row.waitFor();
    expect(await row.innerText()).toMatch(/报送记录-\d{8}-\d{4}\.xlsx/);
    const file = await downloadBy(county, () => row.getByRole('button', { name: '下载' }).click());
    expect((await sheetRows(file.bytes, '网站基本信息')).length - 1).toBe(12);
  });

  it('prints the record as an A4 基本信息表: every field, 栏目, 标识码, status and lifecycle; paper shows only the table', async () => {
    await openRecord(county, '未提交', forms[0].site.siteName);
    await county.getByRole('button', { name: '打印', exact: true }).click();
    const page = county.getByRole('article', { name: '打印预览' });
    await page.getByText('政府网站基本信息表').waitFor();
    const text = await page.innerText();
    for (const label of [
      '网站标识码',
      '状态',
      '未提交',
      '网站名称',
      '负责人手机',
      '联系人电子邮箱',
      '栏目（系统）信息（2 个）',
    ])
      expect(text).toContain(label);
    expect(await page.getByTestId('print-lifecycle').textContent()).toBe('运行中');
    expect(text).toContain(forms[0].site.siteName);
    expect(text).toContain(forms[0].columns[1].url);
    await county.emulateMedia({ media: 'print' });
    expect(await county.locator('nav.side').isVisible()).toBe(false);
    expect(await county.getByRole('button', { name: '← 返回记录' }).isVisible()).toBe(false);
    expect(await page.getByText('政府网站基本信息表').isVisible()).toBe(true);
    await county.emulateMedia({ media: 'screen' });
  });

  it('lets the auditor run 后台导出 of the filtered audit log and download it', async () => {
    const auditor = (await newPerson(browser)).page;
    await loginOk(auditor, base, 'auditor', 'Auditor-Pass-2026');
    await auditor.getByLabel('操作人账号').fill(COUNTY);
    await auditor.getByRole('button', { name: '筛选' }).click();
    await auditor.getByTestId('export-audit-job').click();
    const status = auditor.getByTestId('export-audit-status');
    await status.getByText('后台导出已完成').waitFor({ timeout: 60_000 });
    const file = await downloadBy(auditor, () => status.getByRole('button').click());
    expect(file.name).toMatch(/^审计日志-\d{8}-\d{4}\.xlsx$/);
    const rows = await sheetRows(file.bytes, '审计日志');
    const actorAt = rows[0].indexOf('操作人');
    expect(rows.length).toBeGreaterThan(2);
    expect(rows.slice(1).every((row) => row[actorAt].includes(`（${COUNTY}）`))).toBe(true);
  });
});
