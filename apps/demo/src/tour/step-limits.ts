import { formatUsd } from '../cli/render-table';
import { type TourContext, ask, formatRetryAfter } from './tour-context';
import { TINY_DAILY_BUDGET_USD } from './tour-users';

/** Figures of the limits step, for the report and tests. */
export interface LimitsOutcome {
  rateLimitedAfter: number | undefined;
  rateRetryAfterMs: number | undefined;
  budgetExceededAfter: number | undefined;
  budgetRetryAfterMs: number | undefined;
}

/** Step: FREE users hit their rate limit (10 requests/hour) and a tiny daily budget, with retry-after. */
export async function showLimits(context: TourContext): Promise<LimitsOutcome> {
  const { terminal, questions } = context;
  const { color } = terminal;
  terminal.line(color.bold('4. FREE tier: rate limit and budget') + color.dim('  (@cascade/limits: reserve before the call, settle after)'));
  const outcome: LimitsOutcome = { rateLimitedAfter: undefined, rateRetryAfterMs: undefined, budgetExceededAfter: undefined, budgetRetryAfterMs: undefined };

  let answered = 0;
  let spent = 0;
  for (const question of questions.free.slice(0, 11)) {
    const result = await ask(context, 'ana', question);
    if (result.ok) {
      answered++;
      spent += result.result.costUsd;
      continue;
    }
    outcome.rateLimitedAfter = answered;
    outcome.rateRetryAfterMs = result.error.retryAfterMs;
    terminal.line(`  ana  ${answered} answered (${formatUsd(spent)}, cheap model only), then request ${answered + 1}: ${color.red(`429 ${result.error.code}`)}  retry after ${color.yellow(formatRetryAfter(result.error.retryAfterMs))}`);
    terminal.line(color.dim(`       ${result.error.message}`));
    break;
  }
  if (outcome.rateLimitedAfter === undefined) terminal.line(`  ana  ${answered} answered, no limit reached`);

  answered = 0;
  spent = 0;
  for (const question of questions.free) {
    const result = await ask(context, 'felix', question);
    if (result.ok) {
      answered++;
      spent += result.result.costUsd;
      continue;
    }
    outcome.budgetExceededAfter = answered;
    outcome.budgetRetryAfterMs = result.error.retryAfterMs;
    terminal.line(`  felix  ${answered} answered (${formatUsd(spent)} of $${TINY_DAILY_BUDGET_USD}/day), then request ${answered + 1}: ${color.red(`429 ${result.error.code}`)}  retry after ${color.yellow(formatRetryAfter(result.error.retryAfterMs))}`);
    terminal.line(color.dim(`         ${result.error.message}`));
    break;
  }
  if (outcome.budgetExceededAfter === undefined) terminal.line(`  felix  ${answered} answered (${formatUsd(spent)}), budget not reached`);
  terminal.line();
  return outcome;
}
