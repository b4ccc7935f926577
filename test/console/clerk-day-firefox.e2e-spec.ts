// A county clerk's day (issue 15) in Debian's Firefox ESR, against the whole system over real
// NATS: log in, see why the city returned a record (first thing on the record), fix the contact
// fields the server names one by one, submit; the city approves and the province gives the
// final approval; the unread badge follows without a page change and the notice links to the
// record. clerk-day.e2e-spec.ts tells it in chromium with more detail.
import { createSampleForm } from '@app/forms';
import { Browser, Page } from 'puppeteer-core';
import { ensureWebBuild } from '../client/support/web-build';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { ownPassword } from './support/console';
import {
  button,
  field,
  launchFirefox,
  link,
  loginOk,
  newPerson,
  textOf,
  textOnceIs,
  waitForText,
} from './support/firefox';

jest.setTimeout(300_000);

const REASON = '联系人手机号有误，请核实后重新报送';
let system: ReviewSystem;
let browser: Browser;
let base: string;
let county: Unit; // 山海关区
let city: Unit; // 秦皇岛市
let province: Unit; // 河北省
let clerk: Page;
const form = createSampleForm(3);

beforeAll(async () => {
  ensureWebBuild();
  system = await ReviewSystem.start();
  base = system.anonymous.baseUrl;
  browser = await launchFirefox();
  const units: Unit[] = [];
  for (const code of ['130303', '130300', '130000']) units.push(await system.unit(code));
  [county, city, province] = units;
  await system.importForms(county, [form]);
  expect((await county.client.post(`/forms/${form.id}/submit`)).status).toBe(200);
  expect((await city.client.post(`/forms/${form.id}/return`, { reason: REASON })).status).toBe(200);
  clerk = (await newPerson(browser)).page;
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
});

/** The unread badge reads `count`: the page reloads it when the tab gets the focus back. */
async function badgeReads(page: Page, count: string): Promise<void> {
  await page.waitForFunction(
    (expected) => {
      window.dispatchEvent(new Event('focus'));
      return document.querySelector('nav .badge')?.textContent === expected;
    },
    { polling: 500, timeout: 30_000 },
    count,
  );
}

describe('a county clerk’s day in Firefox', () => {
  it('logs in, follows the notice to the returned record and reads why first', async () => {
    await loginOk(clerk, base, county.code, ownPassword(county.code));
    await badgeReads(clerk, '1');
    await clerk.locator('nav a[href="#/notices"]').click();
    await link(clerk, `网站信息被退回：${form.site.siteName}`).click();
    expect(await textOf(clerk, 'record-status')).toBe('已退回，待 山海关区 处理');
    const reason = await textOf(clerk, 'return-reason');
    expect(reason).toContain(REASON);
    expect(reason).toContain('秦皇岛市');
    // Above the buttons: the reason is the first thing a clerk reads.
    const above = await clerk.evaluate(() => {
      const note = document.querySelector('[data-testid="return-reason"]')!.getBoundingClientRect();
      const actions = document.querySelector('[aria-label="可进行的操作"]')!.getBoundingClientRect();
      return note.top < actions.top;
    });
    expect(above).toBe(true);
  });

  it('fixes the contact fields the server names, one message at each field', async () => {
    await link(clerk, '联系人信息').click();
    await field(clerk, '联系人姓名').fill('赵敏');
    await field(clerk, '所在部门').fill('办公室');
    await field(clerk, '办公电话').fill('0335-5051234');
    await field(clerk, '手机').fill('123');
    await field(clerk, '电子邮箱').fill('zhaomin-at-example');
    await button(clerk, '保存').click();
    await clerk.waitForSelector('[data-testid="contact-mobile-error"]');
    expect((await textOf(clerk, 'contact-email-error'))?.length).toBeGreaterThan(2);
    expect(await clerk.$('[data-testid="contact-officePhone-error"]')).toBeNull();
    await field(clerk, '手机').fill('13800000003');
    await field(clerk, '电子邮箱').fill('zhaomin@example.gov.cn');
    await button(clerk, '保存').click();
    await waitForText(clerk, '已保存');
    expect(await clerk.$('[data-testid="contact-mobile-error"]')).toBeNull();
  });

  it('submits; the city approves, the province gives the final approval, and the notice links to it', async () => {
    await link(clerk, '报送记录').click();
    await clerk.locator('::-p-aria([name="已退回"][role="tab"])').click();
    await link(clerk, form.site.siteName).click();
    await button(clerk, '提交').click();
    expect(await textOnceIs(clerk, 'record-status', '待 秦皇岛市 审核')).toBe('待 秦皇岛市 审核');

    const { page: reviewer, context } = await newPerson(browser);
    await loginOk(reviewer, base, city.code, ownPassword(city.code));
    await link(reviewer, form.site.siteName).click();
    await button(reviewer, '审核通过').click();
    await waitForText(reviewer, '审核通过成功');
    expect(await textOnceIs(reviewer, 'record-status', '待 河北省 审核')).toBe('待 河北省 审核');
    await waitForText(reviewer, '秦皇岛市 审核通过，报送 河北省');
    await context.close();

    expect((await province.client.post(`/forms/${form.id}/approve`)).status).toBe(200);
    await badgeReads(clerk, '1');
    await clerk.locator('nav a[href="#/notices"]').click();
    await link(clerk, `网站信息已审核通过：${form.site.siteName}`).click();
    expect(await textOnceIs(clerk, 'record-status', '已审核')).toBe('已审核');
    expect(await clerk.$('[data-testid="return-reason"]')).toBeNull();
    expect(await textOf(clerk, 'site-code')).toBe('1303030001');
  });
});
