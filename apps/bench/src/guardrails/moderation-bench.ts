import { moderateLocally, type ModerationCategory } from '@cascade/guardrails';
import type { ModerationRow, XstestRow } from './data';

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
  perCategory: Record<string, { precision: number; recall: number; support: number }>;
  anyFlag: { precision: number; recall: number };
  xstestSafeFpr: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

export function runModerationBench(rows: readonly ModerationRow[], xstest: readonly XstestRow[]): ModerationBenchResult {
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const any = { tp: 0, fp: 0, fn: 0 };
  for (const row of rows) {
    const result = moderateLocally(row.prompt);
    let anyLabel = false;
    for (const [key, category] of Object.entries(LABELS)) {
      const label = row.labels[key];
      if (label === undefined) continue;
      anyLabel ||= label === 1;
      const bucket = counts.get(category) ?? { tp: 0, fp: 0, fn: 0 };
      counts.set(category, bucket);
      const predicted = result.categories[category];
      if (predicted && label === 1) bucket.tp++;
      else if (predicted) bucket.fp++;
      else if (label === 1) bucket.fn++;
    }
    if (result.flagged && anyLabel) any.tp++;
    else if (result.flagged) any.fp++;
    else if (anyLabel) any.fn++;
  }
  const perCategory: ModerationBenchResult['perCategory'] = {};
  for (const [category, bucket] of counts) {
    perCategory[category] = {
      precision: round(bucket.tp + bucket.fp === 0 ? 0 : bucket.tp / (bucket.tp + bucket.fp)),
      recall: round(bucket.tp + bucket.fn === 0 ? 0 : bucket.tp / (bucket.tp + bucket.fn)),
      support: bucket.tp + bucket.fn,
    };
  }
  const safe = xstest.filter((row) => row.label === 'safe');
  const falsePositives = safe.filter((row) => moderateLocally(row.prompt).flagged).length;
  return {
    perCategory,
    anyFlag: { precision: round(any.tp / Math.max(1, any.tp + any.fp)), recall: round(any.tp / Math.max(1, any.tp + any.fn)) },
    xstestSafeFpr: round(falsePositives / safe.length),
  };
}
