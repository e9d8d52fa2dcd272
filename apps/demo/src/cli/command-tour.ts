import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { DEFAULT_DATABASE_DIR } from '../users/demo-database';
import { runTour } from '../tour/run-tour';
import { providerFromFlags } from './cli-options';
import type { Terminal } from './terminal';

/** `pnpm demo [tour] [--traces file]... [--speed N | --no-pacing] [--db file]` */
export async function commandTour(args: string[], terminal: Terminal): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { traces: { type: 'string', multiple: true }, speed: { type: 'string' }, 'no-pacing': { type: 'boolean' }, db: { type: 'string' } },
    strict: true,
  });
  const started = performance.now();
  await runTour({ terminal, provider: providerFromFlags(values), databaseFile: values.db ?? resolve(DEFAULT_DATABASE_DIR, 'tour.sqlite') });
  terminal.line(terminal.color.dim(`Tour finished in ${((performance.now() - started) / 1000).toFixed(1)} s. Next: pnpm demo serve (README: "Serve it").`));
  return 0;
}
