import { formatMs, formatPercent, formatUsd, renderTable } from '../cli/render-table';
import { type TourReport, summarizeLedger } from '../report/tour-report';
import type { TourContext } from './tour-context';

const TIER_ORDER = ['free', 'starter', 'pro', 'business', 'enterprise'];
const tierRank = (tier: string): number => (TIER_ORDER.includes(tier) ? TIER_ORDER.indexOf(tier) : TIER_ORDER.length);

/** Closing step: cost and quality against always using the strongest model, accept rate, per-tier spend, latency. */
export function showReport(context: TourContext): TourReport {
  const { terminal, demo } = context;
  const { color } = terminal;
  const report = summarizeLedger(context.ledger);
  const strong = demo.modelIds[demo.modelIds.length - 1]!;
  terminal.line(color.bold('6. Report'));
  const quality = report.quality === undefined || report.strongQuality === undefined
    ? 'n/a (live models: no labels)'
    : `${report.quality.toFixed(3)} vs ${report.strongQuality.toFixed(3)} for ${strong} alone (${formatPercent(report.qualityRatio ?? 0)} of it, from the trace labels)`;
  const lines = renderTable(
    [{ header: 'figure' }, { header: 'value' }],
    [
      ['answers', `${report.answered} (plus ${report.denied} denied by limits, ${report.blocked} blocked by guardrails)`],
      ['cost', `${formatUsd(report.costUsd)} vs ${formatUsd(report.strongCostUsd)} always ${strong}: ${color.green(`${formatPercent(report.savings)} saved`)}`],
      ['quality', quality],
      ['accept rate', `${formatPercent(report.acceptRate)} of validated drafts accepted; ${formatPercent(report.cheapestShare)} of answers from the cheap model, ${formatPercent(report.escalationRate)} escalated`],
      ['latency', `p50 ${formatMs(report.latencyP50Ms)}, p95 ${formatMs(report.latencyP95Ms)}`],
    ],
  );
  for (const line of lines) terminal.line(`  ${line}`);
  terminal.line();
  const tiers = renderTable(
    [{ header: 'tier' }, { header: 'answers', align: 'right' }, { header: 'spend', align: 'right' }, { header: `always ${strong}`, align: 'right' }, { header: 'drafts skipped', align: 'right' }],
    Object.entries(report.perTier).sort(([a], [b]) => tierRank(a) - tierRank(b)).map(([tier, spend]) => [tier.toUpperCase(), String(spend.requests), formatUsd(spend.costUsd), formatUsd(spend.strongCostUsd), String(spend.draftsSkipped)]),
  );
  for (const line of tiers) terminal.line(`  ${line}`);
  terminal.line();
  return report;
}
