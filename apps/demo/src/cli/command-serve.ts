import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createServerObserver } from '../observe/server-observer';
import { createDemoServer } from '../server/create-demo-server';
import { DEFAULT_LIMITS_PREFIX, openLimitsBackend } from '../server/limits-backend';
import { jsonLinesLogger } from '../server/request-log';
import { parseFlags, providerFromFlags } from './cli-options';
import { openDemoRuntime } from './demo-runtime';
import type { Terminal } from './terminal';

const serveFlagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8787),
  host: z.string().min(1).default('127.0.0.1'),
  'max-body-bytes': z.coerce.number().int().positive().max(64 * 1024 * 1024).default(1024 * 1024),
  redis: z.string().min(1).optional(),
  'redis-prefix': z.string().min(1).max(200).default(DEFAULT_LIMITS_PREFIX),
  'heartbeat-ms': z.coerce.number().int().min(0).max(600_000).default(15_000),
  'admin-key': z.string().min(16, 'CASCADE_ADMIN_KEY (--admin-key) must be at least 16 characters: make one with `openssl rand -hex 24`').optional(),
});

/** One JSON line on stderr beside the access log. */
const logEvent = (event: string, message: string): void => void process.stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event, message })}\n`);

/**
 * `pnpm demo serve [--port 8787] [--host 127.0.0.1] [--redis redis://…] [--redis-prefix p] [--heartbeat-ms 15000] [--admin-key K]`
 * (also `PORT`, `HOST`, `REDIS_URL`, `CASCADE_REDIS_PREFIX`, `CASCADE_SSE_HEARTBEAT_MS`, `CASCADE_ADMIN_KEY`). Streamed answers
 * get an SSE `: ping` comment after that long without a write (0: off). With Redis, every server on it shares the
 * rate, token and budget counters; without, they live in this process. Profiles, keys, spend (`/v1/usage`) and
 * the learned state are in PostgreSQL with `DATABASE_URL` (every host shares them), else in the SQLite file.
 * With an admin key, `/metrics` (Prometheus) and `/dashboard` are served. Stops gracefully on SIGINT/SIGTERM
 * and closes Redis and the database.
 */
export async function commandServe(args: string[], terminal: Terminal): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'max-body-bytes': { type: 'string' },
      traces: { type: 'string', multiple: true }, speed: { type: 'string' }, 'no-pacing': { type: 'boolean' }, db: { type: 'string' },
      redis: { type: 'string' }, 'redis-prefix': { type: 'string' }, 'heartbeat-ms': { type: 'string' }, 'admin-key': { type: 'string' },
    },
    strict: true,
  });
  const env = (name: string): string | undefined => (process.env[name] === '' ? undefined : process.env[name]);
  const flags = parseFlags(serveFlagsSchema, {
    port: values.port ?? env('PORT'), host: values.host ?? env('HOST'), 'max-body-bytes': values['max-body-bytes'],
    redis: values.redis ?? env('REDIS_URL'), 'redis-prefix': values['redis-prefix'] ?? env('CASCADE_REDIS_PREFIX'),
    'heartbeat-ms': values['heartbeat-ms'] ?? env('CASCADE_SSE_HEARTBEAT_MS'),
    'admin-key': values['admin-key'] ?? env('CASCADE_ADMIN_KEY'),
  });
  const provider = providerFromFlags(values);
  // Redis first: an unreachable Redis stops here (STORE_FAILED, exit 1) before anything listens.
  const limits = await openLimitsBackend({ redisUrl: flags.redis, prefix: flags['redis-prefix'], onEvent: (message) => logEvent('limits', message) });
  let runtime: Awaited<ReturnType<typeof openDemoRuntime>>;
  try {
    runtime = await openDemoRuntime(provider, values.db, { store: limits.store, prefix: limits.prefix, onError: (error) => logEvent('limits', `settling failed, usage may be under-counted: ${(error as Error).message}`) });
  } catch (error) {
    await limits.close();
    throw error;
  }
  const server = createDemoServer({
    demo: runtime.demo, keys: runtime.database.keys, maxBodyBytes: flags['max-body-bytes'], heartbeatMs: flags['heartbeat-ms'], log: jsonLinesLogger(process.stderr),
    observer: createServerObserver({ adminKey: flags['admin-key'], learningStats: () => runtime.demo.agent.stats() }),
  });
  let address: Awaited<ReturnType<typeof server.listen>>;
  try {
    address = await server.listen(flags.port, flags.host);
  } catch (error) {
    await runtime.close();
    await limits.close();
    throw error;
  }
  // Handlers first: a signal that arrives right after the banner must still stop gracefully.
  const stopped = new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      terminal.line(`${signal}: finishing requests in flight, then stopping…`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close(10_000).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  const base = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}/v1`;
  terminal.line(`Cascade demo server on ${base} — ${runtime.models.description}`);
  terminal.line(limits.description);
  terminal.line(`Observability: OpenTelemetry GenAI spans and metrics (exported when OTEL_EXPORTER_OTLP_ENDPOINT is set); ${runtime.observability.describe}`);
  const origin = base.slice(0, -'/v1'.length);
  terminal.line(flags['admin-key']
    ? `Metrics: ${origin}/metrics (Prometheus, Authorization: Bearer $CASCADE_ADMIN_KEY) · dashboard: ${origin}/dashboard#key=$CASCADE_ADMIN_KEY`
    : 'Metrics and dashboard: off; set CASCADE_ADMIN_KEY (16+ characters) to serve /metrics and /dashboard');
  terminal.line(`${runtime.database.description} Create a tenant: pnpm demo admin create-user alice --tier pro && pnpm demo admin create-key alice`);
  terminal.line(`Try: curl ${base}/chat/completions -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{"model":"cascade","messages":[{"role":"user","content":"..."}]}'`);
  await stopped;
  await runtime.close();
  await limits.close();
  return 0;
}
