// Drives the console like its users: one browser context per person, real login through the
// page, screenshots of the main screens at 1366×768 into docs/screenshots/.
import { FieldCipher, PresetTreeName } from '@app/platform';
import { eventually } from '@app/testing';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ReviewSystem } from '../../review/support/review-system';
import { launchBrowser } from '../../client/support/browser';
import { ensureWebBuild } from '../../client/support/web-build';

export const SCREENSHOTS = join(__dirname, '..', '..', '..', 'docs', 'screenshots');

export interface ConsoleRun {
  system: ReviewSystem;
  browser: Browser;
  /** The gateway's address: the console at `${base}/`. */
  base: string;
  close(): Promise<void>;
}

/**
 * The whole system over NATS (as the review tests run it), the built console, Debian's chromium.
 * The sample tree unless told otherwise.
 */
export async function startConsoleRun(
  options: { presetTree?: PresetTreeName; config?: Record<string, string> } = {},
): Promise<ConsoleRun> {
  ensureWebBuild();
  const system = await ReviewSystem.start(options);
  const browser = await launchBrowser().catch(async (err: unknown) => {
    await system.close();
    throw err;
  });
  return {
    system,
    browser,
    base: system.anonymous.baseUrl,
    close: async () => {
      await browser.close();
      await system.close();
    },
  };
}

/** A person's own browser: zh-CN in London unless told otherwise (an English browser, another zone). */
export async function newPerson(
  browser: Browser,
  options: { locale?: string; timezoneId?: string } = {},
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    viewport: { width: 1366, height: 768 },
    locale: options.locale ?? 'zh-CN',
    timezoneId: options.timezoneId ?? 'Europe/London',
    acceptDownloads: true,
  });
  context.setDefaultTimeout(20_000);
  return { context, page: await context.newPage() };
}

/** Logs in through the login form and waits for the console (or the forced change screen). */
export async function login(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await page.getByLabel('账号').fill(username);
  await page.getByLabel('密码', { exact: true }).fill(password);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  // Generous: the first logins land while the freshly started system is still seeding.
  await page
    .locator('[data-testid="who"], h1:has-text("修改密码"), [data-testid="error"]')
    .first()
    .waitFor({ timeout: 60_000 });
}

/** Logs in and expects the console itself (not an error, not the forced change). */
export async function loginOk(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await login(page, baseUrl, username, password);
  if (!(await page.getByTestId('who').count()))
    throw new Error(`login of ${username} did not reach the console: ${await page.locator('body').innerText()}`);
}

export async function logout(page: Page): Promise<void> {
  await page.getByRole('button', { name: '退出登录' }).click();
  await page.getByRole('button', { name: '登录', exact: true }).waitFor();
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

/** The initial password exactly as identity sealed it (what the parent's workbook hands out). */
export async function initialPassword(system: ReviewSystem, code: string): Promise<string> {
  // Accounts arrive through the outbox after seeding: on a busy machine a little later.
  const [account] = await eventually(async () => {
    const rows = await system.sql('SELECT initial_password_enc FROM identity.account WHERE username = $1', [code]);
    return rows.length ? rows : undefined;
  }, 60_000);
  return new FieldCipher(system.runtime.config.ENCRYPTION_KEY!).decrypt(
    account.initial_password_enc,
    `initial-password:${code}`,
  );
}

/** The password ReviewSystem.unit() gives a unit when it logs it in. */
export function ownPassword(code: string): string {
  return `Own-Pass-2026-${[...code].reverse().join('')}!`;
}

export async function openTab(page: Page, label: string): Promise<void> {
  await page.getByRole('tab', { name: label }).click();
}

export async function openRecord(page: Page, tab: string, siteName: string): Promise<void> {
  await page.getByRole('link', { name: '报送记录' }).click();
  await openTab(page, tab);
  await page.getByRole('link', { name: siteName }).click();
  await page.getByTestId('record-status').waitFor();
}

export async function returnRecord(page: Page, reason: string): Promise<void> {
  await page.getByRole('button', { name: '退回', exact: true }).click();
  await page.getByLabel('退回理由（必填）').fill(reason);
  await page.getByRole('button', { name: '确定退回' }).click();
  await page.getByText('退回成功').waitFor();
}

export async function changePassword(page: Page, current: string, next: string): Promise<void> {
  await page.getByLabel('当前密码').fill(current);
  await page.getByLabel('新密码', { exact: true }).fill(next);
  await page.getByLabel('再次输入新密码').fill(next);
  await page.getByRole('button', { name: '修改密码', exact: true }).click();
  await page.getByText('密码已修改，请用新密码重新登录').waitFor();
}
