// Debian's chromium driven by playwright-core: no browser is ever downloaded.
import { Browser, chromium, Download, Page } from 'playwright-core';
import { readFile } from 'node:fs/promises';

const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ARGS });
}

/** Clicks and returns the file the click downloads, with its suggested name. */
export async function downloadBy(page: Page, click: () => Promise<void>): Promise<{ name: string; bytes: Uint8Array }> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()]);
  return { name: download.suggestedFilename(), bytes: await bytesOf(download) };
}

async function bytesOf(download: Download): Promise<Uint8Array> {
  const path = await download.path();
  if (!path) throw new Error(`download failed: ${await download.failure()}`);
  return new Uint8Array(await readFile(path));
}
