import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { runBatch } from '@cascade/batch';
import { CascadeError } from '@cascade/core';
import { z } from 'zod';
import { readBatchFile } from '../data/batch-file';
import { parseFlags, providerFromFlags } from './cli-options';
import { ensureCliUser, openDemoRuntime } from './demo-runtime';
import { createProgress } from './progress';
import { formatMs, formatPercent, formatUsd, renderTable } from './render-table';
import type { Terminal } from './terminal';

const batchFlagsSchema = z.object({ concurrency: z.coerce.number().int().positive().max(1000).default(8) });

/** `pnpm demo batch <file.jsonl> [--user U] [--concurrency N]` */
export async function commandBatch(args: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      user: { type: 'string', default: 'local' }, concurrency: { type: 'string' },
      traces: { type: 'string', multiple: true }, speed: { type: 'string' }, 'no-pacing': { type: 'boolean' }, db: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const file = positionals[0];
  if (!file) throw new CascadeError('INVALID_INPUT', 'Give a JSON Lines file: pnpm demo batch questions.jsonl');
  const { concurrency } = parseFlags(batchFlagsSchema, { concurrency: values.concurrency });
  const items = await readBatchFile(resolve(process.env.INIT_CWD ?? process.cwd(), file), values.user);
  const runtime = await openDemoRuntime(providerFromFlags(values), values.db);
  const { color } = terminal;
  try {
    if (items.some((item) => item.userId === 'local')) await ensureCliUser(runtime, 'local');
    const progress = createProgress(terminal, items.length, 'batch');
    const report = await runBatch(runtime.demo.agent, items, {
      concurrency,
      onProgress: (state) => progress.update(state.completed, `${state.failed} failed  ${formatUsd(state.costUsd)}`),
    });
    progress.stop();
    const rows = report.results.map((result) => [
      result.id,
      items[result.index]!.userId ?? '',
      result.status === 'ok' ? color.green('ok') : color.red(result.status),
      result.status === 'ok' ? `${result.result.modelId}${result.result.escalated ? ' ↑' : ''}` : (result.error?.code ?? ''),
      formatUsd(result.costUsd),
      result.status === 'ok' ? result.result.text.replace(/\s+/g, ' ').trim().slice(0, 60) : (result.error?.message.slice(0, 60) ?? ''),
    ]);
    for (const line of renderTable([{ header: 'id' }, { header: 'user' }, { header: 'status' }, { header: 'model' }, { header: 'cost', align: 'right' }, { header: 'answer' }], rows)) terminal.line(line);
    const summary = report.summary;
    terminal.line();
    terminal.line(`${summary.ok}/${summary.total} ok · ${formatUsd(summary.costUsd)} (strongest tier alone ${formatUsd(summary.baselineCostUsd)}, saved ${formatPercent(summary.savings)}) · p50 ${formatMs(summary.latencyP50Ms)} · p95 ${formatMs(summary.latencyP95Ms)}`);
    return summary.ok === summary.total ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
