// A client span around each HTTP attempt to Level, child of the activity that made it. Named and
// labelled by the operation template (`GET /v2/devices/:id`): no ids, query, URL or key.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { levelOperation } from '../metrics/level-metrics';

const tracer = trace.getTracer('levelsync-level');

export function levelRequestSpan<T extends { status: number }>(
  method: string,
  path: string,
  attempt: () => Promise<T>,
): Promise<T> {
  const operation = levelOperation(method, path);
  return tracer.startActiveSpan(
    `Level ${operation}`,
    { kind: SpanKind.CLIENT, attributes: { 'http.request.method': method, 'levelsync.level.operation': operation } },
    async (span) => {
      try {
        const exchange = await attempt();
        span.setAttribute('http.response.status_code', exchange.status);
        if (exchange.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
        return exchange;
      } catch (err) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).name });
        throw err;
      } finally {
        span.end();
      }
    },
  );
}
