// What a county clerk trying the console as a new user stumbled on (issue 15), in Debian's
// chromium against the whole system over real NATS: a returned record says why at its top and
// in its editor; contact fields show their own messages; the status says who holds a record; the
// tabs count; a city filters by region; 流转历史 speaks in unit names and sentences; notices link to
// their record and the unread badge follows without a page change; 全部审核 is not offered where
// nothing can wait; leaving an unsaved edit asks first; 已保存 after saving; one date format; the
// offline client names the console's real upload path and says where its drafts live.
import { createSampleForm } from '@app/forms';
import { Page } from 'playwright-core';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, openTab, ownPassword, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

const REASON = '联系人手机号有误，请核实后重新报送';
const DATE_TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}$/;
let run: ConsoleRun;
let system: ReviewSystem;
let base: string;
let county: Unit; // 海港区
let city: Unit; // 秦皇岛市
let province: Unit; // 河北省
const returned = createSampleForm(11);
const draft = createSampleForm(12);
let clerk: Page;

beforeAll(async () => {
  run = await startConsoleRun();
  ({ system, base } = run);
  const units: Unit[] = [];
  for (const code of ['130302', '130300', '130000']) units.push(await system.unit(code));
  [county, city, province] = units;
  await system.importForms(county, [returned, draft]);
  clerk = (await newPerson(run.browser)).page;
});

