import { type BatchRequest, runBatch } from '@cascade/batch';
import { formatMs, formatPercent, formatUsd, renderTable } from '../cli/render-table';
import { createProgress } from '../cli/progress';
import type { TourContext } from './tour-context';

/** Users whose tiers include batch, alternating over the batch. */
const BATCH_USERS = ['priya', 'bo'] as const;

/** Figures of the batch step. */
export interface BatchOutcome {
  total: number;
  ok: number;
  escalated: number;
  costUsd: number;
}

/** Step: a batch through the whole pipeline with a progress bar (@cascade/batch). */
export async function showBatch(context: TourContext): Promise<BatchOutcome> {
  const { terminal, questions, demo, ledger } = context;
  const { color } = terminal;
  const items: BatchRequest[] = questions.batch.map((prompt, index) => ({ id: `q${index + 1}`, input: prompt, userId: BATCH_USERS[index % BATCH_USERS.length]! }));
  terminal.line(color.bold(`3. A batch of ${items.length} questions`) + color.dim(`  (@cascade/batch, concurrency 8; users ${BATCH_USERS.join(' (pro), ')} (business))`));
  const progress = createProgress(terminal, items.length, 'batch');
  let escalated = 0;
  const report = await runBatch(demo.agent, items, {
    concurrency: 8,
    retries: 0,
    onResult(result) {
      if (result.status !== 'ok') return;
      const item = items[result.index]!;
      ledger.record(result.result, { userId: item.userId!, prompt: item.input as string });
      if (result.result.escalated) escalated++;
    },
    onProgress(state) {
      progress.update(state.completed, `${escalated} escalated  ${formatUsd(state.costUsd)}`);
    },
  });
  progress.stop();
  const { summary } = report;
  const failures = report.results.filter((result) => result.status !== 'ok');
  const table = renderTable(
    [{ header: 'items' }, { header: 'ok', align: 'right' }, { header: 'escalated', align: 'right' }, { header: 'cost', align: 'right' }, { header: 'strongest tier alone', align: 'right' }, { header: 'savings', align: 'right' }, { header: 'p50', align: 'right' }, { header: 'p95', align: 'right' }],
    [[String(summary.total), String(summary.ok), String(escalated), formatUsd(summary.costUsd), formatUsd(summary.baselineCostUsd), formatPercent(summary.savings), formatMs(summary.latencyP50Ms), formatMs(summary.latencyP95Ms)]],
  );
  for (const line of table) terminal.line(`  ${line}`);
  for (const failure of failures.slice(0, 3)) terminal.line(color.red(`  ${failure.id}: ${failure.status} ${failure.error?.code ?? ''} ${failure.error?.message ?? ''}`));
  terminal.line();
  return { total: summary.total, ok: summary.ok, escalated, costUsd: summary.costUsd };
}
