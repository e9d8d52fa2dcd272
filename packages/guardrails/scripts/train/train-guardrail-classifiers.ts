/**
 * Trains the shipped guardrail classifiers from ../shared/data/train (or CASCADE_TRAIN_DIR):
 *
 *   pnpm --filter @cascade/guardrails train [--only moderation|injection] [--dry-run]
 *
 * 1. Rotation by source: for every dataset, train without it and score it (held-out predictions).
 * 2. Platt calibration and default thresholds per head on the pooled held-out predictions.
 * 3. Train on everything with the same settings and seed, quantize to int8, write the weights
 *    modules and the validation report into src/classifier/weights/.
 * Deterministic: same data + same settings → byte-identical weights.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifierLogits, type LinearClassifier } from '../../src/classifier/linear-classifier';
import { fitPlatt, quantize, trainLinearClassifier, type TrainingSettings } from '../../src/classifier/train-linear-classifier';
import { encodeWeights } from '../../src/classifier/weights-codec';
import { balanceWeights, INJECTION_HEADS, loadInjectionExamples, loadModerationExamples, MODERATION_HEADS, type SourcedExample } from './training-data';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainDir = process.env.CASCADE_TRAIN_DIR ?? path.resolve(here, '../../../../../shared/data/train');
const weightsDir = path.resolve(here, '../../src/classifier/weights');
const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const only = argument('--only');
const dryRun = process.argv.includes('--dry-run');
const skipFolds = process.argv.includes('--no-folds');

interface ModelPlan {
  name: 'moderation' | 'injection';
  heads: readonly string[];
  settings: TrainingSettings;
  load: () => SourcedExample[];
  /** Held-out false-positive rate the default threshold of each head aims at. */
  targetFpr: number;
}

const PLANS: ModelPlan[] = [
  {
    name: 'moderation',
    heads: MODERATION_HEADS,
    settings: { heads: MODERATION_HEADS, bucketBits: 18, epochs: 3, learningRate: 0.1, l2: 1e-6, seed: 20_261_206 },
    load: () => loadModerationExamples(trainDir),
    targetFpr: 0.05,
  },
  {
    name: 'injection',
    heads: INJECTION_HEADS,
    settings: { heads: INJECTION_HEADS, bucketBits: 18, epochs: 3, learningRate: 0.1, l2: 1e-6, seed: 20_261_206 },
    load: () => loadInjectionExamples(trainDir),
    targetFpr: 0.01,
  },
];

const round = (value: number): number => Math.round(value * 1000) / 1000;

function toClassifier(trained: ReturnType<typeof trainLinearClassifier>): LinearClassifier {
  return { heads: trained.heads, buckets: trained.buckets, weights: trained.weights, scales: trained.heads.map(() => 1), bias: [...trained.bias], calibration: trained.heads.map(() => [1, 0] as const) };
}

