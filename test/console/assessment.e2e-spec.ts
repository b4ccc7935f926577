// 检查打分 and 评分统计 in the web console over the real system, in Debian's chromium: 秦皇岛市
// starts an inspection of its subtree with a seed (the sampled list is the one the sampling
// function draws), scores a sampled site on the sheet with the site's self-assessment beside it,
// submits (the verdict overrides the self one), then reads 评分统计 (table, chart, 不合格 list),
// exports it and opens the printable 通报.
import ExcelJS from 'exceljs';
import { Browser, Page } from 'playwright-core';
import { drawSample } from '../../apps/assessment/src/inspection/sample';
import { CodedSite, codedSites, items, selfAssess, vetoes } from '../assessment/support/coded-sites';
import { downloadBy } from '../client/support/browser';
import { ReviewSystem } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, ownPassword, shot, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

let system: ReviewSystem;
let browser: Browser;
let base: string;
let run: ConsoleRun;
let page: Page;
let sites: CodedSite[];
let sample: string[];

const SEED = 'console-2026';

beforeAll(async () => {
  ({ system, browser, base } = run = await startConsoleRun());
  const [province, city, haigang] = await Promise.all(['130000', '130300', '130302'].map((code) => system.unit(code)));
  sites = await codedSites(system, haigang, [city, province], 3);
  sample = drawSample(
    sites.map((site) => site.siteCode),
    { count: 2 },
    SEED,
  );
  // Every site assesses itself: the one left out of the sample fails on a veto.
  for (const site of sites)
    await selfAssess(
      system,
      site,
      sample.includes(site.siteCode) ? { vetoes: vetoes(), items: items() } : { vetoes: vetoes('site-not-updated') },
    );
  page = (await newPerson(browser)).page;
  await loginOk(page, base, '130300', ownPassword('130300'));
});

afterAll(() => run?.close());

