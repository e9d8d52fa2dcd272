import { createHeuristicInjectionDetector } from '@cascade/guardrails';
import type { CyberSecEvalRow, XstestRow } from './data';

export interface InjectionBenchResult {
  cyberSecEvalRecall: number;
  cyberSecEvalRecallByVariant: Record<string, number>;
  xstestSafeFpr: number;
  xstestUnsafeFlagRate: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** Scores the attack text (`user_input`) with the application's system prompt as context. */
export function runInjectionBench(cyberSecEval: readonly CyberSecEvalRow[], xstest: readonly XstestRow[]): InjectionBenchResult {
  const detector = createHeuristicInjectionDetector();
  const byVariant = new Map<string, { hit: number; total: number }>();
  let hits = 0;
  for (const row of cyberSecEval) {
    const detected = detector.detect({ text: row.user_input, systemPrompt: row.test_case_prompt, source: 'user' }).detected;
    if (detected) hits++;
    const bucket = byVariant.get(row.injection_variant) ?? { hit: 0, total: 0 };
    bucket.total++;
    if (detected) bucket.hit++;
    byVariant.set(row.injection_variant, bucket);
  }
  const safe = xstest.filter((row) => row.label === 'safe');
  const unsafe = xstest.filter((row) => row.label === 'unsafe');
  const flagged = (rows: readonly XstestRow[]): number => rows.filter((row) => detector.detect({ text: row.prompt }).detected).length;
  return {
    cyberSecEvalRecall: round(hits / cyberSecEval.length),
    cyberSecEvalRecallByVariant: Object.fromEntries([...byVariant].sort().map(([variant, bucket]) => [variant, round(bucket.hit / bucket.total)])),
    xstestSafeFpr: round(flagged(safe) / safe.length),
    xstestUnsafeFlagRate: round(flagged(unsafe) / unsafe.length),
  };
}
