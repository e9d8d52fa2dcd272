/**
 * The moderation part of the guardrails bench alone (dev set; report only, never for tuning):
 *   pnpm --filter @cascade/bench exec tsx --conditions=source src/guardrails/moderation-only.ts
 */
import path from 'node:path';
import { dataDir, loadModeration, loadTraceTexts, loadXstest } from './data';
import { runModerationBench } from './moderation-bench';

const root = dataDir();
const rows = loadModeration(path.join(root, 'moderation/openai-moderation-1680.jsonl'));
const xstest = loadXstest(path.join(root, 'injection/xstest-prompts.csv'));
const traces = loadTraceTexts(path.join(root, 'traces'));
const pick = (result: ReturnType<typeof runModerationBench>) => ({
  perCategory: Object.fromEntries(Object.entries(result.perCategory).map(([category, m]) => [category, { recall: m.recall, fpr: m.fpr, auc: m.auc, recallAtFpr10: m.recallAtFpr10, positives: m.positives }])),
  anyFlag: result.anyFlag,
  xstestSafeFpr: result.xstestSafeFpr,
  benignTraceFlagRate: result.benignTraceFlagRate,
});
console.log(JSON.stringify({ default: pick(runModerationBench(rows, xstest, traces)), model: pick(runModerationBench(rows, xstest, traces, 'model')), lexicon: pick(runModerationBench(rows, xstest, traces, 'lexicon')) }, null, 1));