describe('web console: 检查打分 and 评分统计', () => {
  it('starts an inspection with a seed and lists the sampled sites', async () => {
    await page.getByRole('link', { name: '检查打分', exact: true }).click();
    await page.getByRole('heading', { name: '检查打分' }).waitFor();
    await page.getByRole('button', { name: '发起检查' }).click();
    const dialog = page.getByRole('dialog', { name: '发起检查' });
    await dialog.getByLabel('检查名称').fill('2026年网站抽查');
    await dialog.getByLabel('按数量（个）').check();
    await dialog.getByLabel('抽查数量（个）').fill('2');
    await dialog.getByLabel(/随机种子/).fill(SEED);
    await dialog.getByRole('button', { name: '抽取并发起' }).click();
    await page.getByTestId('flash').waitFor();
    expect(await page.getByTestId('flash').innerText()).toContain(`抽中 2 个网站（随机种子 ${SEED}）`);
    const listed = await page.getByTestId('inspection-sites').locator('tbody tr td:first-child').allInnerTexts();
    expect(listed).toEqual(sample);
    expect(await page.getByTestId('inspection-summary').innerText()).toContain('从 3 个运行中网站抽取 2 个');
  });

  it('scores a sampled site beside its self-assessment and submits', async () => {
    await page.getByRole('link', { name: sample[0] }).click();
    await page.getByTestId('sheet').waitFor();
    expect(await page.getByTestId('self-summary').innerText()).toContain('已提交，合格 100 分');
    expect(await page.getByTestId('self-site-unreachable').innerText()).toBe('否');
    const sheet = page.getByTestId('sheet');
    for (const select of await sheet.locator('select').all()) await select.selectOption('no');
    for (const input of await sheet.locator('input[aria-label$="：数值"]').all()) await input.fill('0');
    await sheet.getByLabel('链接可用性：数值').fill('3');
    await sheet.getByLabel('链接可用性：说明').fill('栏目页3个死链');
    // The inspectors' own evidence (评分证据), uploaded at once, kept with their scoring.
    await sheet.getByLabel('链接可用性：上传证据文件').setInputFiles({
      name: '死链检查记录.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('%PDF-1.4 检查记录'),
    });
    await sheet
      .getByTestId('evidence-link-availability')
      .getByRole('button', { name: '死链检查记录.pdf', exact: true })
      .waitFor();
    await page.getByRole('heading', { level: 2 }).scrollIntoViewIfNeeded();
    await shot(page, 'inspection-score');
    await page.getByRole('button', { name: '提交', exact: true }).click();
    await page.getByTestId('site-message').waitFor();
    expect(await page.getByTestId('site-message').innerText()).toBe('已提交：合格');
    await page.getByText('结论：合格，得分 97').waitFor();
    const [verdict] = await system.sql(
      `SELECT source, score::float AS score FROM assessment.verdict WHERE site_code = $1`,
      [sample[0]],
    );
    expect(verdict).toEqual({ source: 'INSPECTION', score: 97 });
    // Submitted: the file stays, downloadable, no longer removable.
    const kept = page.getByTestId('sheet').getByTestId('evidence-link-availability');
    expect(await kept.getByRole('button', { name: /删除/ }).count()).toBe(0);
    const file = await downloadBy(page, () =>
      kept.getByRole('button', { name: '死链检查记录.pdf', exact: true }).click(),
    );
    expect([file.name, Buffer.from(file.bytes).toString()]).toEqual(['死链检查记录.pdf', '%PDF-1.4 检查记录']);
  });

  it('shows 评分统计 per region with the chart and the 不合格 list, exports it and prints the 通报', async () => {
    await page.getByRole('link', { name: '评分统计', exact: true }).click();
    await page.getByRole('heading', { name: '评分统计' }).waitFor();
    const haigang = page.locator('[data-testid="assessment-table"] tbody tr[data-unit="海港区"]');
    await haigang.waitFor();
    // 网站数, 已评分, 合格, 不合格, 合格率, 平均分 (100 and 97), 自查, 检查.
    expect((await haigang.locator('td').allInnerTexts()).slice(1, 9)).toEqual([
      '3',
      '3',
      '2',
      '1',
      '66.7%',
      '98.5',
      '2',
      '1',
    ]);
    await page.locator('.stats-chart canvas').first().waitFor();
    const failed = sites.find((site) => !sample.includes(site.siteCode))!;
    const failures = page.getByTestId('failures');
    await failures.waitFor();
    expect(await failures.locator('tbody tr').count()).toBe(1);
    expect(await failures.locator('tbody tr td').first().innerText()).toBe(failed.siteCode);
    expect(await failures.innerText()).toContain('单项否决：网站不更新');
    await shot(page, 'assessment-stats');

    const file = await downloadBy(page, () => page.getByRole('button', { name: '导出', exact: true }).click());
    expect(file.name).toBe('秦皇岛市评分统计.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
    const rows = book.getWorksheet('评分统计')!.getSheetValues().filter(Boolean) as unknown[][];
    expect(rows.some((row) => row[1] === '海港区' && row[3] === 3 && row[6] === 1)).toBe(true);
    expect(book.getWorksheet('不合格网站')!.getRow(2).getCell(1).value).toBe(failed.siteCode);

    await page.getByRole('button', { name: '打印通报' }).click();
    await page.getByRole('heading', { name: '关于秦皇岛市政府网站检查评分情况的通报' }).waitFor();
    expect(await page.getByTestId('report-summary').innerText()).toContain('已评分 3 个，其中合格 2 个、不合格 1 个');
    expect(await page.getByTestId('report-failures').innerText()).toContain(failed.siteCode);
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('nav.side').isVisible()).toBe(false);
    expect(await page.getByRole('button', { name: '打印', exact: true }).isVisible()).toBe(false);
    await shot(page, 'assessment-report');
    await page.emulateMedia({ media: 'screen' });
  });
});
