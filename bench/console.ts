// `npm run bench:console`: how fast the console's Level page is on the demo fleet (40 groups,
// 800 devices) in Debian's Chromium, and how much JavaScript it ships. Time-to-interactive here:
// from navigation start until the page's data is rendered and usable — the Level Connection card
// shows its status, every group row has its Mapped Client dropdown (enabled), and the Alert
// Webhook card shows its Webhook URL. Each run is a fresh browser context (cold HTTP cache),
// signed in through sessionStorage before the page loads. Goals are reported, never enforced.
import { gzipSync } from 'node:zlib';
import { loadConsoleBundle } from '../api/console/bundle';
import { launchChromium } from '../test/console/browser';
import { startConsoleStack } from './console-stack';

const RUNS = Number(process.env.BENCH_RUNS ?? 10);
const TTI_GOAL_MS = 1000;
const JS_GOAL_BYTES = 150 * 1024;

/**
 * Run in the page on every animation frame (a function, not a string: the console's CSP forbids
 * eval): the time since navigation start once the page is ready.
 */
function readyProbe(groups: number): number | false {
  const doc = (globalThis as any).document;
  const selects = doc.querySelectorAll('table.groups select:not([disabled])').length;
  const status = doc.querySelector('.badge');
  const webhookUrl = [...doc.querySelectorAll('label')].some((label: any) => label.textContent === 'Webhook URL');
  return selects >= groups && status && webhookUrl ? (globalThis as any).performance.now() : false;
}

async function main(): Promise<void> {
  const stack = await startConsoleStack();
  const browser = await launchChromium();
  try {
    const samples: number[] = [];
    for (let run = 0; run <= RUNS; run++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, baseURL: stack.env.apiUrl });
      await context.addInitScript(`sessionStorage.setItem('levelConsole.token', ${JSON.stringify(stack.token)})`);
      const page = await context.newPage();
      await page.goto('/#/level', { waitUntil: 'commit' });
      const ready = await page.waitForFunction(readyProbe, stack.groups, { polling: 'raf', timeout: 30_000 });
      const ms = (await ready.jsonValue()) as number;
      if (run > 0) samples.push(ms); // run 0 warms the server (first bundle read, ORM caches)
      if (run === RUNS && process.env.BENCH_DETAIL) await printTimeline(page, ms);
      await context.close();
    }
    report(samples, stack.groups, await bundleSizes());
  } finally {
    await browser.close();
    await stack.stop();
  }
}

/** Where one load's time went: the document, each request (start → end), and script evaluation. */
async function printTimeline(page: import('playwright-core').Page, readyMs: number): Promise<void> {
  const entries = await page.evaluate<Array<{ name: string; start: number; end: number; dcl?: number }>>(`[
    ...performance.getEntriesByType('navigation').map((e) => ({ name: 'document', start: e.startTime, end: e.responseEnd, dcl: e.domContentLoadedEventEnd })),
    ...performance.getEntriesByType('resource').map((e) => ({ name: e.name.replace(location.origin, ''), start: e.startTime, end: e.responseEnd })),
  ]`);
  console.log('\n  one load (ms since navigation start):');
  for (const e of entries)
    console.log(
      `    ${e.start.toFixed(0).padStart(5)} → ${e.end.toFixed(0).padStart(5)}  ${e.name}${e.dcl ? ` (DOMContentLoaded ${e.dcl.toFixed(0)})` : ''}`,
    );
  console.log(`    ready at ${readyMs.toFixed(0)}`);
}

async function bundleSizes() {
  const bundle = await loadConsoleBundle();
  const size = (name: string) => {
    const body = bundle.assets.get(name)!.body;
    return { raw: body.length, gzip: gzipSync(body).length };
  };
  return { js: size('app.js'), css: size('app.css'), html: size('index.html') };
}

function report(samples: number[], groups: number, sizes: Awaited<ReturnType<typeof bundleSizes>>): void {
  const sorted = [...samples].sort((a, b) => a - b);
  const median = sorted[Math.floor(sorted.length / 2)]!;
  const max = sorted[sorted.length - 1]!;
  const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'MISS');
  console.log(
    `\nConsole bench: Level page, demo fleet (${groups} groups, 800 devices), ${samples.length} cold loads in Chromium`,
  );
  console.log(
    `  time to interactive  median ${median.toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${max.toFixed(0)} ms   goal ≤ ${TTI_GOAL_MS} ms: ${verdict(max <= TTI_GOAL_MS)} (max)`,
  );
  console.log(
    `  JavaScript           ${kb(sizes.js.gzip)} gzipped (${kb(sizes.js.raw)} minified)   goal ≤ ${kb(JS_GOAL_BYTES)}: ${verdict(sizes.js.gzip <= JS_GOAL_BYTES)}`,
  );
  console.log(`  CSS / HTML           ${kb(sizes.css.gzip)} / ${kb(sizes.html.gzip)} gzipped\n`);
}

main().catch((err: unknown) => {
  console.error(`bench failed: ${(err as Error).stack ?? String(err)}`);
  process.exit(1);
});
