/**
 * Trains the shipped guardrail classifiers from ../shared/data/train (or CASCADE_TRAIN_DIR):
 *
 *   pnpm --filter @cascade/guardrails train [--only moderation|injection] [--dry-run]
 *     [--weights-dir DIR] [--epochs N] [--balance source|sqrt]   (the last three for experiments)
 *     [--save-held-out FILE]   (held-out rows and logits, for analysis)
 *   Injection experiments (defaults = shipped): [--prior-count 48] [--prior-weight -0.4]
 *     [--short-negatives 1|0] [--length-balance 1|0] [--addresses strip|keep]
 *
 * 1. Rotation by source: for every dataset, train without it and score it (held-out predictions).
 *    Heads with a single source (moderation `violence`, `sexual`) are also scored by a row split
 *    inside that source (two extra folds), the only held-out signal their data allows.
 * 2. Platt calibration and default thresholds per head on the pooled held-out predictions; for
 *    moderation also one score per OpenAI category, stacked from head logits (e.g. `toxic` and
 *    `hate`) on the held-out predictions, with its own threshold.
 * 3. Train on everything with the same settings and seed, quantize to int8, write the weights
 *    modules and the validation report into src/classifier/weights/.
 * Deterministic: same data + same settings → byte-identical weights.
 */
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { classifierLogits, type EvidencePrior, type LinearClassifier } from '../../src/classifier/linear-classifier';
import { normalizeForFeatures } from '../../src/classifier/normalize-for-features';
import { segmentLogitsOfNormalized } from '../../src/classifier/segment-scores';
import { segmentExamples } from './segment-examples';
import { fitLogistic, fitPlatt, quantize, trainingFeatures, trainOnFeatures, type TrainedWeights, type TrainingSettings } from '../../src/classifier/train-linear-classifier';
import { auc } from './roc-auc';
import { encodeWeights, type CategoryScore } from '../../src/classifier/weights-codec';
import { balanceByKind, balanceBySource, balanceLengths, balanceWeights, INJECTION_HEADS, loadInjectionExamples, loadModerationExamples, MODERATION_HEADS, type SourcedExample } from './training-data';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainDir = process.env.CASCADE_TRAIN_DIR ?? path.resolve(here, '../../../../../shared/data/train');
const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const weightsDir = path.resolve(argument('--weights-dir') ?? path.resolve(here, '../../src/classifier/weights'));
const epochsOverride = argument('--epochs');
const balanceOverride = argument('--balance');
const only = argument('--only');
const dryRun = process.argv.includes('--dry-run');
const skipFolds = process.argv.includes('--no-folds');

interface ModelPlan {
  name: 'moderation' | 'injection';
  heads: readonly string[];
  settings: TrainingSettings;
  load: () => SourcedExample[];
  /** Sets the per-head example weights of a training set (`features[i]` are the hashed features of `examples[i]`). */
  balance: (examples: SourcedExample[], features: readonly Int32Array[]) => void;
  /** Held-out false-positive rate the default threshold of each head aims at. */
  targetFpr: number;
  /**
   * Datasets of plainly benign text: besides the pooled target, the default threshold keeps each
   * one's held-out FPR at most `benignFpr` (most real traffic is benign; a moderator that flags 9 %
   * of ordinary prompts is not usable).
   */
  benign?: { datasets: readonly string[]; fpr: number };
  /** Heads whose only source is also scored by a row split inside it (no other source to hold out). */
  split?: { heads: readonly string[]; sources: readonly string[] };
  /** How held-out rows are weighed for calibration and thresholds: classes balanced, or each dataset's classes too. */
  pool: 'class' | 'source';
  /** Category scores stacked from head logits: category → the heads it reads. */
  categories?: Readonly<Record<string, readonly string[]>>;
  /**
   * Segment-level scoring (single head): also train on segments of `chars` characters and score a
   * text as max(whole logit, best segment logit − `offset`). The offset discounts segments (short
   * spans are noisier) and was chosen on held-out training sources (scripts/train/experiment-segments.ts).
   */
  segments?: { chars: number; offset: number };
  /**
   * Move the calibration intercept so the default threshold lands on 0.5 (the same decisions): the
   * middleware blocks at score ≥ 0.5 and the heuristics decide at 0.5, so a probability between 0.5
   * and a higher model threshold would be blocked by the middleware although the detector said clean.
   */
  centred?: boolean;
}

