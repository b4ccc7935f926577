// The console for the accounts side, over real NATS, PostgreSQL, S3 and SMTP, in Debian's
// chromium: support resets a county to its initial password after checking the proof (the
// county must then change it) and unlocks a locked account; the auditor filters the log by
// account, action (its Chinese name) and Beijing dates, checks the chain and exports to Excel;
// a city files two 新增节点申请: the root approves one and finds it in the national tree, and
// rejects the other with a reason the city reads.
import { eventually } from '@app/testing';
import ExcelJS from 'exceljs';
import { Browser, Page } from 'playwright-core';
import { downloadBy } from '../client/support/browser';
import { ReviewSystem } from '../review/support/review-system';
import {
  changePassword,
  ConsoleRun,
  initialPassword,
  login,
  loginOk,
  logout,
  newPerson,
  ownPassword,
  shot,
  startConsoleRun,
} from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130302'; // 海港区
const CONTACT = {
  name: '王芳',
  department: '信息中心',
  officePhone: '0335-3012345',
  mobile: '13800000001',
  email: 'wangfang@example.gov.cn',
};
let system: ReviewSystem;
let browser: Browser;
let base: string;
let county: Page;

let run: ConsoleRun;

beforeAll(async () => {
  ({ system, browser, base } = run = await startConsoleRun());
  const unit = await system.unit(COUNTY);
  const saved = await unit.client.put(`/org-units/${unit.id}/contact`, CONTACT);
  if (saved.status !== 200) throw new Error(`contact: ${saved.status} ${JSON.stringify(saved.body)}`);
  await system.unit('130300');
  county = (await newPerson(browser)).page;
  await loginOk(county, base, COUNTY, ownPassword(COUNTY));
});

afterAll(() => run?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });

