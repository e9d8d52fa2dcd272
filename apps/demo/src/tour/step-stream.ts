import { streamCascade } from '@cascade/stream';
import { formatUsd } from '../cli/render-table';
import { type TourContext, preview } from './tour-context';

/** Figures of the stream step. */
export interface StreamOutcome {
  escalated: boolean;
  modelId: string | undefined;
  deltas: number;
}

/** Step: one answer streamed live in optimistic mode, with a visible switch when the draft fails. */
export async function showStream(context: TourContext, userId = 'priya'): Promise<StreamOutcome> {
  const { terminal, questions, demo, ledger } = context;
  const { color } = terminal;
  terminal.line(color.bold(`2. One answer, streamed live`) + color.dim(`  (@cascade/stream, optimistic mode; user ${userId})`));
  terminal.line(`  ${color.cyan('Q')} ${preview(questions.stream, 200)}`);
  const stream = streamCascade(demo.agent, questions.stream, { userId, streamMode: 'optimistic' });
  const outcome: StreamOutcome = { escalated: false, modelId: undefined, deltas: 0 };
  let atLineStart = true;
  const endLine = (): void => {
    if (!atLineStart) terminal.write('\n');
    atLineStart = true;
  };
  for await (const event of stream) {
    switch (event.type) {
      case 'attempt-start':
        endLine();
        terminal.line(color.dim(`  ── ${event.modelId} (tier ${event.tier}) ──`));
        break;
      case 'text-delta': {
        outcome.deltas++;
        const text = event.text.replace(/\n/g, '\n    ');
        terminal.write(atLineStart ? `    ${text.replace(/^\s+/, '')}` : text);
        atLineStart = false;
        break;
      }
      case 'draft-decision':
        endLine();
        if (event.decision === 'accepted') terminal.line(`  ${color.green('✓ draft accepted')} score ${event.score.toFixed(2)}: ${event.reason}`);
        else terminal.line(`  ${color.red('✗ draft rejected')} score ${event.score.toFixed(2)}: ${event.reason}`);
        break;
      case 'switch':
        endLine();
        outcome.escalated = true;
        terminal.line(`  ${color.yellow(`↑ escalating ${event.from} → ${event.to}`)}${event.discardText ? color.dim(' (the client clears the draft above)') : ''}`);
        break;
      case 'guardrail':
        endLine();
        terminal.line(`  ${color.magenta(`guardrail ${event.action}`)} ${event.findings.map((finding) => finding.type).join(', ')}`);
        break;
      case 'finish': {
        endLine();
        const result = event.result;
        outcome.modelId = result.modelId;
        const entry = ledger.record(result, { userId, prompt: questions.stream });
        terminal.line(`  answered by ${color.bold(result.modelId)}: cost ${formatUsd(result.costUsd)} (strong model alone ${formatUsd(entry.strongCostUsd)}), ${result.attempts.length} attempt(s)`);
        break;
      }
      case 'error':
        endLine();
        terminal.line(color.red(`  ${event.error.code}: ${event.error.message}`));
        break;
      case 'usage':
        break;
    }
  }
  terminal.line();
  return outcome;
}
