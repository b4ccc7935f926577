// A first start seen from the console (issue 15, item 10), in Debian's chromium: the whole
// national tree is being created (3,279 units, their accounts and workbooks, some 20 s or more),
// so the login page shows 系统正在初始化 with the progress instead of the form, and turns into the
// login form by itself, without a reload, once the system is usable; then the root logs in.
import { ApiClient, eventually, startTestInfrastructure, TestInfrastructure } from '@app/testing';
import { Browser } from 'playwright-core';
import { RunningSystem, startSystem } from '../../apps/standalone/src/system';
import { launchBrowser } from '../client/support/browser';
import { ensureWebBuild } from '../client/support/web-build';
import { loginOk, newPerson } from './support/console';

jest.setTimeout(600_000);

let browser: Browser;
let infra: TestInfrastructure;
let system: RunningSystem;
let anonymous: ApiClient;

beforeAll(async () => {
  ensureWebBuild();
  browser = await launchBrowser();
  // The whole system over NATS, not waiting for its first start: that is what the page shows.
  infra = await startTestInfrastructure();
  const config = infra.config({ PRESET_TREE: 'national' });
  system = await startSystem({ config, transport: infra.transport('nats', config) });
  anonymous = new ApiClient((await system.gateway.getUrl()).replace('[::1]', '127.0.0.1'));
});

afterAll(async () => {
  await browser?.close();
  await system?.close();
  await infra?.teardown();
});

it('shows 系统正在初始化 with the progress during a first start, then the login form by itself', async () => {
  const { page, context } = await newPerson(browser);
  const base = anonymous.baseUrl;
  await page.goto(`${base}/`);
  const starting = page.getByTestId('system-starting');
  await starting.getByText('系统正在初始化').waitFor();
  // The progress as lines: units, accounts, workbooks done of their totals.
  await starting.getByText(/^单位账号：\d+ \/ \d+$/).waitFor();
  expect(await starting.getByText(/^预置单位：\d+ \/ 3279$/).count()).toBe(1);
  expect(await page.getByLabel('账号').count()).toBe(0);
  // Health says the same meanwhile.
  const health = await anonymous.get('/health');
  if (health.status !== 200) expect(health.body).toMatchObject({ status: 'starting' });

  // No reload: the page looks again by itself and shows the form once the system is usable.
  await page.getByLabel('账号').waitFor({ timeout: 480_000 });
  expect(await starting.count()).toBe(0);
  // Health comes up too. Not necessarily at once: right after the seed the machine is still busy
  // (the last workbooks' objects, the outboxes), and a service's check of its S3 or database can
  // miss while it is (CI saw one 503 "down" there); it must come up, not stay down.
  let last: unknown;
  await eventually(
    async () => {
      const health = await anonymous.get('/health');
      last = health.body;
      return health.status === 200;
    },
    60_000,
    500,
  ).catch(() => {
    throw new Error(`health never answered 200 after the first start: ${JSON.stringify(last)}`);
  });
  await loginOk(page, base, 'bm0100', 'Root-Pass-2026');
  expect(await page.getByTestId('who').textContent()).toContain('国务院办公厅');
  await context.close();
});
