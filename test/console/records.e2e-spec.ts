// The records screens beyond the main story, over real NATS, PostgreSQL, S3 and SMTP, in
// Debian's chromium: paging past one page, the status tabs and the dialogs by keyboard only,
// deleting a draft after a confirmation that opens on 取消, and an import that has to wait
// (the review service is down) showing its progress until it completes, then found again in
// the unit's 导入记录 with its report and its original file; files from the tools clerks use (an
// Excel 97–2003 .xls, a WPS .et that is no workbook, a package re-zipped on a Chinese Windows PC
// with GBK entry names). Last, editing vs re-import
// (docs/DOMAIN.md, Workflow): where the owner's record waits at a reviewer, 修改 is not offered
// and the page says why and what to do instead; a draft back with its owner offers 修改.
import { createSampleForm, SiteForm } from '@app/forms';
import { writePackage, writeTemplate } from '@app/package';
import { compoundFile, xlsxToXls } from '@app/package/testing/craft-xls';
import { craftZip, unpack } from '@app/package/testing/craft-zip';
import { encode } from 'iconv-lite';
import { eventually } from '@app/testing';
import { Browser, Page } from 'playwright-core';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { downloadBy } from '../client/support/browser';
import { ReviewSystem } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, openRecord, ownPassword, shot, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130304'; // 北戴河区 under 秦皇岛市
const FILLER = '秦皇岛市北戴河区人民政府办公室';
let system: ReviewSystem;
let browser: Browser;
let base: string;
let county: Page;
let forms: SiteForm[];
const files = mkdtempSync(join(tmpdir(), 'console-records-'));

let run: ConsoleRun;

beforeAll(async () => {
  ({ system, browser, base } = run = await startConsoleRun());
  const unit = await system.unit(COUNTY);
  forms = Array.from({ length: 25 }, (_, n) => createSampleForm(n, { fillerUnit: FILLER, columnCount: 1 }));
  await system.importForms(unit, forms);
  extraPackage = await writePackage(extra, { fillerUnit: FILLER, generator: { name: 'test', version: '1' } });
  county = (await newPerson(browser)).page;
  await loginOk(county, base, COUNTY, ownPassword(COUNTY));
});

afterAll(() => run?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
/** The focused element's text, without a tab's count beside its name. */
const focusedText = (page: Page) =>
  page.evaluate(() => {
    const copy = document.activeElement?.cloneNode(true) as Element | undefined;
    copy?.querySelectorAll('.tab-count').forEach((count) => count.remove());
    return copy?.textContent ?? '';
  });
const focusedLabel = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('aria-label') ?? document.activeElement?.textContent ?? '');
const extra = Array.from({ length: 3 }, (_, n) => createSampleForm(100 + n, { fillerUnit: FILLER, columnCount: 1 }));
let extraPackage: Uint8Array;
const draftCount = async () =>
  Number((await system.sql("SELECT count(*) FROM review.record WHERE status = 'DRAFT'"))[0].count);

