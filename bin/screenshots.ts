// `npm run screenshots`: pictures of the Level page's three cards on the demo fleet, written to
// docs/ (shown in the README). Drives Debian's Chromium like the browser tests.
import { join } from 'node:path';
import { startConsoleStack } from '../bench/console-stack';
import { launchChromium } from '../test/console/browser';
import { card, signIn } from '../test/console/console-steps';

const CARDS: Array<[string, string]> = [
  ['Level Connection', 'console-level-connection.png'],
  ['Sync & Group Mappings', 'console-sync-group-mappings.png'],
  ['Alert Webhook', 'console-alert-webhook.png'],
];

async function main(): Promise<void> {
  const stack = await startConsoleStack();
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: stack.env.apiUrl });
    const page = await context.newPage();
    await signIn(page, stack.token);
    await page
      .getByRole('combobox', { name: /^Mapped Client for / })
      .nth(stack.groups - 1)
      .waitFor();
    await page.getByText('last tested').waitFor();
    await page.screenshot({ path: join('docs', 'console-level-page.png') });
    console.log('docs/console-level-page.png');
    for (const [title, file] of CARDS) {
      await card(page, title).screenshot({ path: join('docs', file) });
      console.log(`docs/${file}`);
    }
  } finally {
    await browser.close();
    await stack.stop();
  }
}

main().catch((err: unknown) => {
  console.error(`screenshots failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
