// The offline client as the gateway serves it (over http): a person creates a form, fixes
// what the page flags, keeps a draft across a reload, is refused a package while a form has
// errors, and generates one that the SERVER-side reader accepts. Then drafts move to
// "another computer" by 导出数据/导入数据, and an Excel template is imported keeping its ids.
import { Browser, BrowserContext, Page } from 'playwright-core';
import { createSampleForm, SiteForm } from '@app/forms';
import { readPackage, readTemplate, writeTemplate } from '@app/package';
import { workbookOf, xlsxToXls } from '@app/package/testing/craft-xls';
import { downloadBy, launchBrowser } from './support/browser';
import { errorNextTo, fillFields, validValues } from './support/fill-form';
import { serveDirectory, StaticServer } from './support/static-server';
import { CLIENT_DIR, ensureWebBuild } from './support/web-build';

jest.setTimeout(120_000);

const FILLER = '某某市交通运输局';
let browser: Browser;
let server: StaticServer;
let context: BrowserContext;
let page: Page;

beforeAll(async () => {
  ensureWebBuild();
  server = await serveDirectory(CLIENT_DIR);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  page = await context.newPage();
  await page.goto(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const button = (name: string) => page.getByRole('button', { name, exact: true });
const savedDraft = () => page.getByText('草稿已保存在本机').waitFor();
const notice = () => page.getByTestId('notice');

describe('offline client over http', () => {
  it('creates a form, shows errors next to fields while typing, and fixes them', async () => {
    await button('新建网站信息表（每个网站一张）').click();
    await page.getByLabel('负责人手机', { exact: true }).fill('1380013800');
    expect(await errorNextTo(page, '负责人手机')).toBe('手机号应为11位数字');
    await page.getByLabel('负责人办公电话', { exact: true }).fill('010-1234567；010-7654321');
    expect(await errorNextTo(page, '负责人办公电话')).toBe('负责人办公电话只能填写一个电话号码，不能填写多个');
    await fillFields(page, validValues('某某市交通运输局网站', FILLER));
    expect(await errorNextTo(page, '负责人手机')).toBeNull();
    expect(await errorNextTo(page, '负责人办公电话')).toBeNull();

    await button('添加栏目').click();
    await button('添加栏目').click();
    await fillFields(page, { 第1个栏目的栏目名称: '政务公开', 第1个栏目的栏目地址: 'www.e2e.example.gov.cn/zwgk/' });
    expect(await errorNextTo(page, '第1个栏目的栏目地址')).toContain('http://');
    await fillFields(page, { 第1个栏目的栏目地址: 'http://www.e2e.example.gov.cn/zwgk/', 第1个栏目的类别: '信息公开' });
    await page.getByRole('button', { name: '删除第2个栏目' }).click();
    await page.getByText('检查通过，可以生成上报文件').waitFor();
    await savedDraft();
  });

  it('keeps the draft in IndexedDB across a reload', async () => {
    await page.reload();
    const row = page.getByRole('row', { name: /某某市交通运输局网站/ });
    await row.getByText('✓ 可以上报').waitFor();
    await page.getByRole('button', { name: '编辑《某某市交通运输局网站》' }).click();
    expect(await page.getByLabel('负责人办公电话', { exact: true }).inputValue()).toBe('０１０－６２３４５６７８');
    expect(await page.getByLabel('第1个栏目的栏目名称', { exact: true }).inputValue()).toBe('政务公开');
    await button('← 返回列表').click();
  });

  it('refuses to package a form with errors, saying which and why', async () => {
    await button('新建网站信息表（每个网站一张）').click();
    await fillFields(page, { 网站名称: '未填完的网站', 负责人手机: '12345' });
    await savedDraft();
    await button('← 返回列表').click();
    let downloads = 0;
    page.on('download', () => (downloads += 1));
    await button('生成上报文件').click();
    await notice().getByText('有1张表有错误，不能生成上报文件').waitFor();
    const text = await notice().textContent();
    expect(text).toContain('《未填完的网站》');
    expect(text).toContain('负责人手机：手机号应为11位数字');
    expect(text).toContain('请填写首页网址');
    expect(text).not.toContain('某某市交通运输局网站');
    expect(downloads).toBe(0);
  });

  it('generates a package of the valid form that the server-side reader accepts', async () => {
    await page.getByRole('checkbox', { name: '把《未填完的网站》放入上报文件' }).uncheck();
    const { name, bytes } = await downloadBy(page, () => button('生成上报文件').click());
    expect(name).toMatch(/^政府网站基本信息上报文件_某某市交通运输局_\d{8}-\d{4}\.zip$/);
    const contents = readPackage(bytes);
    expect(contents.rejected).toEqual([]);
    expect(contents.manifest).toMatchObject({
      fillerUnit: FILLER,
      generator: { name: '政府网站基本信息离线填报工具' },
    });
    expect(contents.forms).toHaveLength(1);
    const [form] = contents.forms;
    expect(form.site).toMatchObject({
      siteName: '某某市交通运输局网站',
      siteKind: 'department',
      layer: 'own-department',
      siteStatus: 'normal',
      fillerUnit: FILLER,
    });
    expect(form.principal.officePhone).toBe('010-62345678');
    expect(form.columns).toEqual([
      { name: '政务公开', url: 'http://www.e2e.example.gov.cn/zwgk/', category: 'information' },
    ]);
    await notice().getByText(`已生成上报文件：${name}`).waitFor();
  });

  it('moves drafts to another computer with 导出数据 / 导入数据', async () => {
    const exported = await downloadBy(page, () => button('导出数据').click());
    expect(exported.name).toMatch(/^网站信息表数据_\d{8}-\d{4}\.json$/);
    // The other computer runs an English browser in New York.
    const other = await browser.newContext({
      viewport: { width: 1366, height: 768 },
      locale: 'en-US',
      timezoneId: 'America/New_York',
    });
    const otherPage = await other.newPage();
    await otherPage.goto(server.url);
    await otherPage.getByText('还没有网站信息表').waitFor();
    await otherPage
      .getByLabel('选择导出的数据文件')
      .setInputFiles({ name: exported.name, mimeType: 'application/json', buffer: Buffer.from(exported.bytes) });
    await otherPage.getByText('新增2张，更新0张').waitFor();
    await otherPage
      .getByRole('row', { name: /某某市交通运输局网站/ })
      .getByText('✓ 可以上报')
      .waitFor();
    await otherPage.getByRole('row', { name: /未填完的网站/ }).waitFor();
    // 修改时间 reads as in the console, 2026-12-01 06:40 in Beijing time (UTC+8, no summer time),
    // on both computers alike.
    const draft = (JSON.parse(Buffer.from(exported.bytes).toString('utf8')).forms as SiteForm[]).find(
      (form) => form.site.siteName === '某某市交通运输局网站',
    )!;
    const beijing = new Date(Date.parse(draft.updatedAt) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');
    const savedAt = (on: Page) =>
      on
        .getByRole('row', { name: /某某市交通运输局网站/ })
        .getByRole('cell')
        .nth(5) // 上报, 网站名称, 首页网址, 栏目数, 检查结果, 修改时间
        .textContent();
    expect(beijing).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
    expect(await savedAt(page)).toBe(beijing);
    expect(await savedAt(otherPage)).toBe(beijing);
    await other.close();
  });

  it('downloads a blank Excel template and imports a filled one into drafts, keeping ids', async () => {
    const blank = await downloadBy(page, () => button('下载空白Excel模板').click());
    expect(blank.name).toBe('政府网站基本信息表模板.xlsx');
    expect((await readTemplate(blank.bytes)).forms).toEqual([]);
    const sample = createSampleForm(41, { fillerUnit: FILLER });
    const filled = await writeTemplate([sample]);
    await page
      .getByLabel('选择Excel模板文件')
      .setInputFiles({ name: '模板.xlsx', mimeType: 'application/octet-stream', buffer: Buffer.from(filled) });
    await page.getByText('已从Excel导入1张表').waitFor();
    const row = page.locator(`tr[data-form-id="${sample.id}"]`);
    await row.getByText('✓ 可以上报').waitFor();
    expect(await row.textContent()).toContain(sample.site.siteName);
  });

  it('reads an Excel 97–2003 (.xls) template in the browser, and tells to save another format as .xlsx', async () => {
    const sample = createSampleForm(42, { fillerUnit: FILLER });
    const xls = xlsxToXls(await writeTemplate([sample]));
    await page
      .getByLabel('选择Excel模板文件')
      .setInputFiles({ name: '模板.xls', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from(xls) });
    await page.getByText('已从Excel导入1张表').waitFor();
    await page.locator(`tr[data-form-id="${sample.id}"]`).getByText('✓ 可以上报').waitFor();
    const ods = workbookOf([['网站基本信息', [['表单编号', '网站名称']]]], 'ods');
    await page
      .getByLabel('选择Excel模板文件')
      .setInputFiles({ name: '模板.ods', mimeType: 'application/octet-stream', buffer: Buffer.from(ods) });
    await page.getByText('另存为 .xlsx 后再导入').waitFor();
  });
});
