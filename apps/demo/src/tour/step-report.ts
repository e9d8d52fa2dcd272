import type { LearningStats } from '@cascade/core';
import { formatMs, formatPercent, formatUsd, renderTable } from '../cli/render-table';
import { type TourReport, summarizeLedger } from '../report/tour-report';
import type { TourContext } from './tour-context';

const TIER_ORDER = ['free', 'starter', 'pro', 'business', 'enterprise'];
const tierRank = (tier: string): number => (TIER_ORDER.includes(tier) ? TIER_ORDER.indexOf(tier) : TIER_ORDER.length);

/** What the learner knew at the end of the tour, and where its state lives. */
export interface LearnedState {
  stats: LearningStats;
  /** Labels of the state loaded at start (earlier runs on the same file). */
  labelsAtStart: number;
  /** Where the state is kept, for the report. */
  storeName: string;
}

/**
 * Closing step: cost (audits included) and quality against always using the strongest model, the
 * learner's own estimate of the share it keeps beside the share measured from the trace labels,
 * accept rate, per-tier spend, latency.
 */
export function showReport(context: TourContext, learned?: LearnedState): TourReport {
  const { terminal, demo } = context;
  const { color } = terminal;
  const report = summarizeLedger(context.ledger, learned);
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
      ...learningRows(report, strong, learned?.storeName),
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

const percentRange = ([low, high]: readonly [number, number]): string => `${(low * 100).toFixed(1)}–${(high * 100).toFixed(1)}%`;

/** Rows of the learner: each drafter's live estimate (agent.stats()) beside the share measured from the trace labels, and the audit spend. */
function learningRows(report: TourReport, strong: string, storeName: string | undefined): string[][] {
  const learning = report.learning;
  if (!learning) return [];
  const rows = learning.drafters.map((drafter) => {
    const measured = learning.measuredShare[drafter.modelId];
    return [
      'learned',
      `${drafter.modelId} keeps ${formatPercent(drafter.estimatedShare)} (${percentRange(drafter.interval)}) of ${strong}'s quality by its own estimate, ` +
        `from ${drafter.labels} labels; measured ${measured === undefined ? 'n/a (no labels)' : formatPercent(measured)} from the trace labels`,
    ];
  });
  rows.push([
    'audits',
    `${formatUsd(learning.auditCostUsd)} on background audits and judge calls (in the cost above)${learning.auditErrors > 0 ? `, ${learning.auditErrors} failed` : ''}` +
      `; learned state${storeName ? ` in ${storeName}` : ''}: ${learning.labelsAtStart} labels at start, ${learning.labelsAtEnd} now`,
  ]);
  return rows;
}
