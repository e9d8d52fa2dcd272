// @cascade/core/otel: OpenTelemetry GenAI spans and metrics through @opentelemetry/api (optional peer).
export { createTelemetryMiddleware, telemetryConfigSchema, type TelemetryConfig, type TelemetryDeps } from './telemetry-middleware';
export { GEN_AI, CASCADE } from './gen-ai-attributes';