describe('web console: support, auditor, root', () => {
  it('support resets the county to its initial password with the proof (the county must change it), and unlocks an account', async () => {
    const support = (await newPerson(browser)).page;
    await loginOk(support, base, 'support', 'Support-Pass-2026');
    // Support's menu is 账号支持 alone: no tree, records or files (三员分立).
    const nav = support.getByRole('navigation', { name: '主导航' });
    await nav.getByRole('link', { name: '账号支持' }).waitFor();
    expect(await nav.getByRole('link').allInnerTexts()).toEqual(['账号支持']);
    // Found by the unit's name: its unit, kind and region, never the contact's values.
    await support.getByLabel('单位代码或单位名称').fill('海港');
    await button(support, '查找').click();
    const found = support.getByRole('row', { name: new RegExp(COUNTY) });
    await found.getByRole('cell', { name: '河北省 秦皇岛市' }).waitFor();
    await found.getByRole('cell', { name: '海港区' }).waitFor();
    const page = await support.content();
    for (const value of Object.values(CONTACT)) expect(page).not.toContain(value);
    await button(support, '重置为初始密码').click();
    const proof = {
      联系人姓名: CONTACT.name,
      '联系电话（办公电话或手机）': CONTACT.mobile,
      单位名称: '海港区',
      所在部门: CONTACT.department,
      初始密码: 'WRONG-PASS',
    };
    for (const [label, value] of Object.entries(proof)) await support.getByLabel(label, { exact: true }).fill(value);
    await button(support, '核验并重置').click();
    await support.getByRole('dialog').getByTestId('error').waitFor();
    await support.getByLabel('初始密码', { exact: true }).fill(await initialPassword(system, COUNTY));
    await shot(support, '11-support-reset');
    await button(support, '核验并重置').click();
    await support.getByText(`账号 ${COUNTY} 的密码已重置为初始密码`).waitFor();
    // The row is read again: it now says the password must be changed.
    await found.getByRole('cell', { name: '是', exact: true }).waitFor();

    // 山海关区 mistypes its password five times and is locked; support unlocks it.
    for (let attempt = 0; attempt < 5; attempt++)
      await system.anonymous.post('/auth/login', { username: '130303', password: 'wrong-password' });
    expect(
      (
        await system.anonymous.post('/auth/login', {
          username: '130303',
          password: await initialPassword(system, '130303'),
        })
      ).status,
    ).not.toBe(200);
    // Any part of the code finds the account, not only its start.
    await support.getByLabel('单位代码或单位名称').fill('0303');
    await button(support, '查找').click();
    await button(support, '解锁').click();
    await support.getByText('账号 130303 已解锁').waitFor();
    await support.getByRole('cell', { name: '未锁定' }).waitFor();
    expect(
      (
        await system.anonymous.post('/auth/login', {
          username: '130303',
          password: await initialPassword(system, '130303'),
        })
      ).status,
    ).toBe(200);
    await support.context().close();

    await logout(county);
    const initial = await initialPassword(system, COUNTY);
    await login(county, base, COUNTY, initial);
    await county.getByText('首次登录（或密码被重置后）必须先修改初始密码').waitFor();
    await changePassword(county, initial, 'Haigang-2026-b!');
    await loginOk(county, base, COUNTY, 'Haigang-2026-b!');
    // And any time from the top bar, not only when forced.
    await county.getByRole('link', { name: '修改密码' }).click();
    await changePassword(county, 'Haigang-2026-b!', 'Haigang-2026-c!');
    await loginOk(county, base, COUNTY, 'Haigang-2026-c!');

    // 退出登录 ends the session on the server too: the token the page held is refused from then on.
    const held = await county.evaluate(() => sessionStorage.getItem('gsr-console-token'));
    expect((await system.anonymous.withToken(held!).get('/me')).status).toBe(200);
    await logout(county);
    expect(await county.evaluate(() => sessionStorage.getItem('gsr-console-token'))).toBeNull();
    await eventually(async () => (await system.anonymous.withToken(held!).get('/me')).status === 401, 10_000, 50);
    await loginOk(county, base, COUNTY, 'Haigang-2026-c!');
  });

  it('a city files a 新增节点申请', async () => {
    const city = (await newPerson(browser)).page;
    await loginOk(city, base, '130300', ownPassword('130300'));
    await city.getByRole('link', { name: '新增节点申请' }).click();
    await city.getByText('本单位没有提交过新增节点申请。').waitFor();
    await city.getByLabel('单位名称').fill('秦皇岛经济技术开发区管理委员会');
    await city.getByLabel('单位代码').fill('130371');
    await city.getByLabel('申请理由').fill('新设立的开发区需要报送网站');
    await button(city, '提交申请').click();
    await city.getByText('申请已提交，等待国务院办公厅审批').waitFor();
    await city.getByRole('cell', { name: '待审批' }).waitFor();
    await city.getByLabel('单位名称').fill('秦皇岛北戴河新区管理委员会');
    await city.getByLabel('单位代码').fill('130372');
    await city.getByLabel('申请理由').fill('新区网站需要单独报送');
    await button(city, '提交申请').click();
    await city
      .getByRole('row', { name: /130372/ })
      .getByRole('cell', { name: '待审批' })
      .waitFor();
    await city.context().close();
  });

  it('the auditor filters the audit log; the root sees the national tree and approves the node request of the city', async () => {
    // An English browser in New York: the console's dates are still Beijing days, read and typed as 2026-12-01.
    const auditor = (await newPerson(browser, { locale: 'en-US', timezoneId: 'America/New_York' })).page;
    await loginOk(auditor, base, 'auditor', 'Auditor-Pass-2026');
    const auditorNav = auditor.getByRole('navigation', { name: '主导航' });
    await auditorNav.getByRole('link', { name: '审计日志' }).waitFor();
    expect(await auditorNav.getByRole('link').allInnerTexts()).toEqual(['审计日志']);
    await auditor.getByLabel('操作人账号').fill(COUNTY);
    await auditor.getByLabel('操作类型').selectOption({ label: '修改密码' });
    await button(auditor, '筛选').click();
    // In Chinese: the action's name, the account with its unit, the target and a sentence.
    const row = auditor.getByRole('row', { name: /修改密码/ }).first();
    await row.waitFor();
    expect(await row.textContent()).toContain('海港区（130302）');
    expect(await row.textContent()).toContain('修改了自己的登录密码');
    await button(auditor, '校验').click();
    await auditor
      .getByTestId('audit-verify')
      .getByText(/审计日志校验通过：已核对 \d+ 条记录/)
      .waitFor();
    const exported = await downloadBy(auditor, () => button(auditor, '导出 Excel').click());
    expect(exported.name).toBe('审计日志.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(Buffer.from(exported.bytes) as unknown as ArrayBuffer);
    const rows = (book.getWorksheet('审计日志')!.getSheetValues().filter(Boolean) as unknown[][]).map((r) =>
      r.slice(1),
    );
    expect(rows[0].slice(0, 7)).toEqual(['序号', '时间（北京时间）', '操作人', '操作', '结果', '对象', '详情']);
    expect(rows.length).toBeGreaterThan(1);
    for (const r of rows.slice(1)) expect(r.slice(2, 4)).toEqual(['海港区（130302）', '修改密码']);
    await auditor.getByLabel('操作类型').selectOption({ label: '全部操作' });
    // Dates are Beijing dates: today's entries are in from today, none up to yesterday.
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
    const yesterday = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(Date.now() - 86_400_000),
    );
    // Not a native date field (it would read 11/26/2026 here): a browser's own format is refused in
    // Chinese and filters nothing; 2026/12/1 as clerks often type it is taken as 2026-12-01.
    const from = auditor.getByLabel('开始日期');
    expect(await from.getAttribute('placeholder')).toBe('2026-12-01');
    await from.fill('11/26/2026');
    await button(auditor, '筛选').click();
    await auditor.getByText('日期格式应为“年-月-日”，例如 2026-12-01').waitFor();
    expect(await from.getAttribute('aria-invalid')).toBe('true');
    expect(await from.inputValue()).toBe('11/26/2026');
    // The list is still the one filtered by account and action (全部操作 was chosen but not applied).
    const actionsShown = await auditor.locator('table.forms tbody tr td:nth-child(3)').allInnerTexts();
    expect(new Set(actionsShown)).toEqual(new Set(['修改密码']));
    await from.fill(today.replace(/-0?/g, '/'));
    await button(auditor, '筛选').click();
    await auditor.getByRole('cell', { name: '修改密码' }).first().waitFor();
    expect(await from.inputValue()).toBe(today);
    expect(await from.getAttribute('aria-invalid')).toBeNull();
    expect(await auditor.getByText('日期格式应为“年-月-日”，例如 2026-12-01').count()).toBe(0);
    await auditor.getByLabel('开始日期').fill('');
    await auditor.getByLabel('结束日期').fill(yesterday);
    await button(auditor, '筛选').click();
    await auditor.getByText('没有符合条件的审计记录').waitFor();

    // 近7天 with every action: a Chinese sentence per entry, and a jump to the last page.
    await auditor.getByLabel('操作人账号').fill('');
    await button(auditor, '近7天').click();
    expect(await auditor.getByLabel('开始日期').inputValue()).toBe(
      new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date(Date.now() - 6 * 86_400_000)),
    );
    expect(await auditor.getByLabel('结束日期').inputValue()).toBe(today);
    const pager = auditor.getByRole('navigation', { name: '分页' });
    const summary = await pager.getByText(/第 1 页 \/ 共 \d+ 页/).textContent();
    const pages = Number(/共 (\d+) 页/.exec(summary!)![1]);
    expect(pages).toBeGreaterThan(1);
    await auditor.getByRole('cell', { name: '修改密码' }).first().waitFor();
    expect(await auditor.locator('table.forms tbody').textContent()).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-|\{"/);
    await shot(auditor, '12-audit');
    await pager.getByLabel('页码').fill(String(pages));
    await pager.getByRole('button', { name: '跳转' }).click();
    await pager.getByText(`第 ${pages} 页 / 共 ${pages} 页`).first().waitFor();
    expect(await button(auditor, '下一页').isDisabled()).toBe(true);
    await button(auditor, '今天').click();
    expect(await auditor.getByLabel('开始日期').inputValue()).toBe(today);
    await auditor.context().close();

    const root = (await newPerson(browser)).page;
    await loginOk(root, base, 'bm0100', 'Root-Pass-2026');
    await root.getByRole('link', { name: '全国单位树' }).click();
    await root.getByRole('button', { name: /河北省/ }).click();
    await root.getByRole('button', { name: /秦皇岛市/ }).waitFor();
    await shot(root, '13-root-tree');
    await root.getByRole('link', { name: '新增节点申请' }).click();
    await root.getByRole('cell', { name: '秦皇岛经济技术开发区管理委员会' }).waitFor();
    await shot(root, '14-node-requests');
    await root
      .getByRole('row', { name: /130371/ })
      .getByRole('button', { name: '批准' })
      .click();
    await root.getByText('已批准：新单位及其账号已创建').waitFor();
    await root
      .getByRole('row', { name: /130371/ })
      .getByRole('cell', { name: '已批准' })
      .waitFor();

    // The other one is rejected: a reason is required, and the city reads it.
    await root
      .getByRole('row', { name: /130372/ })
      .getByRole('button', { name: '驳回' })
      .click();
    const dialog = root.getByRole('dialog', { name: '驳回“秦皇岛北戴河新区管理委员会”' });
    expect(await dialog.getByRole('button', { name: '确定驳回' }).isDisabled()).toBe(true);
    await root.keyboard.type('请并入北戴河区统一报送'); // the reason box has the focus
    await dialog.getByRole('button', { name: '确定驳回' }).click();
    await root.getByText('已驳回', { exact: true }).waitFor();
    await root
      .getByRole('row', { name: /130372/ })
      .getByRole('cell', { name: '已驳回（请并入北戴河区统一报送）' })
      .waitFor();
    expect(await system.sql("SELECT 1 FROM hierarchy.org_unit WHERE code = '130372'")).toHaveLength(0);
    await root.getByRole('link', { name: '全国单位树' }).click();
    await root.getByRole('button', { name: /河北省/ }).click();
    await root.getByRole('button', { name: /秦皇岛市/ }).click();
    await root.getByText('秦皇岛经济技术开发区管理委员会').waitFor();
    expect(await root.getByText('秦皇岛北戴河新区管理委员会').count()).toBe(0);
    await root.context().close();

    // The notice travels through the outbox to the notification service.
    await eventually(
      async () =>
        (
          await system.sql(
            "SELECT 1 FROM notification.notice WHERE title = '新增节点申请未通过：秦皇岛北戴河新区管理委员会'",
          )
        ).length > 0 || undefined,
    );
    const city = (await newPerson(browser)).page;
    await loginOk(city, base, '130300', ownPassword('130300'));
    await city.getByRole('link', { name: '新增节点申请' }).click();
    await city
      .getByRole('row', { name: /130372/ })
      .getByRole('cell', { name: '已驳回（请并入北戴河区统一报送）' })
      .waitFor();
    await city.getByRole('link', { name: /通知/ }).click();
    await city.getByRole('cell', { name: '新增节点申请未通过：秦皇岛北戴河新区管理委员会' }).waitFor();
    await city.context().close();
  });
});
