// Life after approval in the console (Chromium), over the real system: the owner of an
// approved site files 申请变更 in the editor and sees the field-by-field diff beside the
// approved content (so do its reviewers), the list names the request; 申请关停 asks for a
// reason and an expected date and, once approved up the chain, the site reads 已关停.
import { createSampleForm } from '@app/forms';
import { eventually } from '@app/testing';
import { Page } from 'playwright-core';
import { ReviewSystem, Unit } from '../review/support/review-system';
import { ConsoleRun, loginOk, newPerson, openRecord, ownPassword, shot, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130304'; // 北戴河区 under 秦皇岛市
const FILLER = '秦皇岛市北戴河区人民政府办公室';
const forms = [0, 1].map((n) => createSampleForm(n, { fillerUnit: FILLER, columnCount: 1 }));
const [changed, closed] = forms;

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

describe('web console: 变更 and 关停', () => {
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
});