const segmentChars = argument('--segment-chars');
const SEGMENTS = segmentChars === '0' ? undefined : { chars: Number(segmentChars ?? 320), offset: Number(argument('--segment-offset') ?? 0.5) };

/**
 * Injection's evidence prior (see `EvidencePrior`): 48 pseudo-features of weight −0.4, so a text with
 * no evidence scores −0.4·√48 ≈ −2.8 (about a typical held-out benign text) and a long one is decided
 * by its own features. Chosen on the held-out rotation (README, "Short inputs"); `--prior-count 0` turns it off.
 */
const priorCount = Number(argument('--prior-count') ?? 48);
const INJECTION_PRIOR = priorCount > 0 ? { prior: { count: priorCount, weight: Number(argument('--prior-weight') ?? -0.4) } } : {};

const PLANS: ModelPlan[] = [
  {
    name: 'moderation',
    heads: MODERATION_HEADS,
    settings: { heads: MODERATION_HEADS, bucketBits: 18, epochs: epochsOverride ? Number(epochsOverride) : 2, learningRate: 0.1, l2: 1e-6, seed: 20_261_206 },
    load: () => loadModerationExamples(trainDir),
    // (source, label) groups by 1/√size: per-source class balance (`--balance source`) measured no better held out.
    balance: (examples) => (balanceOverride === 'source' ? balanceBySource(examples, MODERATION_HEADS.length) : balanceWeights(examples, MODERATION_HEADS.length)),
    targetFpr: 0.05,
    pool: 'source',
    benign: { datasets: ['benign-prompts', 'benign-sentences'], fpr: 0.01 },
    split: { heads: ['violence', 'sexual'], sources: ['toxic-spans', 'convabuse'] },
    // Every category reads the generic `toxic` head (most data, contrastive negatives) and its own head.
    categories: { harassment: ['toxic', 'harassment'], hate: ['toxic', 'hate'], violence: ['toxic', 'violence'], sexual: ['toxic', 'sexual'] },
  },
  {
    name: 'injection',
    heads: INJECTION_HEADS,
    settings: { heads: INJECTION_HEADS, bucketBits: 18, epochs: 3, learningRate: 0.1, l2: 1e-6, seed: 20_261_206, ...INJECTION_PRIOR },
    load: () => loadInjectionExamples(trainDir, argument('--short-negatives') !== '0', argument('--addresses') === 'keep' ? 'keep' : 'strip'),
    // Kinds (direct, indirect, jailbreak; benign, benign-hard, harmful) weigh the same, sources within
    // them too; `--balance sqrt` is the former (source, label) 1/√size weighting, for comparison.
    balance: (examples, features) => {
      if (balanceOverride === 'sqrt') balanceWeights(examples, INJECTION_HEADS.length);
      else balanceByKind(examples);
      if (argument('--length-balance') !== '0') balanceLengths(examples, features);
    },
    targetFpr: 0.01,
    pool: 'class',
    segments: SEGMENTS,
    centred: true,
  },
];

const round = (value: number): number => Math.round(value * 1000) / 1000;
const sigmoid = (value: number): number => 1 / (1 + Math.exp(-value));

function toClassifier(trained: TrainedWeights, prior: EvidencePrior | undefined): LinearClassifier {
  return { heads: trained.heads, buckets: trained.buckets, weights: trained.weights, scales: trained.heads.map(() => 1), bias: [...trained.bias], calibration: trained.heads.map(() => [1, 0] as const), ...(prior ? { prior } : {}) };
}

