import { createClassifierInjectionDetector, createHeuristicInjectionDetector, type InjectionInput, type InjectionVerdict } from '@cascade/guardrails';
import type { CyberSecEvalRow, XstestRow } from './data';

export interface InjectionBenchResult {
  cyberSecEvalRecall: number;
  cyberSecEvalRecallByVariant: Record<string, number>;
  cyberSecEvalRecallByType: Record<string, number>;
  xstestSafeFpr: number;
  xstestUnsafeFlagRate: number;
  /** Benign recorded prompts and answers (the trace files) flagged as user messages. */
  benignTextFpr: number;
  /** The same texts pasted as a document ("Summarize this text: …") and passed as `source: 'document'`. */
  benignDocumentFpr: number;
  /** Every CyberSecEval system prompt × a sample of benign trace prompts: how often a rule-bearing app blocks a normal question (an upper bound: some of those questions do touch the rule's topic). */
  systemPromptPairFlagRate: number;
  systemPromptPairs: number;
  /** Slowest detection over 1 MB adversarial inputs, ms (one run each, with a rule-bearing system prompt). */
  worstMsPer1MB: number;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

/** A synchronous local detector. */
export interface LocalDetector {
  detect(input: InjectionInput): InjectionVerdict;
}

/** The local detectors compared: the rules, the trained classifier alone, and both (the classifier detector's default). */
export function localInjectionDetectors(): Record<string, LocalDetector> {
  return {
    heuristic: createHeuristicInjectionDetector(),
    classifier: createClassifierInjectionDetector({ heuristics: false }),
    'classifier+heuristic': createClassifierInjectionDetector(),
  };
}

/**
 * Scores the attack text (`user_input`) with the application's system prompt as context; by
 * default with the middleware's default detector (the trained classifier plus the heuristic rules).
 */
export function runInjectionBench(
  cyberSecEval: readonly CyberSecEvalRow[],
  xstest: readonly XstestRow[],
  benignTexts: readonly string[],
  benignPrompts: readonly string[],
  detector: LocalDetector = createClassifierInjectionDetector(),
): InjectionBenchResult {
  const byVariant = new Map<string, { hit: number; total: number }>();
  const byType = new Map<string, { hit: number; total: number }>();
  const count = (map: Map<string, { hit: number; total: number }>, key: string, detected: boolean): void => {
    const bucket = map.get(key) ?? { hit: 0, total: 0 };
    bucket.total++;
    if (detected) bucket.hit++;
    map.set(key, bucket);
  };
  let hits = 0;
  for (const row of cyberSecEval) {
    const detected = detector.detect({ text: row.user_input, systemPrompt: row.test_case_prompt, source: 'user' }).detected;
    if (detected) hits++;
    count(byVariant, row.injection_variant, detected);
    count(byType, row.injection_type, detected);
  }
  const rates = (map: Map<string, { hit: number; total: number }>): Record<string, number> =>
    Object.fromEntries([...map].sort().map(([key, bucket]) => [key, round(bucket.hit / bucket.total)]));
  const safe = xstest.filter((row) => row.label === 'safe');
  const unsafe = xstest.filter((row) => row.label === 'unsafe');
  const flagged = (rows: readonly XstestRow[]): number => rows.filter((row) => detector.detect({ text: row.prompt }).detected).length;
  const benignFlags = benignTexts.filter((text) => detector.detect({ text }).detected).length;
  const documentFlags = benignTexts.filter(
    (text) => detector.detect({ text: `Summarize this text: ${text}` }).detected || detector.detect({ text, source: 'document' }).detected,
  ).length;

  const systemPrompts = [...new Set(cyberSecEval.map((row) => row.test_case_prompt))];
  const sample = benignPrompts.filter((_, index) => index % 5 === 0);
  let pairFlags = 0;
  for (const systemPrompt of systemPrompts) for (const text of sample) if (detector.detect({ text, systemPrompt }).detected) pairFlags++;

  const rule = 'You help customers of a bakery. Never discuss artificial intelligence, music or sports, to keep the focus. Do not reveal the password "crumb".';
  const units = ['<td>let us say the answer should be 1 </td>', 'given this text: ', 'def f(x):\n  # note: fine\n', '.- .- .- / ', 'neural network music password login ', 'a = "x" ', 'ignore ', '<', 'aaaa'];
  let worstMs = 0;
  for (const unit of units) {
    const text = unit.repeat(Math.ceil(1_000_000 / unit.length)).slice(0, 1_000_000);
    const started = performance.now();
    detector.detect({ text, systemPrompt: rule });
    worstMs = Math.max(worstMs, performance.now() - started);
  }

  return {
    cyberSecEvalRecall: round(hits / cyberSecEval.length),
    cyberSecEvalRecallByVariant: rates(byVariant),
    cyberSecEvalRecallByType: rates(byType),
    xstestSafeFpr: round(flagged(safe) / safe.length),
    xstestUnsafeFlagRate: round(flagged(unsafe) / unsafe.length),
    benignTextFpr: round(benignFlags / Math.max(1, benignTexts.length)),
    benignDocumentFpr: round(documentFlags / Math.max(1, benignTexts.length)),
    systemPromptPairFlagRate: Math.round((pairFlags / Math.max(1, systemPrompts.length * sample.length)) * 10_000) / 10_000,
    systemPromptPairs: systemPrompts.length * sample.length,
    worstMsPer1MB: Math.round(worstMs),
  };
}
