import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createClassifierInjectionDetector, moderateLocally } from '@cascade/guardrails';

/** The training script's report: held-out figures per source, computed with the model trained without that source. */
export function loadValidationReport(): unknown {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return JSON.parse(readFileSync(path.resolve(here, '../../../../packages/guardrails/src/classifier/weights/validation-report.json'), 'utf8'));
}

/**
 * Steady-state MB/s over real texts (each one call): one warm-up pass over every text (so each
 * regex a text can reach is compiled; the first-call cost is reported separately), then the median
 * of three passes, in CPU time of this process, so other load on the machine counts less.
 */
export function throughput(texts: readonly string[]): Record<string, number> {
  const bytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);
  const detectors = {
    'moderation (model+lexicon)': (text: string) => moderateLocally(text),
    'moderation (model)': (text: string) => moderateLocally(text, { mode: 'model' }),
    'moderation (lexicon)': (text: string) => moderateLocally(text, { mode: 'lexicon' }),
    'injection (classifier+heuristic)': ((detector) => (text: string) => detector.detect({ text }))(createClassifierInjectionDetector()),
    'injection (classifier)': ((detector) => (text: string) => detector.detect({ text }))(createClassifierInjectionDetector({ heuristics: false })),
  };
  const result: Record<string, number> = {};
  for (const [name, run] of Object.entries(detectors)) {
    for (const text of texts) run(text);
    const passes: number[] = [];
    for (let pass = 0; pass < 3; pass++) {
      const started = process.cpuUsage();
      for (const text of texts) run(text);
      const used = process.cpuUsage(started);
      passes.push(bytes / 1e6 / ((used.user + used.system) / 1e6));
    }
    result[name] = Math.round(passes.sort((a, b) => a - b)[1]! * 10) / 10;
  }
  return result;
}