describe('web console: records', () => {
  it('pages through 25 records, 20 to a page', async () => {
    const pager = county.getByRole('navigation', { name: '分页' });
    await pager.getByText('共 25 条，第 1 页 / 共 2 页').waitFor();
    const rows = county.getByRole('tabpanel').locator('tbody tr');
    expect(await rows.count()).toBe(20);
    const first = await rows.locator('a').allTextContents();
    expect(await button(county, '上一页').isDisabled()).toBe(true);
    await button(county, '下一页').click();
    await pager.getByText('共 25 条，第 2 页 / 共 2 页').waitFor();
    // The pager may say page 2 a moment before the page's rows are in: wait for them.
    await rows.nth(5).waitFor({ state: 'detached' });
    expect(await rows.count()).toBe(5);
    const second = await rows.locator('a').allTextContents();
    // Every record exactly once over the two pages.
    expect([...first, ...second].sort()).toEqual(forms.map((f) => f.site.siteName).sort());
    expect(await button(county, '下一页').isDisabled()).toBe(true);
    await button(county, '上一页').click();
    await pager.getByText('共 25 条，第 1 页 / 共 2 页').waitFor();
  });

  it('moves between the status tabs with the arrow keys; only the selected tab is in the Tab order', async () => {
    const tab = (name: string) => county.getByRole('tab', { name, exact: true });
    await tab('未提交').focus();
    await county.keyboard.press('ArrowRight');
    await county.getByText('没有未审核的记录').waitFor();
    expect(await tab('未审核').getAttribute('aria-selected')).toBe('true');
    expect(await focusedText(county)).toBe('未审核');
    await county.keyboard.press('End');
    await county.getByText('没有已退回的记录').waitFor();
    expect(await focusedText(county)).toBe('已退回');
    await county.keyboard.press('ArrowRight'); // wraps round to the first
    await county.getByRole('navigation', { name: '分页' }).getByText('共 25 条，第 1 页 / 共 2 页').waitFor();
    expect(await focusedText(county)).toBe('未提交');
    await county.keyboard.press('ArrowLeft'); // and back round to the last
    expect(await focusedText(county)).toBe('已退回');
    await county.keyboard.press('Home');
    expect(await focusedText(county)).toBe('未提交');
    await county.keyboard.press('Tab'); // out of the tab list, into the panel: the search box
    expect(await focusedLabel(county)).toBe('按网站名称或网址搜索');
  });

  it('keeps the focus inside a dialog, closes it with Esc, and gives the focus back', async () => {
    await button(county, '全部提交').focus();
    await county.keyboard.press('Enter');
    const dialog = county.getByRole('dialog', { name: '全部提交' });
    await dialog.getByTestId('bulk-count').getByText('将把本单位填报的 25 条未提交记录提交到上级单位审核').waitFor();
    expect(await focusedText(county)).toBe('确定提交 25 条');
    await county.keyboard.press('Tab');
    expect(await focusedText(county)).toBe('取消');
    await county.keyboard.press('Tab'); // past the last button: back to the first, not the page behind
    expect(await focusedText(county)).toBe('确定提交 25 条');
    await county.keyboard.press('Shift+Tab');
    expect(await focusedText(county)).toBe('取消');
    await county.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await focusedText(county)).toBe('全部提交');
    expect(await draftCount()).toBe(25);
  });

  it('deletes a draft only after the confirmation, which opens on 取消', async () => {
    const victim = forms[3].site.siteName;
    await county.getByLabel('按网站名称或网址搜索').fill(victim);
    await button(county, '搜索').click();
    await county.getByRole('link', { name: victim }).click();
    await county.getByTestId('record-status').getByText('未提交').waitFor();

    await button(county, '删除').click();
    const dialog = county.getByRole('dialog', { name: '删除记录' });
    await dialog.getByText(`确定删除《${victim}》吗？删除后不能恢复。`).waitFor();
    expect(await focusedText(county)).toBe('取消');
    await shot(county, '15-delete-confirm');
    await county.keyboard.press('Enter'); // Enter on the opened dialog cancels
    await dialog.waitFor({ state: 'detached' });
    expect(await draftCount()).toBe(25);

    await button(county, '删除').click();
    await button(county, '确定删除').click();
    await county.getByText(`已删除《${victim}》`).waitFor();
    await county.getByRole('navigation', { name: '分页' }).getByText('共 24 条，第 1 页 / 共 2 页').waitFor();
    expect(await system.sql('SELECT 1 FROM review.record WHERE id = $1', [forms[3].id])).toHaveLength(0);
    const audit = await eventually(async () => {
      const rows = await system.sql(
        "SELECT actor_username FROM identity.audit_log WHERE action = 'record.delete' AND target_id = $1",
        [forms[3].id],
      );
      return rows.length ? rows : undefined;
    });
    expect(audit[0].actor_username).toBe(COUNTY);
  });

  it('shows an import waiting for the review service with its progress, and its report once it completes', async () => {
    const path = join(files, '北戴河区补报.zip');
    writeFileSync(path, extraPackage);
    await system.stop('review');
    try {
      await county.getByRole('link', { name: '导入', exact: true }).click();
      await county.getByLabel('选择上报文件').setInputFiles(path);
      await button(county, '导入').click();
      // The package was read (3 forms) but could not be handed to review: the job waits for its retry.
      await eventually(async () => {
        const [job] = await system.sql(
          "SELECT attempts FROM intake.import_job WHERE status = 'QUEUED' AND progress_total = 3",
        );
        return job?.attempts >= 1 ? job : undefined;
      }, 30_000);
      await county.getByText('导入：排队等待').waitFor();
      await county
        .getByTestId('import-retry')
        .getByText(/系统暂时繁忙，已尝试 \d+ 次，稍后将自动继续，无需重新上传/)
        .waitFor();
      const progress = county.getByRole('progressbar', { name: '导入进度' });
      await progress.waitFor();
      expect(await progress.getAttribute('max')).toBe('100');
      await shot(county, '16-import-waiting');
      expect(await draftCount()).toBe(24);
    } finally {
      await system.startService('review');
    }
    await county.getByText('导入成功：新增 3 张、更新 0 张、无变化 0 张').waitFor({ timeout: 60_000 });
    expect(await county.getByRole('progressbar').count()).toBe(0);
    expect(await county.getByTestId('import-retry').count()).toBe(0);
    expect(await draftCount()).toBe(27);
  });

  it('lists the earlier imports with their outcome, shows a report again and gives back the original file', async () => {
    await county.getByRole('link', { name: '报送记录', exact: true }).click();
    await county.getByRole('link', { name: '导入', exact: true }).click();
    const row = county.getByRole('table', { name: '导入记录' }).getByRole('row', { name: /北戴河区补报\.zip/ });
    await row.getByRole('cell', { name: '新增 3 张、更新 0 张、无变化 0 张' }).waitFor();
    expect(await row.getByRole('cell', { name: '处理完成' }).count()).toBe(1);
    expect(await county.getByTestId('import-result').count()).toBe(0);
    await shot(county, '17-import-history');
    await row.getByRole('button', { name: '查看报告' }).click();
    await county.getByTestId('import-summary').getByText('导入成功：新增 3 张、更新 0 张、无变化 0 张').waitFor();
    for (const form of extra)
      await county.getByTestId('import-result').getByRole('cell', { name: form.site.siteName }).waitFor();
    const file = await downloadBy(county, () => row.getByRole('button', { name: '下载文件' }).click());
    expect(file.name).toBe('北戴河区补报.zip');
    expect(Buffer.from(file.bytes).equals(Buffer.from(extraPackage))).toBe(true);
  });
});

