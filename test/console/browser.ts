// One real Chromium (Debian's /usr/bin/chromium, driven by playwright-core) for the whole run,
// launched by the first console suite and closed by the root after-hook. Each test gets its own
// context (fresh sessionStorage and clipboard permissions) and, when it fails, a screenshot
// under test-output/console/.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
/** Without the networking flags Chromium keeps calling Google services, which fail offline. */
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_DIR = join('test-output', 'console');

let browserPromise: Promise<Browser> | undefined;

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

export function getBrowser(): Promise<Browser> {
  browserPromise ??= launchChromium();
  return browserPromise;
}

export async function stopBrowser(): Promise<void> {
  const pending = browserPromise;
  browserPromise = undefined;
  if (pending) await (await pending).close();
}

export interface ConsolePage {
  context: BrowserContext;
  page: Page;
  /** Browser dialogs (alert, confirm…) the page opened; the console never opens one. */
  dialogs: string[];
  /** Errors the page logged (a Content-Security-Policy violation would show up here). */
  consoleErrors: string[];
  close(): Promise<void>;
}

export async function openPage(apiUrl: string, viewport = { width: 1280, height: 800 }): Promise<ConsolePage> {
  const browser = await getBrowser();
  const context = await browser.newContext({ viewport, baseURL: apiUrl });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: apiUrl });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const dialogs: string[] = [];
  const consoleErrors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  page.on('dialog', (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.dismiss();
  });
  return { context, page, dialogs, consoleErrors, close: () => context.close() };
}

/**
 * For a describe block whose tests each work in one page: registers the afterEach that pictures a
 * failed test's page and closes it, and returns the function a test opens that page with.
 */
export function pagePerTest(): (apiUrl: string, viewport?: { width: number; height: number }) => Promise<ConsolePage> {
  let opened: ConsolePage | undefined;
  afterEach(async function () {
    await screenshotIfFailed(this.currentTest, opened);
    await opened?.close();
    opened = undefined;
  });
  return async (apiUrl, viewport) => (opened = await openPage(apiUrl, viewport));
}

/** A failed test leaves a picture of the page (named after the test, never a secret). */
async function screenshotIfFailed(test: Mocha.Test | undefined, opened: ConsolePage | undefined): Promise<void> {
  if (!test || test.state !== 'failed' || !opened) return;
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const name = test
    .fullTitle()
    .replace(/[^a-z0-9]+/gi, '-')
    .slice(0, 120);
  const path = join(SCREENSHOT_DIR, `${name}.png`);
  await opened.page.screenshot({ path, fullPage: true }).catch(() => undefined);
  console.error(`  screenshot of the failed page: ${path}`);
}