/** One held-out row: its logits from the model trained without its dataset (and, for split sources, without its half). */
interface HeldRow {
  dataset: string;
  source: string;
  text: string;
  labels: (0 | 1 | null)[];
  logits: number[];
  splitLogits?: number[];
}

/** Which half of a split source a row falls in: a hash of its text, so it does not depend on file order. */
const half = (text: string): number => createHash('sha256').update(text).digest()[0]! & 1;

function trainOn(plan: ModelPlan, examples: SourcedExample[], features: Int32Array[], keep: (index: number) => boolean): LinearClassifier {
  const indices = examples.flatMap((_, index) => (keep(index) ? [index] : []));
  const train = indices.map((index) => ({ ...examples[index]! }));
  const own = indices.map((index) => features[index]!);
  plan.balance(train, own);
  return toClassifier(trainOnFeatures(own, train, plan.settings), plan.settings.prior);
}

/** Held-out logits of a text: the window maximum, or with segments max(whole, best segment − offset). */
function heldLogits(plan: ModelPlan, classifier: LinearClassifier, text: string): number[] {
  if (!plan.segments) return [...classifierLogits(classifier, text)];
  const { whole, segment } = segmentLogitsOfNormalized(classifier, 0, normalizeForFeatures(text), plan.segments.chars, classifier.weights);
  return [Math.max(whole, segment - plan.segments.offset)];
}

/** `examples[0 .. scored)` are the texts held out and scored; later ones (segments) only train. */
function rotate(plan: ModelPlan, examples: SourcedExample[], features: Int32Array[], scored = examples.length): HeldRow[] {
  // Opening sentences are held out with their dataset but reported apart (`bipia#short`), so the figures of the original rows stay comparable.
  const rows: HeldRow[] = examples.slice(0, scored).map((example) => ({ dataset: example.source.endsWith('#short') ? `${example.dataset}#short` : example.dataset, source: example.source, text: example.text, labels: [...example.labels], logits: [] }));
  const datasets = [...new Set(examples.map((example) => example.dataset))].sort();
  for (const dataset of datasets) {
    const started = Date.now();
    const classifier = trainOn(plan, examples, features, (index) => examples[index]!.dataset !== dataset);
    for (const [index, example] of examples.entries()) if (index < scored && example.dataset === dataset) rows[index]!.logits = heldLogits(plan, classifier, example.text);
    console.error(`  ${plan.name}: held out ${dataset} in ${Date.now() - started} ms`);
  }
  const split = plan.split;
  if (split) {
    const inSplit = (index: number): boolean => split.sources.includes(examples[index]!.source);
    for (const side of [0, 1]) {
      const started = Date.now();
      const classifier = trainOn(plan, examples, features, (index) => !inSplit(index) || half(examples[index]!.text) !== side);
      for (const [index, example] of examples.entries()) if (inSplit(index) && half(example.text) === side) rows[index]!.splitLogits = [...classifierLogits(classifier, example.text)];
      console.error(`  ${plan.name}: held out half ${side} of ${split.sources.join(', ')} in ${Date.now() - started} ms`);
    }
  }
  return rows;
}

/** The held-out logits a head is judged on: the row split's for the split heads on split sources, else the dataset fold's. */
function logitsFor(plan: ModelPlan, row: HeldRow, head: string): number[] {
  return plan.split?.heads.includes(head) && row.splitLogits ? row.splitLogits : row.logits;
}

/** Per row, a weight that gives positives and negatives equal totals. */
function classWeights(labels: (0 | 1)[]): number[] {
  const positives = labels.filter((value) => value === 1).length;
  return labels.map((value) => (value === 1 ? labels.length / (2 * Math.max(1, positives)) : labels.length / (2 * Math.max(1, labels.length - positives))));
}

/**
 * Per row, a weight so that every dataset's negatives count as much as any other dataset's, and so
 * do its positives: a pooled threshold or fit is not decided by the biggest dataset (nor by the
 * benign collections, which would outnumber the abusive sources if counted by source id).
 */
