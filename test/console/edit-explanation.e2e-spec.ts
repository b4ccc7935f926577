// Editing vs re-import in the console (docs/DOMAIN.md, Workflow): where the owner's record waits
// at a reviewer, 修改 is not offered and the page says why and what to do instead; a draft back
// with its owner offers 修改 and needs no explanation. In Debian's chromium over the real system.
import { createSampleForm } from '@app/forms';
import { Page } from 'playwright-core';
import { ConsoleRun, loginOk, newPerson, openRecord, ownPassword, startConsoleRun } from './support/console';

jest.setTimeout(300_000);

const COUNTY = '130302'; // 海港区 under 秦皇岛市
const [pending, draft] = [createSampleForm(500), createSampleForm(501)];
let run: ConsoleRun;
let county: Page;

beforeAll(async () => {
  run = await startConsoleRun();
  const unit = await run.system.unit(COUNTY);
  await run.system.importForms(unit, [pending, draft]);
  expect((await unit.client.post(`/forms/${pending.id}/submit`)).status).toBe(200);
  county = (await newPerson(run.browser)).page;
  await loginOk(county, run.base, COUNTY, ownPassword(COUNTY));
});

afterAll(() => run?.close());

const editButton = (page: Page) => page.getByRole('button', { name: '修改', exact: true });

it('tells the owner why 修改 is not offered while its record waits at the city, and that re-import is', async () => {
  await openRecord(county, '未审核', pending.site.siteName);
  const why = county.getByTestId('edit-unavailable');
  await why.waitFor();
  expect(await why.textContent()).toBe(
    '该记录正在上级单位审核中，不能在线修改；如需更正，可在离线填报工具中修改后重新导入（覆盖内容，审核状态不变），或请审核单位退回。',
  );
  expect(await editButton(county).count()).toBe(0);
});

it('offers 修改 on a draft back with its owner, without the explanation', async () => {
  await openRecord(county, '未提交', draft.site.siteName);
  await editButton(county).waitFor();
  expect(await county.getByTestId('edit-unavailable').count()).toBe(0);
});
