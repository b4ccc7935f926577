// Life after approval in the console (Chromium), over the real system: the owner of an
// approved site files 申请变更 in the editor and sees the field-by-field diff beside the
// approved content (so do its reviewers), the list names the request; 申请关停 asks for a
// reason and an expected date and, once approved up the chain, the site reads 已关停 (so does
// its printed 基本信息表); 申请恢复 brings it back once the city (in the console) and the province
// approve; 申请注销 leaves a read-only record that keeps its 标识码; a 变更 the city returns comes
// back to the owner with the reason on top and the approved content still current.
import { createSampleForm } from '@app/forms';
import { eventually } from '@app/testing';
import { Page } from 'playwright-core';
import { ReviewSystem, Unit } from '../review/support/review-system';
import {
  ConsoleRun,
  loginOk,
  newPerson,
  openRecord,
  ownPassword,
  returnRecord,
  shot,
  startConsoleRun,
} from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130304'; // 北戴河区 under 秦皇岛市
const FILLER = '秦皇岛市北戴河区人民政府办公室';
const forms = [0, 1, 2, 3].map((n) => createSampleForm(n, { fillerUnit: FILLER, columnCount: 1 }));
const [changed, closed, gone, asked] = forms;

let run: ConsoleRun;
let system: ReviewSystem;
let county: Unit;
let city: Unit;
let province: Unit;
let owner: Page;
let reviewer: Page;

beforeAll(async () => {
  run = await startConsoleRun();
  system = run.system;
  [county, city, province] = await Promise.all(['130304', '130300', '130000'].map((code) => system.unit(code)));
  await system.importForms(county, forms);
  for (const form of forms) {
    await county.client.post(`/forms/${form.id}/submit`);
    await city.client.post(`/forms/${form.id}/approve`);
    const approved = await province.client.post(`/forms/${form.id}/approve`);
    if (approved.body.status !== 'APPROVED') throw new Error(JSON.stringify(approved.body));
  }
  owner = (await newPerson(run.browser)).page;
  await loginOk(owner, run.base, COUNTY, ownPassword(COUNTY));
  reviewer = (await newPerson(run.browser)).page;
  await loginOk(reviewer, run.base, '130300', ownPassword('130300'));
});

afterAll(() => run?.close());

const button = (page: Page, name: string) => page.getByRole('button', { name, exact: true });
/** Every button a clerk could use to change the record (打印 changes nothing). */
const CHANGING = ['提交', '修改', '删除', '申请变更', '修改变更申请', '申请关停', '申请恢复', '申请注销', '撤回申请'];
const changingButtons = async (page: Page) =>
  (await page.getByRole('button').allInnerTexts()).filter((text) => CHANGING.includes(text.trim()));

/** Waits until the record's status reads `text` (it reloads after an action's notice). */
const statusReads = (page: Page, text: string) =>
  page.getByTestId('record-status').getByText(text, { exact: true }).waitFor();

/** The printed 基本信息表 of the record open on the page, then back to the record. */
async function printed(page: Page): Promise<{ lifecycle: string; siteCode: string; pending: string | null }> {
  await button(page, '打印').click();
  const sheet = page.getByRole('article', { name: '打印预览' });
  await sheet.getByTestId('print-lifecycle').waitFor();
  const seen = {
    lifecycle: (await sheet.getByTestId('print-lifecycle').textContent()) ?? '',
    siteCode: (await sheet.getByTestId('print-site-code').textContent()) ?? '',
    pending: (await sheet.getByTestId('print-pending').count())
      ? await sheet.getByTestId('print-pending').textContent()
      : null,
  };
  await button(page, '← 返回记录').click();
  await page.getByTestId('record-status').waitFor();
  return seen;
}

