// OpenTelemetry tracing: one trace from the HTTP request (an admin call or a webhook) through the
// workflow and its activities to each Level HTTP call. On only when OTEL_EXPORTER_OTLP_ENDPOINT is
// set (spans go there over OTLP/HTTP) or a test passes its own span processor; off, nothing is
// registered and the API's tracer is a no-op.
import { context, propagation, trace } from '@opentelemetry/api';
import { Resource } from '@opentelemetry/resources';
import { BatchSpanProcessor, type SpanProcessor } from '@opentelemetry/sdk-trace-base';
import { NodeTracerProvider } from '@opentelemetry/sdk-trace-node';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';

let active: Tracing | undefined;

/** The process's tracing, once started (client, worker and app wire their interceptors from it). */
export function activeTracing(): Tracing | undefined {
  return active;
}

export interface Tracing {
  resource: Resource;
  spanProcessor: SpanProcessor;
  shutdown(): Promise<void>;
}

/** Registers the global tracer provider; undefined when tracing is off. */
export function startTracing(options: {
  otlpEndpoint?: string | undefined;
  spanProcessor?: SpanProcessor;
  serviceName: string;
}): Tracing | undefined {
  // The exporter reads OTEL_EXPORTER_OTLP_ENDPOINT (and _HEADERS) itself, appending /v1/traces.
  const spanProcessor =
    options.spanProcessor ?? (options.otlpEndpoint ? new BatchSpanProcessor(new OTLPTraceExporter()) : undefined);
  if (!spanProcessor) return undefined;
  const resource = new Resource({ 'service.name': options.serviceName });
  const provider = new NodeTracerProvider({ resource, spanProcessors: [spanProcessor] });
  provider.register();
  active = {
    resource,
    spanProcessor,
    async shutdown() {
      active = undefined;
      await provider.shutdown();
      trace.disable();
      context.disable();
      propagation.disable();
    },
  };
  return active;
}