function sourceWeights(sources: string[], labels: (0 | 1)[]): number[] {
  const counts = new Map<string, number>();
  sources.forEach((source, index) => counts.set(`${source}\u0000${labels[index]}`, (counts.get(`${source}\u0000${labels[index]}`) ?? 0) + 1));
  const groups = [0, 0];
  for (const key of counts.keys()) groups[Number(key.endsWith('1'))]!++;
  return sources.map((source, index) => 1 / counts.get(`${source}\u0000${labels[index]}`)! / groups[labels[index]!]!);
}

/** Lowest probability threshold whose weighted false-positive rate on the held-out negatives is at most `target`. */
function thresholdAt(probabilities: number[], labels: (0 | 1)[], weights: number[], target: number): number {
  const negatives = probabilities.flatMap((probability, index) => (labels[index] === 0 ? [[probability, weights[index]!] as const] : [])).sort((a, b) => b[0] - a[0]);
  if (negatives.length === 0) return 0.5;
  const total = negatives.reduce((sum, [, weight]) => sum + weight, 0);
  let above = 0;
  let threshold = 0;
  for (const [probability, weight] of negatives) {
    if ((above + weight) / total > target) {
      threshold = probability + 1e-6;
      break;
    }
    above += weight;
  }
  return Math.min(0.99, Math.max(0.05, Math.round(threshold * 1000) / 1000));
}

/** {@link thresholdAt} on all held-out rows, raised until each benign dataset's FPR is at most `plan.benign.fpr`. */
function defaultThreshold(plan: ModelPlan, rows: HeldRow[], probabilities: number[], labels: (0 | 1)[], weights: number[]): number {
  let threshold = thresholdAt(probabilities, labels, weights, plan.targetFpr);
  for (const dataset of plan.benign?.datasets ?? []) {
    const own = rows.flatMap((row, index) => (row.dataset === dataset && labels[index] === 0 ? [probabilities[index]!] : []));
    if (own.length > 0) threshold = Math.max(threshold, thresholdAt(own, own.map(() => 0), own.map(() => 1), plan.benign!.fpr));
  }
  return threshold;
}

interface Scored {
  source: string;
  dataset: string;
  score: number;
  label: 0 | 1;
}

/** Recall, FPR and AUC per held-out dataset of one score. */
function bySource(scored: Scored[], threshold: number): Record<string, object> {
  const result: Record<string, object> = {};
  for (const dataset of [...new Set(scored.map((row) => row.dataset))].sort()) {
    const positives = scored.filter((row) => row.dataset === dataset && row.label === 1).map((row) => row.score);
    const negatives = scored.filter((row) => row.dataset === dataset && row.label === 0).map((row) => row.score);
    result[dataset] = {
      positives: positives.length,
      negatives: negatives.length,
      ...(positives.length > 0 ? { recall: round(positives.filter((p) => p >= threshold).length / positives.length) } : {}),
      ...(negatives.length > 0 ? { fpr: round(negatives.filter((p) => p >= threshold).length / negatives.length) } : {}),
      ...(positives.length > 0 && negatives.length > 0 ? { auc: round(auc(positives, negatives)) } : {}),
    };
  }
  return result;
}

/** Mean of the per-dataset AUCs (datasets with both classes). */
function macroAuc(scored: Scored[]): number {
  const values = Object.values(bySource(scored, 0.5)).flatMap((entry) => ('auc' in entry ? [entry.auc as number] : []));
  return values.length === 0 ? Number.NaN : round(values.reduce((sum, value) => sum + value, 0) / values.length);
}

/**
 * One category score from the logits of a few heads: a weighted logistic regression on the held-out
 * predictions (sources and classes balanced). A head whose coefficient comes out negative does not
 * transfer across sources and is dropped (refit without it), so no head counts against its label.
 */