describe('web console: 变更, 关停, 恢复 and 注销', () => {
  it('申请变更: the editor files the change; the record shows the diff beside the approved content', async () => {
    await openRecord(owner, '已审核', changed.site.siteName);
    expect(await owner.getByTestId('lifecycle').textContent()).toBe('运行中');
    // An approved record is not edited in place.
    expect(await button(owner, '修改').count()).toBe(0);
    await button(owner, '申请变更').click();
    await owner.getByRole('heading', { name: `申请变更：${changed.site.siteName}` }).waitFor();
    await owner.locator('[id="field-principal.mobile"]').fill('13900000005');
    await owner.getByLabel('变更说明（可选）').fill('负责人更换');
    await button(owner, '提交变更申请').click();

    const pending = owner.getByTestId('pending-request');
    await pending.waitFor();
    expect(await pending.textContent()).toContain('负责人更换');
    // Who asked, by the unit's name (not its account code).
    expect(await pending.textContent()).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2} 由 北戴河区 提出/);
    const diff = owner.getByRole('table', { name: '变更内容对比' });
    const rows = await diff.locator('tbody tr').allInnerTexts();
    expect(rows).toEqual([`负责人手机\t${changed.principal.mobile}\t13900000005`]);
    // The approved content is still what the record shows as current.
    expect(await owner.getByText(changed.principal.mobile, { exact: true }).count()).toBeGreaterThanOrEqual(1);
    expect(await owner.getByTestId('record-status').textContent()).toBe('待 秦皇岛市 审核');
    expect(await owner.getByTestId('site-code').textContent()).toMatch(/^130304\d{4}$/);
    await shot(owner, 'record-change-diff');

    // The city sees it waiting with its kind, and the same diff.
    // (Its records screen was open since login: load it afresh.)
    await reviewer.getByRole('link', { name: '报送记录' }).click();
    await reviewer.reload();
    await reviewer.getByRole('tab', { name: '未审核' }).click();
    const row = reviewer.getByRole('row', { name: new RegExp(changed.site.siteName) });
    await row.waitFor();
    expect(await row.textContent()).toContain('变更申请');
    await row.getByRole('link', { name: changed.site.siteName }).click();
    await reviewer.getByRole('table', { name: '变更内容对比' }).waitFor();
    expect(await reviewer.getByTestId('pending-request').textContent()).toContain('由 北戴河区 提出');
    await button(reviewer, '审核通过').click();
    await reviewer.getByText('审核通过成功').waitFor();

    await province.client.post(`/forms/${changed.id}/approve`);
    await owner.reload();
    await owner.getByTestId('record-status').waitFor();
    expect(await owner.getByTestId('pending-request').count()).toBe(0);
    expect(await owner.getByText('13900000005', { exact: true }).count()).toBe(1);
  });

  it('申请关停 asks for a reason and the expected date; once approved the site reads 已关停', async () => {
    await openRecord(owner, '已审核', closed.site.siteName);
    await button(owner, '申请关停').click();
    const dialog = owner.getByRole('dialog', { name: '申请关停' });
    const submit = dialog.getByRole('button', { name: '提交申请' });
    await dialog.getByLabel('申请理由（必填）').fill('网站改版升级');
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByLabel('预计恢复日期（必填）').fill('2099-03-01');
    await submit.click();
    await owner.getByText('关停申请已提交，等待上级审核').waitFor();
    expect(await owner.getByTestId('pending-request').textContent()).toContain('2099-03-01');

    await city.client.post(`/forms/${closed.id}/approve`);
    await province.client.post(`/forms/${closed.id}/approve`);
    await owner.reload();
    await owner.getByTestId('closed-note').waitFor();
    expect(await owner.getByTestId('lifecycle').textContent()).toBe('已关停');
    expect(await owner.getByTestId('closed-note').textContent()).toContain('预计 2099-03-01 恢复');
    expect(await button(owner, '申请恢复').count()).toBe(1);
    await shot(owner, 'record-closed');
    // The printed 基本信息表 says so too, with its 标识码.
    const siteCode = (await owner.getByTestId('site-code').textContent()) ?? '';
    expect(siteCode).toMatch(/^130304\d{4}$/);
    expect(await printed(owner)).toEqual({
      lifecycle: '已关停：网站改版升级（预计 2099-03-01 恢复）',
      siteCode,
      pending: null,
    });

    // The list filters by lifecycle and shows the badge.
    await owner.getByRole('link', { name: '报送记录' }).click();
    await owner.getByRole('tab', { name: '已审核' }).click();
    await owner.getByLabel('网站运行状态').selectOption('CLOSED');
    const rows = owner.getByRole('tabpanel').locator('tbody tr');
    // The filtered page replaces the unfiltered one: wait for it, not for any row reading 已关停.
    const shown = await eventually(async () => {
      const texts = await rows.allTextContents();
      return texts.length === 1 && texts[0].includes('已关停') ? texts : undefined;
    }, 20_000);
    expect(shown[0]).toContain(closed.site.siteName);
  });
  it('申请恢复 of the closed site: the city approves it in the console, the province finally, and the site runs again', async () => {
    await openRecord(owner, '已审核', closed.site.siteName);
    await button(owner, '申请恢复').click();
    const dialog = owner.getByRole('dialog', { name: '申请恢复' });
    const submit = dialog.getByRole('button', { name: '提交申请' });
    // 恢复 asks only for a reason.
    expect(await dialog.getByLabel('预计恢复日期（必填）').count()).toBe(0);
    expect(await submit.isDisabled()).toBe(true);
    await dialog.getByLabel('申请理由（必填）').fill('改版完成，网站恢复运行');
    await submit.click();
    await owner.getByText('恢复申请已提交，等待上级审核').waitFor();
    const pending = owner.getByTestId('pending-request');
    expect(await pending.locator('legend').textContent()).toBe('审核中的恢复申请');
    expect(await pending.textContent()).toContain('由 北戴河区 提出；理由：改版完成，网站恢复运行');
    // Until the final approval the site is still closed, and nothing else can be asked meanwhile.
    expect(await owner.getByTestId('lifecycle').textContent()).toBe('已关停');
    expect(await owner.getByTestId('record-status').textContent()).toBe('待 秦皇岛市 审核');
    expect(await changingButtons(owner)).toEqual(['撤回申请']);
    expect(await button(owner, '撤回申请').isEnabled()).toBe(true);
    expect((await printed(owner)).pending).toMatch(/^恢复申请，.* 由 北戴河区 提出；终审通过前，本表为已审核的内容$/);

    await reviewer.getByRole('link', { name: '报送记录' }).click();
    await reviewer.getByRole('tab', { name: '未审核' }).click();
    const row = reviewer.getByRole('row', { name: new RegExp(closed.site.siteName) });
    await row.waitFor();
    expect(await row.textContent()).toContain('恢复申请');
    await row.getByRole('link', { name: closed.site.siteName }).click();
    await reviewer.getByTestId('pending-request').getByText('改版完成，网站恢复运行', { exact: false }).waitFor();
    expect(await reviewer.getByTestId('lifecycle').textContent()).toBe('已关停');
    await button(reviewer, '审核通过').click();
    await reviewer.getByText('审核通过成功').waitFor();
    // The record reloads after the notice: wait for its new status.
    await statusReads(reviewer, '待 河北省 审核');
    expect(await button(reviewer, '审核通过').count()).toBe(0);

    expect((await province.client.post(`/forms/${closed.id}/approve`)).body.status).toBe('APPROVED');
    await owner.reload();
    await owner.getByTestId('record-status').waitFor();
    expect(await owner.getByTestId('lifecycle').textContent()).toBe('运行中');
    expect(await owner.getByTestId('record-status').textContent()).toBe('已审核');
    expect(await owner.getByTestId('closed-note').count()).toBe(0);
    expect(await owner.getByTestId('pending-request').count()).toBe(0);
    expect(await changingButtons(owner)).toEqual(['申请变更', '申请关停', '申请注销']);
  });

  it('申请注销 ends in a read-only record that keeps its 标识码, on the page and on paper', async () => {
    await openRecord(owner, '已审核', gone.site.siteName);
    const siteCode = (await owner.getByTestId('site-code').textContent()) ?? '';
    expect(siteCode).toMatch(/^130304\d{4}$/);
    await button(owner, '申请注销').click();
    const dialog = owner.getByRole('dialog', { name: '申请注销' });
    expect(await dialog.textContent()).toContain('注销后网站记录只读，不能恢复；网站标识码不再使用。');
    // 注销 is for good: the dialog opens on 取消, so Enter right away files nothing.
    expect(await owner.evaluate(() => document.activeElement?.textContent)).toBe('取消');
    await dialog.getByLabel('申请理由（必填）').fill('机构撤并，网站不再运行');
    await dialog.getByRole('button', { name: '提交申请' }).click();
    await owner.getByText('注销申请已提交，等待上级审核').waitFor();
    expect(await owner.getByTestId('pending-request').locator('legend').textContent()).toBe('审核中的注销申请');

    expect((await city.client.post(`/forms/${gone.id}/approve`)).status).toBe(200);
    expect((await province.client.post(`/forms/${gone.id}/approve`)).body.status).toBe('APPROVED');
    await owner.reload();
    await owner.getByTestId('record-status').waitFor();
    expect(await owner.getByTestId('lifecycle').textContent()).toBe('已注销');
    expect(await owner.getByTestId('site-code').textContent()).toBe(siteCode);
    expect(await owner.getByRole('note').allInnerTexts()).toContain(
      `网站已注销，记录只读；网站标识码 ${siteCode} 不再分配给其他网站。`,
    );
    // Read-only: not one button that changes it, only 打印 (and 返回列表).
    expect(await changingButtons(owner)).toEqual([]);
    expect(await owner.locator('[aria-label="可进行的操作"] button').allInnerTexts()).toEqual(['打印']);
    expect(await printed(owner)).toEqual({ lifecycle: '已注销', siteCode, pending: null });
  });

  it('a 变更 the city returns comes back to the owner with the reason on top and the approved content still current', async () => {
    const request = { ...asked, principal: { ...asked.principal, mobile: '13900000007' }, reason: '负责人更换' };
    expect((await county.client.post(`/forms/${asked.id}/change-request`, request)).status).toBe(200);

    await openRecord(reviewer, '未审核', asked.site.siteName);
    await reviewer.getByRole('table', { name: '变更内容对比' }).waitFor();
    await returnRecord(reviewer, '请附上负责人任命文件');
    await statusReads(reviewer, '已退回，待 北戴河区 处理');

    await openRecord(owner, '已退回', asked.site.siteName);
    const why = owner.getByTestId('return-reason');
    await why.waitFor();
    expect(await why.textContent()).toMatch(
      /^退回理由（秦皇岛市，\d{4}-\d{2}-\d{2} \d{2}:\d{2}）：请附上负责人任命文件$/,
    );
    expect(await owner.getByTestId('record-status').textContent()).toBe('已退回，待 北戴河区 处理');
    // The approved content is what the record shows as current, the request beside it, the code kept.
    const principal = owner
      .locator('fieldset.section')
      .filter({ has: owner.locator('legend', { hasText: /^负责人$/ }) });
    expect(await principal.innerText()).toContain(asked.principal.mobile);
    expect(await principal.innerText()).not.toContain('13900000007');
    expect(await owner.getByRole('table', { name: '变更内容对比' }).locator('tbody tr').allInnerTexts()).toEqual([
      `负责人手机\t${asked.principal.mobile}\t13900000007`,
    ]);
    expect(await owner.getByTestId('lifecycle').textContent()).toBe('运行中');
    expect(await owner.getByTestId('site-code').textContent()).toMatch(/^130304\d{4}$/);
    // What the owner can do: send the request up again, fix it or take it back; never edit or
    // delete the approved record in place.
    expect(await changingButtons(owner)).toEqual(['提交', '修改变更申请', '撤回申请']);
    expect(await button(owner, '修改变更申请').isEnabled()).toBe(true);
  });
});
