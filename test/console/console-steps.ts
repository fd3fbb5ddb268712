// What a user does in the console, as steps the browser tests share: elements are found by their
// role and visible label, as a person finds them.
import type { Locator, Page } from 'playwright-core';

export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/');
  await page.getByLabel('Admin token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Level', exact: true }).waitFor();
}

export async function saveKey(page: Page, apiKey: string, baseUrl: string): Promise<void> {
  await page.getByLabel('API key').fill(apiKey);
  await page.getByText('Advanced').click();
  await page.getByLabel('Base URL').fill(baseUrl);
  await page.getByRole('button', { name: 'Save Configuration' }).click();
  await page.getByText('Configuration saved').waitFor();
}

export async function goTo(page: Page, navLabel: string): Promise<void> {
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: navLabel }).click();
  await page.getByRole('heading', { name: navLabel, level: 1 }).waitFor();
}

/** The Mapped Client dropdown of the group row with this path. */
export function mappedClient(page: Page, groupPath: string) {
  return page.getByRole('combobox', { name: `Mapped Client for ${groupPath}`, exact: true });
}

export function card(page: Page, title: string) {
  return page.getByRole('region', { name: title });
}

/** Clicks a list's "Load more" until the list has everything (no button: nothing more, or no pagination). */
export async function loadAll(list: Locator): Promise<void> {
  const more = list.getByRole('button', { name: 'Load more' });
  // While a page loads the button reads "Loading…": "no Load more" then means busy, not done.
  const loading = list.getByRole('button', { name: 'Loading…' });
  const rows = () => list.locator('tbody tr').count();
  for (let pages = 0; pages < 100 && (await more.count()) > 0; pages++) {
    const before = await rows();
    await more.click();
    await until(async () => (await loading.count()) === 0 && ((await rows()) > before || (await more.count()) === 0));
  }
}

/** Polls a condition of the page (every 50 ms, at most `timeoutMs`). */
export async function until(condition: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
