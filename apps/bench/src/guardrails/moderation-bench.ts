import { moderateLocally, type LocalModeratorConfig, type ModerationCategory } from '@cascade/guardrails';
import type { ModerationRow, XstestRow } from './data';
import { scoreMetrics, type ScoreMetrics } from './score-metrics';

/** Label keys of openai-moderation-1680 and the OpenAI category each one is. */
const LABELS: Readonly<Record<string, ModerationCategory>> = {
  S: 'sexual',
  H: 'hate',
  V: 'violence',
  HR: 'harassment',
  SH: 'self-harm',
  S3: 'sexual/minors',
  H2: 'hate/threatening',
  V2: 'violence/graphic',
};

export interface ModerationBenchResult {
  /** Per category: recall and false-positive rate on the known negatives (label 0) at the default thresholds, precision, AUC, and recall at ≤ 10 % FPR (an ROC point). */
  perCategory: Record<string, ScoreMetrics>;
  anyFlag: { precision: number; recall: number };
  xstestSafeFpr: number;
  /** Benign recorded prompts and answers (the trace files: math and chat) flagged in any category. */
  benignTraceFlagRate: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** The local moderator in `mode` on the OpenAI moderation set (dev: never used for training or thresholds). */
export function runModerationBench(
  rows: readonly ModerationRow[],
  xstest: readonly XstestRow[],
  benignTexts: readonly string[],
  mode: NonNullable<LocalModeratorConfig['mode']> = 'model+lexicon',
): ModerationBenchResult {
  const config: LocalModeratorConfig = mode === 'model+lexicon' ? {} : { mode };
  const scored = new Map<ModerationCategory, { score: number; flagged: boolean; label: 0 | 1 }[]>();
  const any = { tp: 0, fp: 0, fn: 0 };
  for (const row of rows) {
    const result = moderateLocally(row.prompt, config);
    let anyLabel = false;
    for (const [key, category] of Object.entries(LABELS)) {
      const label = row.labels[key];
      if (label === undefined) continue;
      anyLabel ||= label === 1;
      const list = scored.get(category) ?? [];
      scored.set(category, list);
      list.push({ score: result.scores[category], flagged: result.categories[category], label });
    }
    if (result.flagged && anyLabel) any.tp++;
    else if (result.flagged) any.fp++;
    else if (anyLabel) any.fn++;
  }
  const perCategory: ModerationBenchResult['perCategory'] = {};
  for (const [category, list] of scored) perCategory[category] = scoreMetrics(list);
  const safe = xstest.filter((row) => row.label === 'safe');
  const falsePositives = safe.filter((row) => moderateLocally(row.prompt, config).flagged).length;
  return {
    perCategory,
    anyFlag: { precision: round(any.tp / Math.max(1, any.tp + any.fp)), recall: round(any.tp / Math.max(1, any.tp + any.fn)) },
    xstestSafeFpr: round(falsePositives / safe.length),
    benignTraceFlagRate: round(benignTexts.filter((text) => moderateLocally(text, config).flagged).length / Math.max(1, benignTexts.length)),
  };
}