function stackCategory(inputs: number[][], labels: (0 | 1)[], weights: number[], names: readonly string[]): { coefficients: number[]; bias: number } {
  let used = names.map((_, index) => index);
  for (;;) {
    const theta = fitLogistic(inputs.map((row) => used.map((index) => row[index]!)), labels, weights);
    const negative = used.filter((_, position) => theta[position + 1]! <= 0);
    if (negative.length === 0 || used.length === 1) {
      const coefficients = names.map(() => 0);
      used.forEach((index, position) => (coefficients[index] = Math.max(0, theta[position + 1]!)));
      return { coefficients, bias: theta[0]! };
    }
    used = used.filter((index) => !negative.includes(index));
  }
}

function writeModule(plan: ModelPlan, classifier: LinearClassifier & { weights: Int8Array }, thresholds: number[], categories: Record<string, CategoryScore> | undefined): { bytes: number; sha256: string } {
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
${categories ? `  categories: ${JSON.stringify(categories)},\n` : ''}${plan.settings.prior ? `  prior: ${JSON.stringify(plan.settings.prior)},\n` : ''}${plan.segments ? `  segments: ${JSON.stringify({ chars: plan.segments.chars, offset: plan.segments.offset })},\n` : ''}  checksum: ${encoded.checksum},
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
    const texts = plan.load();
    const segmentRows = plan.segments ? segmentExamples(texts, plan.segments.chars, plan.settings.bucketBits) : { examples: [], features: [] };
    const examples = [...texts, ...segmentRows.examples];
    const features = [...texts.map((example) => trainingFeatures(example.text, plan.settings.bucketBits)), ...segmentRows.features];
    console.error(`${plan.name}: ${texts.length} examples${plan.segments ? ` + ${segmentRows.examples.length} segments` : ''}`);
    const held = skipFolds ? [] : rotate(plan, examples, features, texts.length);
    // For analysis (e.g. how the lexicon adds to the model on held-out rows): never committed.
    const heldOutFile = argument('--save-held-out');
    if (heldOutFile) writeFileSync(`${heldOutFile}.${plan.name}.json`, JSON.stringify(held));
    const calibration: (readonly [number, number])[] = [];
    const thresholds: number[] = [];
    const pooledAuc: Record<string, number> = {};
    const macro: Record<string, number> = {};
    const heldOutBySource: Record<string, Record<string, object>> = {};
    for (const [head, name] of plan.heads.entries()) {
      const rows = held.filter((row) => row.labels[head] === 0 || row.labels[head] === 1);
      const logits = rows.map((row) => logitsFor(plan, row, name)[head]!);
      const labels = rows.map((row) => row.labels[head] as 0 | 1);
      const positives = labels.filter((value) => value === 1).length;
      pooledAuc[name] = round(auc(logits.filter((_, index) => labels[index] === 1), logits.filter((_, index) => labels[index] === 0)));
      // Classes (and for moderation sources) balanced: the probability is calibrated to an even prior.
      const weights = plan.pool === 'source' ? sourceWeights(rows.map((row) => row.dataset), labels) : classWeights(labels);
      let platt = positives > 0 && positives < labels.length ? fitPlatt(logits, labels, weights) : ([1, 0] as [number, number]);
      // A negative slope means the head ranks held-out sources backwards: keep the raw logit's direction, flat.
      if (!(platt[0] > 0)) platt = [0, platt[1]];
      let probabilities = logits.map((logit) => sigmoid(platt[0] * logit + platt[1]));
      let threshold = positives > 0 ? defaultThreshold(plan, rows, probabilities, labels, weights) : 0.5;
      if (plan.centred && positives > 0) {
        // Same decisions, moved onto the scale the detectors and the middleware share (see ModelPlan.centred).
        platt = [platt[0], platt[1] - Math.log(threshold / (1 - threshold))];
        probabilities = logits.map((logit) => sigmoid(platt[0] * logit + platt[1]));
        threshold = 0.5;
      }
      calibration.push([round(platt[0] * 1000) / 1000, round(platt[1] * 1000) / 1000]);
      thresholds.push(threshold);
      const scored = rows.map((row, index) => ({ source: row.source, dataset: row.dataset, score: probabilities[index]!, label: labels[index]! }));
      macro[name] = macroAuc(scored);
      for (const [dataset, entry] of Object.entries(bySource(scored, thresholds[head]!))) (heldOutBySource[dataset] ??= {})[name] = entry;
    }
    // Category scores stacked from head logits, fitted and thresholded on the held-out predictions.
    const categories: Record<string, CategoryScore> = {};
    const categoryReport: Record<string, unknown> = {};
    for (const [category, names] of Object.entries(plan.categories ?? {})) {
      if (held.length === 0) break;
      const labelHead = plan.heads.indexOf(category);
      const indices = names.map((name) => plan.heads.indexOf(name));
      const rows = held.filter((row) => row.labels[labelHead] === 0 || row.labels[labelHead] === 1);
      const inputs = rows.map((row) => indices.map((index) => logitsFor(plan, row, category)[index]!));
      const labels = rows.map((row) => row.labels[labelHead] as 0 | 1);
      const weights = sourceWeights(rows.map((row) => row.dataset), labels);
      const { coefficients, bias } = stackCategory(inputs, labels, weights, names);
      const probabilities = inputs.map((row) => sigmoid(bias + row.reduce((sum, value, index) => sum + value * coefficients[index]!, 0)));
      const threshold = defaultThreshold(plan, rows, probabilities, labels, weights);
      const scored = rows.map((row, index) => ({ source: row.source, dataset: row.dataset, score: probabilities[index]!, label: labels[index]! }));
      const full = plan.heads.map((name) => {
        const position = names.indexOf(name);
        return position < 0 ? 0 : Math.round(coefficients[position]! * 1e6) / 1e6;
      });
      categories[category] = { weights: full, bias: Math.round(bias * 1e6) / 1e6, threshold };
      categoryReport[category] = { heads: Object.fromEntries(names.map((name, index) => [name, round(coefficients[index]!)])), bias: round(bias), threshold, macroHeldOutAuc: macroAuc(scored), bySource: bySource(scored, threshold) };
    }
    const examplesAll = examples.map((example) => ({ ...example }));
    plan.balance(examplesAll, features);
    const trained = trainOnFeatures(features, examplesAll, plan.settings);
    const { weights, scales } = quantize(trained);
    const classifier = { heads: plan.heads, buckets: trained.buckets, weights, scales, bias: [...trained.bias].map((value) => Math.round(value * 1e6) / 1e6), calibration };
    const written = writeModule(plan, classifier, thresholds, plan.categories && held.length > 0 ? categories : undefined);
    summary[plan.name] = {
      heads: plan.heads,
      settings: { ...plan.settings, heads: undefined },
      examples: texts.length,
      ...(plan.segments ? { segments: { ...plan.segments, trainingSegments: segmentRows.examples.length } } : {}),
      calibration,
      thresholds: Object.fromEntries(plan.heads.map((head, index) => [head, thresholds[index]])),
      thresholdRule: `lowest threshold with held-out false-positive rate <= ${plan.targetFpr} on the pooled held-out sources${plan.pool === 'source' ? " (each dataset's negatives weighted equally)" : ''}${plan.benign ? ` and <= ${plan.benign.fpr} on each of ${plan.benign.datasets.join(', ')}` : ''}${plan.centred ? '; calibration intercept then moved so that this threshold is 0.5' : ''}`,
      ...(plan.split ? { split: `heads ${plan.split.heads.join(', ')} have one source each (${plan.split.sources.join(', ')}): their figures on those sources come from a row split inside the source (two halves by text hash), which overstates transfer` } : {}),
      /** AUC of the pooled held-out predictions per head (each row scored by the model trained without its source). */
      pooledHeldOutAuc: pooledAuc,
      /** Mean of the per-source held-out AUCs per head. */
      macroHeldOutAuc: macro,
      ...(plan.categories ? { categories: categoryReport } : {}),
      heldOutBySource,
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