/** Area under the ROC curve (ties counted half). */
function auc(positives: number[], negatives: number[]): number {
  if (positives.length === 0 || negatives.length === 0) return Number.NaN;
  const all = [...positives.map((score) => [score, 1] as const), ...negatives.map((score) => [score, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSum = 0;
  for (let index = 0; index < all.length; ) {
    let end = index;
    while (end < all.length && all[end]![0] === all[index]![0]) end++;
    const rank = (index + end + 1) / 2;
    for (let tie = index; tie < end; tie++) if (all[tie]![1] === 1) rankSum += rank;
    index = end;
  }
  return (rankSum - (positives.length * (positives.length + 1)) / 2) / (positives.length * negatives.length);
}

interface HeldOut {
  dataset: string;
  logits: number[][];
  labels: (0 | 1 | null)[][];
  sources: string[];
}

function rotate(plan: ModelPlan, examples: SourcedExample[]): HeldOut[] {
  const datasets = [...new Set(examples.map((example) => example.dataset))].sort();
  const held: HeldOut[] = [];
  for (const dataset of datasets) {
    const started = Date.now();
    const train = examples.filter((example) => example.dataset !== dataset).map((example) => ({ ...example }));
    const test = examples.filter((example) => example.dataset === dataset);
    balanceWeights(train, plan.heads.length);
    const classifier = toClassifier(trainLinearClassifier(train, plan.settings));
    held.push({ dataset, logits: test.map((example) => [...classifierLogits(classifier, example.text)]), labels: test.map((example) => [...example.labels]), sources: test.map((example) => example.source) });
    console.error(`  ${plan.name}: held out ${dataset} (${test.length} rows) in ${Date.now() - started} ms`);
  }
  return held;
}

/** Lowest probability threshold whose false-positive rate on the pooled negatives is at most `target`. */
function thresholdAt(probabilities: number[], labels: (0 | 1)[], target: number): number {
  const negatives = probabilities.filter((_, index) => labels[index] === 0).sort((a, b) => b - a);
  const allowed = Math.floor(negatives.length * target);
  const threshold = negatives.length === 0 ? 0.5 : (negatives[allowed] ?? 0) + 1e-6;
  return Math.min(0.99, Math.max(0.05, Math.round(threshold * 1000) / 1000));
}

function report(plan: ModelPlan, held: HeldOut[], calibration: (readonly [number, number])[], thresholds: number[]) {
  const perSource: Record<string, Record<string, object>> = {};
  for (const fold of held) {
    for (const [head, name] of plan.heads.entries()) {
      const positives: number[] = [];
      const negatives: number[] = [];
      for (const [row, labels] of fold.labels.entries()) {
        const value = labels[head];
        if (value === null || value === undefined) continue;
        const [a, b] = calibration[head]!;
        const probability = 1 / (1 + Math.exp(-(a * fold.logits[row]![head]! + b)));
        (value === 1 ? positives : negatives).push(probability);
      }
      if (positives.length + negatives.length === 0) continue;
      const threshold = thresholds[head]!;
      (perSource[fold.dataset] ??= {})[name] = {
        positives: positives.length,
        negatives: negatives.length,
        ...(positives.length > 0 ? { recall: round(positives.filter((p) => p >= threshold).length / positives.length) } : {}),
        ...(negatives.length > 0 ? { fpr: round(negatives.filter((p) => p >= threshold).length / negatives.length) } : {}),
        ...(positives.length > 0 && negatives.length > 0 ? { auc: round(auc(positives, negatives)) } : {}),
      };
    }
  }
  return perSource;
}

function writeModule(plan: ModelPlan, classifier: LinearClassifier & { weights: Int8Array }, thresholds: number[]): { bytes: number; sha256: string } {
  const encoded = encodeWeights(classifier.weights);
  const sha256 = createHash('sha256').update(encoded.base64).digest('hex');
  const constant = `${plan.name.toUpperCase()}_WEIGHTS`;
  const source = `// Generated by scripts/train/train-guardrail-classifiers.ts — do not edit. Sources and licences: ./NOTICE.md.
import type { EncodedClassifier } from '../weights-codec';

/** Trained ${plan.name} classifier: heads ${plan.heads.join(', ')}; ${classifier.buckets} hash buckets; int8 weights. */
export const ${constant}: EncodedClassifier = {
  format: 1,
  heads: ${JSON.stringify(plan.heads)},
  buckets: ${classifier.buckets},
  scales: ${JSON.stringify(classifier.scales)},
  bias: ${JSON.stringify(classifier.bias)},
  calibration: ${JSON.stringify(classifier.calibration)},
  thresholds: ${JSON.stringify(thresholds)},
  checksum: ${encoded.checksum},
  sha256: '${sha256}',
  data: '${encoded.base64}',
};
`;
  if (!dryRun) writeFileSync(path.join(weightsDir, `${plan.name}-weights.ts`), source);
  return { bytes: source.length, sha256 };
}

function main(): void {
  const summary: Record<string, unknown> = { trainDir: 'shared/data/train', generatedBy: 'pnpm --filter @cascade/guardrails train' };
  for (const plan of PLANS) {
    if (only && only !== plan.name) continue;
    const started = Date.now();
    const examples = plan.load();
    console.error(`${plan.name}: ${examples.length} examples`);
    const held = skipFolds ? [] : rotate(plan, examples);
    // For analysis (e.g. how the lexicon adds to the model on held-out rows): never committed.
    const heldOutFile = argument('--save-held-out');
    if (heldOutFile) writeFileSync(`${heldOutFile}.${plan.name}.json`, JSON.stringify(held.map((fold) => ({ ...fold, texts: examples.filter((example) => example.dataset === fold.dataset).map((example) => example.text) }))));
    const calibration: (readonly [number, number])[] = [];
    const thresholds: number[] = [];
    const pooledAuc: Record<string, number> = {};
    for (const head of plan.heads.keys()) {
      const logits: number[] = [];
      const labels: (0 | 1)[] = [];
      for (const fold of held) {
        for (const [row, values] of fold.labels.entries()) {
          const value = values[head];
          if (value === 0 || value === 1) {
            logits.push(fold.logits[row]![head]!);
            labels.push(value);
          }
        }
      }
      const positives = labels.filter((value) => value === 1).length;
      pooledAuc[plan.heads[head]!] = round(auc(logits.filter((_, index) => labels[index] === 1), logits.filter((_, index) => labels[index] === 0)));
      // Balanced sample weights: the probability is calibrated to an even prior.
      const weights = labels.map((value) => (value === 1 ? labels.length / (2 * Math.max(1, positives)) : labels.length / (2 * Math.max(1, labels.length - positives))));
      const platt = positives > 0 && positives < labels.length ? fitPlatt(logits, labels, weights) : ([1, 0] as [number, number]);
      calibration.push([round(platt[0] * 1000) / 1000, round(platt[1] * 1000) / 1000]);
      const probabilities = logits.map((logit) => 1 / (1 + Math.exp(-(platt[0] * logit + platt[1]))));
      thresholds.push(positives > 0 ? thresholdAt(probabilities, labels, plan.targetFpr) : 0.5);
    }
    const examplesAll = examples.map((example) => ({ ...example }));
    balanceWeights(examplesAll, plan.heads.length);
    const trained = trainLinearClassifier(examplesAll, plan.settings);
    const { weights, scales } = quantize(trained);
    const classifier = { heads: plan.heads, buckets: trained.buckets, weights, scales, bias: [...trained.bias].map((value) => Math.round(value * 1e6) / 1e6), calibration };
    const written = writeModule(plan, classifier, thresholds);
    summary[plan.name] = {
      heads: plan.heads,
      settings: { ...plan.settings, heads: undefined },
      examples: examples.length,
      calibration,
      thresholds: Object.fromEntries(plan.heads.map((head, index) => [head, thresholds[index]])),
      thresholdRule: `lowest threshold with held-out false-positive rate <= ${plan.targetFpr} on the pooled held-out sources`,
      /** AUC of the pooled held-out predictions per head (each row scored by the model trained without its source); below 0.5 means the head does not transfer across sources. */
      pooledHeldOutAuc: pooledAuc,
      heldOutBySource: report(plan, held, calibration, thresholds),
      moduleBytes: written.bytes,
      sha256: written.sha256,
      trainingSeconds: Math.round((Date.now() - started) / 1000),
    };
    console.error(`${plan.name}: done in ${Math.round((Date.now() - started) / 1000)} s, module ${written.bytes} bytes`);
  }
  const reportFile = path.join(weightsDir, 'validation-report.json');
  // With --only, the other model's section of the report is kept.
  const previous = only && existsSync(reportFile) ? (JSON.parse(readFileSync(reportFile, 'utf8')) as Record<string, unknown>) : {};
  const out = JSON.stringify({ ...previous, ...summary }, null, 2);
  if (!dryRun && !skipFolds) writeFileSync(reportFile, `${out}\n`);
  console.log(out);
}

main();
