import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createDemoServer } from '../server/create-demo-server';
import { jsonLinesLogger } from '../server/request-log';
import { parseFlags, providerFromFlags } from './cli-options';
import { openDemoRuntime } from './demo-runtime';
import type { Terminal } from './terminal';

const serveFlagsSchema = z.object({
  port: z.coerce.number().int().min(0).max(65_535).default(8787),
  host: z.string().min(1).default('127.0.0.1'),
  'max-body-bytes': z.coerce.number().int().positive().max(64 * 1024 * 1024).default(1024 * 1024),
});

/** `pnpm demo serve [--port 8787] [--host 127.0.0.1]` (also `PORT`, `HOST`). Stops gracefully on SIGINT/SIGTERM. */
export async function commandServe(args: string[], terminal: Terminal): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string' }, host: { type: 'string' }, 'max-body-bytes': { type: 'string' },
      traces: { type: 'string', multiple: true }, speed: { type: 'string' }, 'no-pacing': { type: 'boolean' }, db: { type: 'string' },
    },
    strict: true,
  });
  const flags = parseFlags(serveFlagsSchema, { port: values.port ?? process.env.PORT, host: values.host ?? process.env.HOST, 'max-body-bytes': values['max-body-bytes'] });
  const runtime = await openDemoRuntime(providerFromFlags(values), values.db);
  const server = createDemoServer({ demo: runtime.demo, keys: runtime.database.keys, maxBodyBytes: flags['max-body-bytes'], log: jsonLinesLogger(process.stderr) });
  const address = await server.listen(flags.port, flags.host);
  const base = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}/v1`;
  terminal.line(`Cascade demo server on ${base} — ${runtime.models.description}`);
  terminal.line(`Database ${runtime.database.filename}. Create a tenant: pnpm demo admin create-user alice --tier pro && pnpm demo admin create-key alice`);
  terminal.line(`Try: curl ${base}/chat/completions -H "Authorization: Bearer $KEY" -H "Content-Type: application/json" -d '{"model":"cascade","messages":[{"role":"user","content":"..."}]}'`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string): void => {
      terminal.line(`${signal}: finishing requests in flight, then stopping…`);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void server.close(10_000).then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  runtime.close();
  return 0;
}
