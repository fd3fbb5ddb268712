// Serves the admin console: GET / (index.html), its script and styles under /console/, and
// /console/config.json (what the page needs to know that is not secret: where the Temporal UI
// is). Everything comes from this service (no third-party origin) with headers that forbid
// inline scripts, framing and MIME sniffing.
import Router from '@koa/router';
import type { Context } from 'koa';
import { gzipSync } from 'node:zlib';
import { loadConsoleBundle, type ConsoleAsset, type ConsoleBundle } from './bundle';

export interface ConsoleOptions {
  temporalUiUrl: string;
  temporalNamespace: string;
}

export const CONSOLE_SECURITY_HEADERS: Record<string, string> = {
  'Content-Security-Policy': [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; '),
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
};

/** One build per process, started when the app is created; a failed build is retried on the next request. */
let bundlePromise: Promise<ConsoleBundle> | undefined;
function consoleBundle(): Promise<ConsoleBundle> {
  bundlePromise ??= loadConsoleBundle().catch((err: unknown) => {
    bundlePromise = undefined;
    throw err;
  });
  return bundlePromise;
}

export function consoleRoutes(options: ConsoleOptions): Router {
  consoleBundle().catch(() => undefined); // warm up; a failure surfaces on the first request
  const router = new Router();
  const serve = (name: string) => async (ctx: Context) => sendAsset(ctx, (await consoleBundle()).assets.get(name)!);
  router.get('/', serve('index.html'));
  router.get('/index.html', serve('index.html'));
  router.get('/console/app.js', serve('app.js'));
  router.get('/console/app.css', serve('app.css'));
  // Browsers ask for it on every page; there is none, and a 404 would be logged in their console.
  router.get('/favicon.ico', (ctx) => {
    ctx.set(CONSOLE_SECURITY_HEADERS);
    ctx.status = 204;
  });
  router.get('/console/config.json', (ctx) => {
    ctx.set(CONSOLE_SECURITY_HEADERS);
    ctx.set('Cache-Control', 'no-cache');
    ctx.body = {
      temporalUiUrl: options.temporalUiUrl.replace(/\/+$/, ''),
      temporalNamespace: options.temporalNamespace,
    };
  });
  return router;
}

const gzipped = new WeakMap<ConsoleAsset, Buffer>();

/** Revalidated on every load (no-cache + ETag), so a restart with new sources is picked up at once. */
function sendAsset(ctx: Context, asset: ConsoleAsset): void {
  ctx.set(CONSOLE_SECURITY_HEADERS);
  ctx.set('Cache-Control', 'no-cache');
  ctx.set('ETag', asset.etag);
  ctx.set('Vary', 'Accept-Encoding');
  ctx.type = asset.contentType;
  if (ctx.get('if-none-match') === asset.etag) {
    ctx.status = 304;
    return;
  }
  if (ctx.acceptsEncodings('gzip', 'identity') === 'gzip') {
    let body = gzipped.get(asset);
    if (!body) gzipped.set(asset, (body = gzipSync(asset.body)));
    ctx.set('Content-Encoding', 'gzip');
    ctx.body = body;
    return;
  }
  ctx.body = asset.body;
}
