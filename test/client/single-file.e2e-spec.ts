// The downloadable single HTML file, opened from disk (file://) on a computer with NO network:
// the browser is offline and every request that is not for the file itself is aborted and
// recorded. It must still create, validate and export a package.
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { readPackage } from '@app/package';
import { downloadBy, launchBrowser } from './support/browser';
import { errorNextTo, fillFields, validValues } from './support/fill-form';
import { CLIENT_HTML, ensureWebBuild } from './support/web-build';

jest.setTimeout(120_000);

let browser: Browser;
let context: BrowserContext;
let page: Page;
const blocked: string[] = [];

beforeAll(async () => {
  ensureWebBuild();
  // As a user would have it: one file, alone in a folder (nothing next to it to load).
  const copy = join(mkdtempSync(join(tmpdir(), 'gsr-client-')), '政府网站基本信息离线填报工具.html');
  copyFileSync(CLIENT_HTML, copy);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN' });
  context.setDefaultTimeout(15_000);
  await context.setOffline(true);
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (url.startsWith('file:')) return route.continue();
    blocked.push(url);
    return route.abort();
  });
  page = await context.newPage();
  await page.goto(pathToFileURL(copy).href);
});

afterAll(async () => {
  await browser?.close();
});

const button = (name: string) => page.getByRole('button', { name, exact: true });

describe('single-file offline client from file:// with no network', () => {
  it('loads from the one file alone', async () => {
    await page.getByText('还没有网站信息表').waitFor();
    expect(await page.title()).toBe('政府网站基本信息 离线填报工具');
  });

  it('creates and validates a form', async () => {
    await button('新建网站信息表（每个网站一张）').click();
    await page.getByLabel('联系人电子邮箱', { exact: true }).fill('a@example.gov.cn；b@example.gov.cn');
    expect(await errorNextTo(page, '联系人电子邮箱')).toBe('联系人电子邮箱只能填写一个电子邮箱，不能填写多个');
    await page.getByLabel('首页网址', { exact: true }).fill('ftp://www.example.gov.cn');
    expect(await errorNextTo(page, '首页网址')).toBe(
      '首页网址应为以 http:// 或 https:// 开头的网址，如 http://www.example.gov.cn',
    );
    await fillFields(page, validValues('离线测试网站', '某某县人民政府办公室'));
    expect(await errorNextTo(page, '联系人电子邮箱')).toBeNull();
    await page.getByText('检查通过，可以生成上报文件').waitFor();
    await page.getByText('草稿已保存在本机').waitFor();
    await button('完成，返回列表').click();
  });

  it('exports a package the server-side reader accepts, without any network request', async () => {
    const { bytes } = await downloadBy(page, () => button('生成上报文件').click());
    const contents = readPackage(bytes);
    expect(contents.rejected).toEqual([]);
    expect(contents.forms.map((form) => [form.site.siteName, form.principal.officePhone])).toEqual([
      ['离线测试网站', '010-62345678'],
    ]);
    expect(contents.manifest.fillerUnit).toBe('某某县人民政府办公室');
    expect(blocked).toEqual([]);
  });
});