describe('web console: files from the tools clerks use', () => {
  const chooseFile = (name: string, bytes: Uint8Array) =>
    county
      .getByLabel('选择上报文件')
      .setInputFiles({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) });
  const result = () => county.getByTestId('import-result');

  beforeAll(async () => {
    await county.getByRole('link', { name: '报送记录', exact: true }).click();
    await county.getByRole('link', { name: '导入', exact: true }).click();
    await county.getByRole('heading', { name: '导入上报文件' }).waitFor();
  });

  it('imports an Excel 97–2003 (.xls) template; a WPS .et that is no workbook is refused with what to do', async () => {
    const saved = [300, 301].map((n) => createSampleForm(n, { fillerUnit: FILLER, columnCount: 1 }));
    await chooseFile('网站基本信息模板.xls', xlsxToXls(await writeTemplate(saved)));
    await county.getByText('已选择：').getByText('网站基本信息模板.xls').waitFor();
    await button(county, '导入').click();
    await result().getByTestId('import-summary').getByText('导入成功：新增 2 张、更新 0 张、无变化 0 张').waitFor();
    for (const form of saved) await result().getByRole('cell', { name: form.site.siteName }).waitFor();
    expect(await draftCount()).toBe(29);

    await chooseFile('网站基本信息模板.et', compoundFile({ WpsContent: 'x' }));
    await county.getByText('已选择：').getByText('网站基本信息模板.et').waitFor();
    // The earlier report is gone the moment another file is chosen.
    expect(await result().count()).toBe(0);
    await button(county, '导入').click();
    const refusal = result().getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      '文件无法导入：这个文件不是Excel工作簿（可能是Word文档或其他格式）：请用Excel或WPS打开，另存为 .xlsx 后再导入',
    );
    expect(await result().getByTestId('import-summary').count()).toBe(0);
    // Nothing imported, and the clerk can go straight on with the saved .xlsx.
    expect(await draftCount()).toBe(29);
    expect(await button(county, '导入').isEnabled()).toBe(true);
    expect(await button(county, '预检').isEnabled()).toBe(true);
  });

  it('imports a package re-zipped on a Chinese Windows PC: GBK entry names without the UTF-8 flag', async () => {
    const forms = [302, 303].map((n) => createSampleForm(n, { fillerUnit: FILLER, columnCount: 1 }));
    const entries = unpack(
      await writePackage(forms, { fillerUnit: FILLER, generator: { name: 'test', version: '1' } }),
    );
    const chinese = entries.filter((entry) => /[^ -~]/.test(entry.name));
    // Each form's entry is named by its site (forms/<id>-<网站名称>.json): those names go to CP936.
    expect(chinese.length).toBeGreaterThanOrEqual(forms.length);
    const rezipped = craftZip(
      entries.map((entry) =>
        chinese.includes(entry)
          ? { ...entry, rawName: new Uint8Array(encode(entry.name, 'cp936')), utf8Flag: false }
          : entry,
      ),
    );
    await chooseFile('北戴河区上报文件（重新压缩）.zip', rezipped);
    await button(county, '导入').click();
    await result().getByTestId('import-summary').getByText('导入成功：新增 2 张、更新 0 张、无变化 0 张').waitFor();
    for (const form of forms) await result().getByRole('cell', { name: form.site.siteName }).waitFor();
    expect(await result().getByTestId('import-error').count()).toBe(0);
    expect(await draftCount()).toBe(31);
    // The unit's 导入记录 lists it by the name it was uploaded with.
    await county
      .getByRole('table', { name: '导入记录' })
      .getByRole('row', { name: /北戴河区上报文件（重新压缩）\.zip/ })
      .getByRole('cell', { name: '新增 2 张、更新 0 张、无变化 0 张' })
      .waitFor();
  });
});