afterAll(() => run?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
const badge = (page: Page) => page.getByRole('navigation', { name: '主导航' }).locator('.badge');

describe('a county clerk’s day', () => {
  it('the badge follows a return without a page change; the notice opens the record with its reason on top', async () => {
    await loginOk(clerk, base, county.code, ownPassword(county.code));
    // A leaf county never has anything waiting for its review: no 全部审核.
    await button(clerk, '全部提交').waitFor();
    expect(await button(clerk, '全部审核').count()).toBe(0);
    expect(await clerk.getByTestId('records-count-DRAFT').textContent()).toBe('2');
    expect(await badge(clerk).count()).toBe(0);

    expect((await county.client.post(`/forms/${returned.id}/submit`)).status).toBe(200);
    expect((await city.client.post(`/forms/${returned.id}/return`, { reason: REASON })).status).toBe(200);
    // Coming back to the tab reloads the badge (and a timer does, every half minute).
    await clerk.waitForFunction(
      () => {
        window.dispatchEvent(new Event('focus'));
        return document.querySelector('nav .badge')?.textContent === '1';
      },
      undefined,
      { polling: 500, timeout: 30_000 },
    );

    await clerk.getByRole('link', { name: /通知/ }).click();
    await clerk.getByRole('link', { name: `网站信息被退回：${returned.site.siteName}` }).click();
    const reason = clerk.getByTestId('return-reason');
    await reason.getByText(REASON).waitFor();
    expect(await reason.textContent()).toContain('秦皇岛市');
    // The reason comes before the actions and the form: it is the first thing on the page.
    const top = await reason.boundingBox();
    const edit = await button(clerk, '修改').boundingBox();
    expect(top!.y).toBeLessThan(edit!.y);
    expect(await clerk.getByTestId('record-status').textContent()).toBe('已退回，待 海港区 处理');
    // Opening it from the notice read it.
    await badge(clerk).waitFor({ state: 'detached' });
  });

  it('the editor shows the reason, asks before leaving unsaved changes, and says 已保存', async () => {
    await button(clerk, '修改').click();
    await clerk.getByTestId('return-reason').getByText(REASON).waitFor();
    await clerk.getByLabel('联系人手机', { exact: true }).fill('13900000002');

    // A menu link with unsaved changes: the console asks (its own dialog); 继续修改 stays in the editor.
    await clerk.getByRole('link', { name: '报送记录' }).click();
    const asked = clerk.getByRole('dialog', { name: '放弃未保存的修改？' });
    await asked.getByText('修改尚未保存，离开后将丢失。确定离开吗？').waitFor();
    await asked.getByRole('button', { name: '继续修改' }).click();
    await asked.waitFor({ state: 'detached' });
    expect(await clerk.getByLabel('联系人手机', { exact: true }).inputValue()).toBe('13900000002');
    expect(await clerk.getByRole('heading', { name: /^修改：/ }).count()).toBe(1);

    await button(clerk, '保存').click();
    await clerk.getByRole('status').getByText('已保存').waitFor();
    expect(await clerk.getByText('第 2 版').count()).toBe(1);
    await button(clerk, '提交').click();
    await clerk.getByTestId('record-status').getByText('待 秦皇岛市 审核').waitFor();
    // One date format everywhere: 2026-12-01 06:40.
    const history = clerk.getByRole('table', { name: '流转历史' });
    const times = await history.locator('tbody tr td:first-child').allTextContents();
    expect(times.length).toBeGreaterThan(3);
    for (const time of times) expect(time).toMatch(DATE_TIME);
    await history.getByRole('cell', { name: '海港区 修改内容', exact: true }).waitFor();
    await history.getByRole('cell', { name: '秦皇岛市 退回 海港区', exact: true }).waitFor();
    await history.getByRole('cell', { name: '海港区 提交，报送 秦皇岛市 审核', exact: true }).last().waitFor();
  });

  it('contact info shows each refused field’s message at the field', async () => {
    await clerk.getByRole('link', { name: '联系人信息' }).click();
    await clerk.getByLabel('联系人姓名').fill('王芳');
    await clerk.getByLabel('所在部门').fill('信息中心');
    await clerk.getByLabel('办公电话').fill('abc');
    await clerk.getByLabel('手机').fill('123');
    await clerk.getByLabel('电子邮箱').fill('wangfang-at-example');
    await button(clerk, '保存').click();
    await clerk.getByTestId('contact-mobile-error').waitFor();
    for (const [field, label] of [
      ['officePhone', '办公电话'],
      ['mobile', '手机'],
      ['email', '电子邮箱'],
    ]) {
      const message = clerk.getByTestId(`contact-${field}-error`);
      expect((await message.textContent())?.length).toBeGreaterThan(2);
      expect(await clerk.getByLabel(label, { exact: true }).getAttribute('aria-invalid')).toBe('true');
    }
    expect(await clerk.getByTestId('contact-name-error').count()).toBe(0);
    await clerk.getByLabel('办公电话').fill('0335-3012345');
    await clerk.getByLabel('手机').fill('13800000001');
    await clerk.getByLabel('电子邮箱').fill('wangfang@example.gov.cn');
    await button(clerk, '保存').click();
    await clerk.getByRole('status').getByText('已保存').waitFor();
    expect(await clerk.getByTestId('contact-mobile-error').count()).toBe(0);
  });

  it('the city counts its tabs, filters by region, approves, and the history says it in words', async () => {
    const reviewer = (await newPerson(run.browser)).page;
    await loginOk(reviewer, base, city.code, ownPassword(city.code));
    await reviewer.getByTestId('records-count-PENDING').getByText('1').waitFor();
    expect(await reviewer.getByTestId('records-count-DRAFT').textContent()).toBe('1');
    await button(reviewer, '全部审核').waitFor();
    await openTab(reviewer, '未审核');
    const row = reviewer.getByRole('row', { name: new RegExp(returned.site.siteName) });
    expect(await row.getByRole('cell', { name: '待 秦皇岛市 审核' }).count()).toBe(1);

    // 山海关区 alone has nothing; 海港区 has the record.
    const region = reviewer.getByLabel('按地区或下级单位筛选');
    await region.selectOption({ label: '山海关区' });
    await reviewer.getByText('没有未审核的记录').waitFor();
    expect(await reviewer.getByTestId('records-count-DRAFT').textContent()).toBe('0');
    await region.selectOption({ label: '海港区' });
    await row.waitFor();

    await reviewer.getByRole('link', { name: returned.site.siteName }).click();
    await button(reviewer, '审核通过').click();
    await reviewer.getByText('审核通过成功').waitFor();
    await reviewer.getByTestId('record-status').getByText('待 河北省 审核', { exact: true }).waitFor();
    const history = reviewer.getByRole('table', { name: '流转历史' });
    const approval = history.getByRole('row', { name: /秦皇岛市 审核通过，报送 河北省/ });
    await approval.waitFor();
    const cells = await approval.getByRole('cell').allTextContents();
    expect(cells[2]).toBe('秦皇岛市');
    expect(cells[3]).toBe('未审核');
    expect(await history.getByText('未审核 → 未审核').count()).toBe(0);
    await reviewer.context().close();
  });

  it('the final approval reaches the clerk as a notice that links to the approved record', async () => {
    expect((await province.client.post(`/forms/${returned.id}/approve`)).status).toBe(200);
    await clerk.waitForFunction(
      () => {
        window.dispatchEvent(new Event('focus'));
        return document.querySelector('nav .badge')?.textContent === '1';
      },
      undefined,
      { polling: 500, timeout: 30_000 },
    );
    await clerk.getByRole('link', { name: /通知/ }).click();
    await clerk.getByRole('link', { name: `网站信息已审核通过：${returned.site.siteName}` }).click();
    await clerk.getByTestId('record-status').getByText('已审核').waitFor();
    expect(await clerk.getByTestId('record-status').textContent()).toBe('已审核');
    expect(await clerk.getByTestId('return-reason').count()).toBe(0);
    expect(await clerk.getByTestId('site-code').textContent()).toMatch(/^130302\d{4}$/);
  });

  it('the offline client names the console’s real upload path and says where drafts live', async () => {
    const { page, context } = await newPerson(run.browser);
    await page.goto(`${base}/client`);
    const where = page.getByTestId('drafts-where');
    await where.getByText('草稿保存在哪里').waitFor();
    expect(await where.textContent()).toContain('/client');
    expect(await where.textContent()).toContain('下载到本机的离线工具文件');
    await where.getByRole('button', { name: '导出数据（备份全部草稿）' }).waitFor();
    // The page is one file whose script may carry non-ASCII text as \u escapes.
    const source = await (await page.request.get(`${base}/client`)).text();
    const inSource = (text: string) =>
      source.includes(text) ||
      source.includes(text.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`));
    expect(inSource('数据管理 →')).toBe(false);
    expect(inSource('点左侧菜单“导入”')).toBe(true);
    await context.close();
    // And the console has that menu entry with the upload.
    await clerk.getByRole('link', { name: '导入', exact: true }).click();
    await clerk.getByRole('heading', { name: '导入上报文件' }).waitFor();
    await button(clerk, '导入').waitFor();
  });
});
