/**
 * Experiment (not part of the shipped training): does segment-level scoring find instructions
 * embedded in long documents? Rotation by source as in train-guardrail-classifiers.ts; for each
 * held-out dataset, compares the whole-text model (baseline) with a model also trained on segments
 * (benign document segments as negatives, BIPIA attack segments found by diffing against the clean
 * twin as positives) and scored as the maximum over the text's windows and segments.
 *
 *   tsx --conditions=source scripts/train/experiment-segments.ts [--segment 320] [--save held.json]
 *
 * Segments here are word-aligned slices re-hashed on their own and get kinds of their own; the
 * shipped scorer (src/classifier/segment-scores.ts) sums blocks of one positioned feature pass and
 * the training script keeps segments in their parent's kind (it measured better held out). This
 * script chose the 0.5 discount: at 0.5 (vs 0), gandalf and mosscap recall lose less
 * (0.745 / 0.265 vs 0.721 / 0.248) for protectai-validation 0.517 vs 0.579.
 */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { collectFeatures } from '../../src/classifier/hashed-features';
import { classifierLogitsOfNormalized, logitsOfNormalized, type LinearClassifier } from '../../src/classifier/linear-classifier';
import { normalizeForFeatures } from '../../src/classifier/normalize-for-features';
import { trainingFeatures, trainOnFeatures, type TrainedWeights, type TrainingSettings } from '../../src/classifier/train-linear-classifier';
import { auc } from './roc-auc';
import { attackSpan } from './segment-examples';
import { balanceByKind, INJECTION_HEADS, loadInjectionExamples, type SourcedExample } from './training-data';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainDir = process.env.CASCADE_TRAIN_DIR ?? path.resolve(here, '../../../../../shared/data/train');
const argument = (name: string): string | undefined => {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
};
const SEGMENT = Number(argument('--segment') ?? 320);
const settings: TrainingSettings = { heads: INJECTION_HEADS, bucketBits: 18, epochs: 3, learningRate: 0.1, l2: 1e-6, seed: 20_261_206 };
const mask = 2 ** settings.bucketBits - 1;

/** Overlapping word-aligned segments of a normalized text (none when the text is one segment). */
function segments(normalized: string): { from: number; to: number }[] {
  if (normalized.length <= SEGMENT) return [];
  const out: { from: number; to: number }[] = [];
  const step = SEGMENT / 2;
  for (let start = 0; start < normalized.length; start += step) {
    let from = start;
    if (from > 0) {
      const space = normalized.indexOf(' ', from);
      from = space === -1 ? from : space + 1;
    }
    let to = Math.min(normalized.length, start + SEGMENT);
    if (to < normalized.length) {
      const space = normalized.lastIndexOf(' ', to);
      to = space > from ? space : to;
    }
    out.push({ from, to });
    if (start + SEGMENT >= normalized.length) break;
  }
  return out;
}

const toClassifier = (trained: TrainedWeights): LinearClassifier => ({ heads: trained.heads, buckets: trained.buckets, weights: trained.weights, scales: [1], bias: [...trained.bias], calibration: [[1, 0]] });

interface Row extends SourcedExample {
  normalized: string;
  parent: number;
}