// Runs last: its records (another county's) would change the draft counts above.
describe('web console: editing vs re-import', () => {
  const OTHER_COUNTY = '130302'; // 海港区 under 秦皇岛市
  const [pending, draft] = [createSampleForm(500), createSampleForm(501)];
  let owner: Page;
  const editButton = () => button(owner, '修改');

  beforeAll(async () => {
    const unit = await system.unit(OTHER_COUNTY);
    await system.importForms(unit, [pending, draft]);
    expect((await unit.client.post(`/forms/${pending.id}/submit`)).status).toBe(200);
    owner = (await newPerson(browser)).page;
    await loginOk(owner, base, OTHER_COUNTY, ownPassword(OTHER_COUNTY));
  });

  it('tells the owner why 修改 is not offered while its record waits at the city, and that re-import is', async () => {
    await openRecord(owner, '未审核', pending.site.siteName);
    const why = owner.getByTestId('edit-unavailable');
    await why.waitFor();
    expect(await why.textContent()).toBe(
      '该记录正在上级单位审核中，不能在线修改；如需更正，可在离线填报工具中修改后重新导入（覆盖内容，审核状态不变），或请审核单位退回。',
    );
    expect(await editButton().count()).toBe(0);
  });

  it('offers 修改 on a draft back with its owner, without the explanation', async () => {
    await openRecord(owner, '未提交', draft.site.siteName);
    await editButton().waitFor();
    expect(await owner.getByTestId('edit-unavailable').count()).toBe(0);
  });
});
