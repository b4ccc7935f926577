// Debian's Firefox ESR driven by puppeteer-core over WebDriver BiDi (playwright-core cannot
// drive a stock Firefox): no browser is ever downloaded. One browser context per person, pages
// at 1366×768, and the browser's time zone forced to Europe/London, so any Beijing time the
// console shows has to come from the console itself.
import { Browser, BrowserContext, ElementHandle, launch, Locator, Page } from 'puppeteer-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { SCREENSHOTS } from './console';

export const BROWSER_TIME_ZONE = 'Europe/London';
const WAIT_MS = 20_000;

export function launchFirefox(): Promise<Browser> {
  return launch({
    browser: 'firefox',
    executablePath: process.env.FIREFOX_PATH ?? '/usr/bin/firefox-esr',
    headless: true,
    defaultViewport: { width: 1366, height: 768 },
    env: { ...process.env, TZ: BROWSER_TIME_ZONE },
    extraPrefsFirefox: { 'intl.accept_languages': 'zh-CN, zh' },
  });
}

export async function newPerson(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.createBrowserContext();
  const page = await context.newPage();
  page.setDefaultTimeout(WAIT_MS);
  return { context, page };
}

const quoted = (text: string) => JSON.stringify(text);

/** The input, textarea or select whose accessible name (its label) is exactly `name`. */
export function field(page: Page, name: string): Locator<Element> {
  // A bare ::-p-aria(name) also matches the <label> itself in Firefox, and Firefox gives
  // password inputs no role that a query can name, hence the element filter instead of a role.
  return page.locator(`:is(input, textarea, select)::-p-aria(${quoted(name)})`);
}

export function button(page: Page, name: string): Locator<Element> {
  return page.locator(`::-p-aria([name=${quoted(name)}][role="button"])`);
}

export function link(page: Page, name: string): Locator<Element> {
  return page.locator(`::-p-aria([name=${quoted(name)}][role="link"])`);
}

/** Waits for an element whose text contains `text`. */
export async function waitForText(page: Page, text: string, timeout = WAIT_MS): Promise<void> {
  await page.waitForSelector(`::-p-text(${quoted(text)})`, { timeout });
}

/** The text of `[data-testid=…]` once it is there. */
export async function textOf(page: Page, testId: string): Promise<string | null> {
  const element = await page.waitForSelector(`[data-testid="${testId}"]`);
  return element!.evaluate((node) => node.textContent);
}

/** The text of `[data-testid=…]` once it reads `expected` (or whatever it reads after the wait, for the assertion). */
export async function textOnceIs(page: Page, testId: string, expected: string): Promise<string | null> {
  await page
    .waitForFunction(
      (id, text) => document.querySelector(`[data-testid="${id}"]`)?.textContent === text,
      { timeout: WAIT_MS },
      testId,
      expected,
    )
    .catch(() => undefined);
  return page.$eval(`[data-testid="${testId}"]`, (node) => node.textContent).catch(() => null);
}

export async function isGone(page: Page, selector: string): Promise<boolean> {
  return (await page.$(selector)) === null;
}

/** Logs in through the login form and waits for the console, the forced change screen or an error. */
export async function login(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/`);
  await field(page, '账号').fill(username);
  await field(page, '密码').fill(password);
  await button(page, '登录').click();
  // Generous: the first logins land while the freshly started system is still seeding.
  await page.waitForFunction(
    () =>
      document.querySelector('[data-testid="who"], [data-testid="error"]') ??
      Array.from(document.querySelectorAll('h1')).find((h) => h.textContent === '修改密码'),
    { timeout: 60_000 },
  );
}

/** Logs in and expects the console itself (not an error, not the forced change). */
export async function loginOk(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await login(page, baseUrl, username, password);
  if (await isGone(page, '[data-testid="who"]')) {
    throw new Error(
      `login of ${username} did not reach the console: ${await page.$eval('body', (body) => body.innerText)}`,
    );
  }
}

export async function chooseFile(page: Page, path: string): Promise<void> {
  // The input is hidden behind the drop zone's 选择文件 button; BiDi's setFiles fills it anyway.
  const input = (await page.waitForSelector(
    'input[type="file"][aria-label="选择上报文件"]',
  )) as ElementHandle<HTMLInputElement>;
  await input.uploadFile(path);
}

export async function openRecord(page: Page, tab: string, siteName: string): Promise<void> {
  await link(page, '报送记录').click();
  await page.locator(`::-p-aria([name=${quoted(tab)}][role="tab"])`).click();
  await link(page, siteName).click();
  await page.waitForSelector('[data-testid="record-status"]');
}

export async function returnRecord(page: Page, reason: string): Promise<void> {
  await button(page, '退回').click();
  await field(page, '退回理由（必填）').fill(reason);
  await button(page, '确定退回').click();
  await waitForText(page, '退回成功');
}

/** The element that has the keyboard focus, described as tag, type and text (for assertions). */
export function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    const active = document.activeElement as HTMLElement | null;
    if (!active) return 'nothing';
    const type = active.getAttribute('type');
    // A tab's count beside its name is left out: the name is what is compared.
    const count = active.querySelector('.tab-count')?.textContent ?? '';
    const text = (active.innerText ?? '').replace(/\s+/g, ' ').trim();
    const name = count && text.endsWith(count) ? text.slice(0, -count.length).trim() : text;
    return `${active.tagName.toLowerCase()}${type ? `[${type}]` : ''} ${name}`.trim();
  });
}

export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) as `${string}.png` });
}