function main(): void {
  const examples = loadInjectionExamples(trainDir);
  const normalized = examples.map((example) => normalizeForFeatures(example.text));
  const twins = examples.flatMap((example, index) => (example.dataset === 'bipia' && example.labels[0] === 0 ? [normalized[index]!] : []));
  const rows: Row[] = examples.map((example, index) => ({ ...example, normalized: normalized[index]!, parent: index }));
  let found = 0;
  for (const [index, example] of examples.entries()) {
    const text = normalized[index]!;
    const parts = segments(text);
    if (example.labels[0] === 0) {
      for (const part of parts) rows.push({ ...example, source: `${example.source}#segment`, kind: `${example.kind}-segment`, normalized: text.slice(part.from, part.to), parent: index });
    } else if (example.dataset === 'bipia') {
      const span = attackSpan(text, twins);
      if (!span) continue;
      found++;
      // Segments holding most of the attack (or all of it, when the attack is longer than a segment) are positives.
      for (const part of parts) {
        const overlap = Math.min(part.to, span.to) - Math.max(part.from, span.from);
        if (overlap >= 0.5 * Math.min(span.to - span.from, part.to - part.from)) rows.push({ ...example, source: `${example.source}#segment`, kind: `${example.kind}-segment`, normalized: text.slice(part.from, part.to), parent: index });
      }
    }
  }
  console.error(`${examples.length} texts, ${rows.length - examples.length} segments, bipia attack spans found ${found}`);
  const features = rows.map((row, index) => (index < examples.length ? trainingFeatures(row.text, settings.bucketBits) : collectFeatures(row.normalized, mask).slice()));
  const datasets = [...new Set(examples.map((example) => example.dataset))].sort();
  const held: { dataset: string; label: 0 | 1; base: number; whole: number; segment: number }[] = [];
  const one = new Float64Array(1);
  for (const dataset of datasets) {
    const started = Date.now();
    const train = (withSegments: boolean): LinearClassifier => {
      const indices = rows.flatMap((row, index) => (row.dataset !== dataset && (withSegments || index < examples.length) ? [index] : []));
      const chosen = indices.map((index) => ({ ...rows[index]! }));
      balanceByKind(chosen);
      return toClassifier(trainOnFeatures(indices.map((index) => features[index]!), chosen, settings));
    };
    const base = train(false);
    const model = train(true);
    for (const [index, example] of examples.entries()) {
      if (example.dataset !== dataset) continue;
      const text = normalized[index]!;
      let segment = Number.NEGATIVE_INFINITY;
      for (const part of segments(text)) {
        logitsOfNormalized(model, text.slice(part.from, part.to), one);
        segment = Math.max(segment, one[0]!);
      }
      held.push({ dataset, label: example.labels[0] as 0 | 1, base: classifierLogitsOfNormalized(base, text)[0]!, whole: classifierLogitsOfNormalized(model, text)[0]!, segment });
    }
    console.error(`held out ${dataset} in ${Date.now() - started} ms`);
  }
  const scores: Record<string, (row: (typeof held)[number]) => number> = {
    base: (row) => row.base,
    whole: (row) => row.whole,
    max: (row) => Math.max(row.whole, row.segment),
  };
  // Segments discounted by an offset (chosen here on held-out training sources only).
  for (const offset of [0.25, 0.5, 0.75, 1, 1.5]) scores[`max-${offset}`] = (row) => Math.max(row.whole, row.segment - offset);
  if (argument('--save')) writeFileSync(argument('--save')!, JSON.stringify(held));
  const report: Record<string, unknown> = { segment: SEGMENT };
  for (const [name, score] of Object.entries(scores)) {
    // Threshold: ≤ 1 % false positives on the pooled held-out negatives (as the training script).
    const negatives = held.filter((row) => row.label === 0).map(score).sort((a, b) => b - a);
    const threshold = negatives[Math.floor(0.01 * negatives.length)]! + 1e-9;
    const per: Record<string, string> = {};
    for (const dataset of datasets) {
      const positives = held.filter((row) => row.dataset === dataset && row.label === 1).map(score);
      const negs = held.filter((row) => row.dataset === dataset && row.label === 0).map(score);
      const recall = positives.length ? (positives.filter((value) => value >= threshold).length / positives.length).toFixed(3) : '-';
      const fpr = negs.length ? (negs.filter((value) => value >= threshold).length / negs.length).toFixed(3) : '-';
      const area = positives.length && negs.length ? auc(positives, negs).toFixed(3) : '-';
      per[dataset] = `recall ${recall} fpr ${fpr} auc ${area}`;
    }
    const allPositives = held.filter((row) => row.label === 1).map(score);
    report[name] = { threshold, pooledAuc: auc(allPositives, negatives).toFixed(3), per };
  }
  console.log(JSON.stringify(report, null, 2));
}

main();
