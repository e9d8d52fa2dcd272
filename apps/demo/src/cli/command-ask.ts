import { parseArgs } from 'node:util';
import { CascadeError } from '@cascade/core';
import { streamCascade } from '@cascade/stream';
import { providerFromFlags } from './cli-options';
import { ensureCliUser, openDemoRuntime } from './demo-runtime';
import { formatMs, formatPercent, formatUsd } from './render-table';
import { explainReplayMiss } from './replay-hint';
import type { Terminal } from './terminal';

/** `pnpm demo ask "<question>" [--user U] [--stream]` */
export async function commandAsk(args: string[], terminal: Terminal): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      user: { type: 'string', default: 'local' }, stream: { type: 'boolean', default: false },
      traces: { type: 'string', multiple: true }, speed: { type: 'string' }, 'no-pacing': { type: 'boolean' }, db: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const question = positionals.join(' ').trim();
  if (question.length === 0) throw new CascadeError('INVALID_INPUT', 'Ask a question: pnpm demo ask "What is 17 * 23?" [--user U] [--stream]');
  const runtime = await openDemoRuntime(providerFromFlags(values), values.db);
  const { color } = terminal;
  try {
    if (values.user === 'local') await ensureCliUser(runtime, 'local');
    try {
      if (values.stream) {
        const stream = streamCascade(runtime.demo.agent, question, { userId: values.user });
        for await (const event of stream) {
          if (event.type === 'attempt-start') terminal.line(color.dim(`── ${event.modelId} ──`));
          else if (event.type === 'text-delta') terminal.write(event.text);
          else if (event.type === 'draft-decision') terminal.line(`\n${event.decision === 'accepted' ? color.green('✓ accepted') : color.red('✗ rejected')} (score ${event.score.toFixed(2)}: ${event.reason})`);
          else if (event.type === 'switch') terminal.line(color.yellow(`↑ ${event.from} → ${event.to}`));
          else if (event.type === 'error') throw event.error;
        }
        const result = await stream.result;
        terminal.line();
        terminal.line(color.dim(`${result.modelId} · ${formatUsd(result.costUsd)} · saved ${formatPercent(result.savings)} · ${formatMs(result.latencyMs)}`));
      } else {
        const result = await runtime.demo.agent.run(question, { userId: values.user });
        terminal.line(result.text.trim());
        terminal.line();
        for (const attempt of result.attempts) terminal.line(color.dim(`  ${attempt.modelId}: ${attempt.status} — ${attempt.reason}`));
        terminal.line(color.dim(`${result.modelId} · ${formatUsd(result.costUsd)} · saved ${formatPercent(result.savings)} vs ${formatUsd(result.baselineCostUsd)} · ${formatMs(result.latencyMs)}`));
      }
    } catch (error) {
      if (explainReplayMiss(error, runtime.models, terminal)) return 1;
      throw error;
    }
    return 0;
  } finally {
    await runtime.close();
  }
}
