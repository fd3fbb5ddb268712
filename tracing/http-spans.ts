// One server span per HTTP request, named by its route template (`POST /webhooks/level/:webhookId`):
// never the URL itself (a webhook id is a capability), a header or a body.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { Middleware } from 'koa';

const tracer = trace.getTracer('levelsync-api');

export function httpSpans(): Middleware {
  return (ctx, next) =>
    tracer.startActiveSpan(
      `${ctx.method} request`,
      { kind: SpanKind.SERVER, attributes: { 'http.request.method': ctx.method } },
      async (span) => {
        try {
          await next();
        } finally {
          // Set by @koa/router once a route matched.
          const route = (ctx as { _matchedRoute?: string })._matchedRoute;
          if (route) {
            span.updateName(`${ctx.method} ${route}`);
            span.setAttribute('http.route', route);
          }
          span.setAttribute('http.response.status_code', ctx.status);
          if (ctx.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
          span.end();
        }
      },
    );
}
