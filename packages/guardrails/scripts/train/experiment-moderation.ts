/**
 * Iteration harness for the moderation training (not part of the shipped script): extracts features
 * once, runs the by-source rotation for a few variants and prints held-out AUC per source and head
 * (own head / `toxic` logit / their sum), plus every source's positives against the held-out benign
 * prompts. A variant is `balance:epochs:learningRate`, e.g. `source:3:0.1`.
 *   tsx --conditions=source scripts/train/experiment-moderation.ts source:3:0.1 sqrt:3:0.1
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { logitsOfFeatures, trainingFeatures, trainOnFeatures, type TrainingSettings } from '../../src/classifier/train-linear-classifier';
import { auc } from './roc-auc';
import { balanceBySource, balanceWeights, loadModerationExamples, MODERATION_HEADS, type SourcedExample } from './training-data';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainDir = process.env.CASCADE_TRAIN_DIR ?? path.resolve(here, '../../../../../shared/data/train');

type Balance = (examples: SourcedExample[]) => void;
const balances: Record<string, Balance> = {
  /** (source, label) groups weighted by 1/√size, classes balanced (the old moderation weighting; injection keeps it). */
  sqrt: (examples) => balanceWeights(examples, MODERATION_HEADS.length),
  /** Each source's classes balanced, one-class sources at a quarter (the shipped moderation weighting). */
  source: (examples) => balanceBySource(examples, MODERATION_HEADS.length),
  /** One-class sources left out of that head. */
  source0: (examples) => balanceBySource(examples, MODERATION_HEADS.length, 0),
};

const started = Date.now();
const examples = loadModerationExamples(trainDir);
const bits = 18;
const features = examples.map((example) => trainingFeatures(example.text, bits));
console.error(`features in ${Date.now() - started} ms`);
const datasets = [...new Set(examples.map((example) => example.dataset))].sort();

for (const variant of process.argv.slice(2)) {
  const [balanceName, epochs, rate] = variant.split(':');
  const settings: TrainingSettings = { heads: MODERATION_HEADS, bucketBits: bits, epochs: Number(epochs ?? 3), learningRate: Number(rate ?? 0.1), l2: 1e-6, seed: 20_261_206 };
  const held: { logits: number[]; labels: (0 | 1 | null)[]; dataset: string }[] = [];
  const t0 = Date.now();
  for (const dataset of datasets) {
    const trainIdx = examples.flatMap((example, index) => (example.dataset === dataset ? [] : [index]));
    const train = trainIdx.map((index) => ({ ...examples[index]! }));
    balances[balanceName!]!(train);
    const trained = trainOnFeatures(trainIdx.map((index) => features[index]!), train, settings);
    examples.forEach((example, index) => {
      if (example.dataset === dataset) held.push({ logits: logitsOfFeatures(trained, features[index]!), labels: [...example.labels], dataset });
    });
  }
  const lines: string[] = [`== ${variant} (${Math.round((Date.now() - t0) / 1000)} s)`];
  // Per head and source AUC; also "toxic logit as score" for the category labels.
  for (const [head, name] of MODERATION_HEADS.entries()) {
    const cells: string[] = [];
    const macro: number[] = [];
    for (const dataset of datasets) {
      const rows = held.filter((row) => row.dataset === dataset && row.labels[head] !== null);
      const own = auc(rows.filter((r) => r.labels[head] === 1).map((r) => r.logits[head]!), rows.filter((r) => r.labels[head] === 0).map((r) => r.logits[head]!));
      const viaToxic = auc(rows.filter((r) => r.labels[head] === 1).map((r) => r.logits[0]!), rows.filter((r) => r.labels[head] === 0).map((r) => r.logits[0]!));
      const sum = auc(rows.filter((r) => r.labels[head] === 1).map((r) => r.logits[0]! + r.logits[head]!), rows.filter((r) => r.labels[head] === 0).map((r) => r.logits[0]! + r.logits[head]!));
      if (!Number.isNaN(own)) {
        cells.push(`${dataset} ${own.toFixed(3)}/${viaToxic.toFixed(3)}/${sum.toFixed(3)}`);
        macro.push(own);
      }
    }
    // Positives of every source vs the held-out benign prompts.
    const benign = held.filter((row) => row.dataset === 'benign-prompts');
    const pos = held.filter((row) => row.labels[head] === 1);
    const vsBenign = auc(pos.map((r) => r.logits[head]!), benign.map((r) => r.logits[head]!));
    const vsBenignToxic = auc(pos.map((r) => r.logits[0]!), benign.map((r) => r.logits[0]!));
    lines.push(`${name}: macro ${(macro.reduce((a, b) => a + b, 0) / Math.max(1, macro.length)).toFixed(3)} | pos-vs-benign ${vsBenign.toFixed(3)} (toxic ${vsBenignToxic.toFixed(3)}) | ${cells.join(' | ')}`);
  }
  console.log(lines.join('\n'));
}
