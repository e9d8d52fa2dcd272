import type { CascadeMiddleware } from '@cascade/core';
import { createTelemetryMiddleware } from '@cascade/core/otel';
import { createPiiRedactor } from '@cascade/guardrails';
import { type AuditTrail, createAuditTrail } from '@cascade/profiles';
import type { DemoStorage } from '../users/demo-storage';
import { openDemoAuditStore } from './demo-audit-store';
import { type OtlpRegistration, registerOtlpFromEnv } from './register-otlp';

const HOUR_MS = 3_600_000;

/** Telemetry and the audit trail of the demo agent. */
export interface DemoObservability {
  /** Add after the other middleware. */
  readonly middleware: readonly CascadeMiddleware[];
  /** Undefined with `CASCADE_AUDIT=off`. */
  readonly audit: AuditTrail | undefined;
  /** Where audit records go, for the startup log. */
  readonly describe: string;
  /** Flushes the audit queue and exported telemetry, stops the purge timer, closes the audit store. */
  close(): Promise<void>;
}

/**
 * Builds the demo's observability from the environment:
 * - OpenTelemetry spans and metrics always (a no-op until an SDK is registered); `OTEL_EXPORTER_OTLP_ENDPOINT`
 *   registers an OTLP/HTTP SDK; `CASCADE_OTEL_CONTENT=1` records prompts and answers (off by default).
 * - The audit trail at each profile's `auditLogLevel` (default `standard`): beside the demo's other
 *   state (its PostgreSQL schema, or its SQLite file; table `cascade_audit`); `CASCADE_AUDIT=off`
 *   turns it off. Expired records are purged at start and every hour. Comprehensive records keep the
 *   prompt and answer with PII redacted by `@cascade/guardrails`.
 */
export function openDemoObservability(env: Readonly<Record<string, string | undefined>>, location: DemoStorage['location']): DemoObservability {
  const otlp: OtlpRegistration | undefined = registerOtlpFromEnv(env);
  const telemetry = createTelemetryMiddleware({ recordContent: env['CASCADE_OTEL_CONTENT'] === '1' });
  if (env['CASCADE_AUDIT'] === 'off') {
    return { middleware: [telemetry], audit: undefined, describe: 'audit trail off', close: async () => otlp?.shutdown() };
  }
  const store = openDemoAuditStore(location);
  const redactor = createPiiRedactor({});
  const audit = createAuditTrail({}, {
    store,
    redact: (text) => redactor.redact(text).text,
    onError: (error) => {
      // Dropped records (the queue full while requests are denied) are told once, then every 100th: the log stays bounded.
      const dropped = error.details?.['dropped'];
      if (typeof dropped === 'number' && dropped > 1 && dropped % 100 !== 0) return;
      process.emitWarning(`Audit trail: ${error.message}`);
    },
  });
  const purge = (): void => {
    audit.purge().catch((error: unknown) => process.emitWarning(`Purging expired audit records failed: ${(error as Error).message}`));
  };
  purge();
  const timer = setInterval(purge, HOUR_MS);
  timer.unref();
  return {
    middleware: [telemetry, audit.middleware],
    audit,
    describe: `audit trail in ${location.kind === 'postgres' ? `PostgreSQL (schema ${location.schema})` : location.filename}${otlp ? `; OTLP to ${otlp.endpoint}` : ''}`,
    async close() {
      clearInterval(timer);
      try {
        await audit.close({ abortSignal: AbortSignal.timeout(10_000) });
      } finally {
        await store.close();
        await otlp?.shutdown();
      }
    },
  };
}
