import { metrics, trace } from '@opentelemetry/api';
import { OTLPMetricExporter } from '@opentelemetry/exporter-metrics-otlp-http';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { MeterProvider, PeriodicExportingMetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';

/** The registered OTLP pipeline, to flush and shut down on exit. */
export interface OtlpRegistration {
  readonly endpoint: string;
  shutdown(): Promise<void>;
}

/**
 * Registers an OpenTelemetry SDK that sends traces and metrics over OTLP/HTTP (JSON) when
 * `OTEL_EXPORTER_OTLP_ENDPOINT` is set (e.g. `http://127.0.0.1:4318`, or Langfuse's
 * `https://cloud.langfuse.com/api/public/otel` with `OTEL_EXPORTER_OTLP_HEADERS="Authorization=Basic …"`);
 * the exporters read those standard variables themselves. `OTEL_METRICS_EXPORTER=none` /
 * `OTEL_TRACES_EXPORTER=none` leave one signal out. Without it nothing is registered and the
 * telemetry middleware costs next to nothing. The service name is `OTEL_SERVICE_NAME` or `cascade-demo`.
 */
export function registerOtlpFromEnv(env: Readonly<Record<string, string | undefined>>): OtlpRegistration | undefined {
  const endpoint = env['OTEL_EXPORTER_OTLP_ENDPOINT'];
  if (!endpoint) return undefined;
  const resource = resourceFromAttributes({ 'service.name': env['OTEL_SERVICE_NAME'] || 'cascade-demo' });
  // The standard switches: a backend that takes only traces (Langfuse) gets OTEL_METRICS_EXPORTER=none.
  const tracerProvider = env['OTEL_TRACES_EXPORTER'] === 'none' ? undefined : new BasicTracerProvider({ resource, spanProcessors: [new BatchSpanProcessor(new OTLPTraceExporter())] });
  const meterProvider = env['OTEL_METRICS_EXPORTER'] === 'none' ? undefined : new MeterProvider({
    resource,
    readers: [new PeriodicExportingMetricReader({ exporter: new OTLPMetricExporter(), exportIntervalMillis: Number(env['OTEL_METRIC_EXPORT_INTERVAL']) || 15_000 })],
  });
  if (tracerProvider) trace.setGlobalTracerProvider(tracerProvider);
  if (meterProvider) metrics.setGlobalMeterProvider(meterProvider);
  return {
    endpoint,
    async shutdown() {
      await Promise.allSettled([tracerProvider?.shutdown(), meterProvider?.shutdown()]);
    },
  };
}
