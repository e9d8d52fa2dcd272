import { seededRandom } from '@cascade/core';
import { visitNameCandidates, type CommonWords } from './name-candidates';
import { NAME_CLASSES, type NameClass, type NameModel } from './name-model';

/** A training text with its gold name spans (types outside the model's classes count as not a name). */
export interface NameTrainingText {
  text: string;
  spans: readonly { start: number; end: number; type: string }[];
}

/** One labeled candidate: its features and class index. */
export interface LabeledCandidate {
  features: Int32Array;
  label: number;
  start: number;
  end: number;
}

/** Settings of {@link trainNameModel}. */
export interface NameTrainingSettings {
  bucketBits: number;
  epochs: number;
  learningRate: number;
  l2: number;
  seed: number;
  /** Loss weight of a candidate that is a name (the `NONE` candidates weigh 1). @default 1 */
  entityWeight?: number;
}

/**
 * The candidates of `text` labeled against gold spans: a candidate overlapping a name span with
 * IoU ≥ 2/3 takes its type; one overlapping an `ADDRESS` span (and no `IGNORE` span) or no span at
 * all is `NONE`; the rest (partial overlaps, anything touching `IGNORE`) are left out.
 */
export function labeledCandidates(example: NameTrainingText, mask: number, common: CommonWords | undefined): LabeledCandidate[] {
  const out: LabeledCandidate[] = [];
  visitNameCandidates(example.text, mask, common, (start, end, features, count) => {
    let label = 0;
    let address = false;
    for (const span of example.spans) {
      const overlap = Math.min(end, span.end) - Math.max(start, span.start);
      if (overlap <= 0) continue;
      if (span.type === 'IGNORE') {
        label = -1;
        break;
      }
      if (span.type === 'ADDRESS') {
        address = true;
        continue;
      }
      const union = Math.max(end, span.end) - Math.min(start, span.start);
      const index = NAME_CLASSES.indexOf(span.type as NameClass);
      label = overlap / union >= 2 / 3 ? Math.max(0, index) : -1;
      if (!address) break;
    }
    if (address && label > 0) label = -1;
    if (label >= 0) out.push({ features: features.slice(0, count), label, start, end });
  });
  return out;
}

/**
 * Trains the name model: multinomial logistic regression (softmax over {@link NAME_CLASSES}) with
 * Adagrad over hashed candidate features. Deterministic: same candidates + settings → same weights.
 */
export function trainNameModel(candidates: readonly LabeledCandidate[], common: CommonWords, settings: NameTrainingSettings): NameModel {
  const classes = NAME_CLASSES.length;
  const buckets = 2 ** settings.bucketBits;
  const weights = new Float32Array(buckets * classes);
  const squares = new Float32Array(buckets * classes);
  const bias = new Float64Array(classes);
  const biasSquares = new Float64Array(classes);
  const random = seededRandom(settings.seed);
  const order = candidates.map((_, index) => index);
  const probabilities = new Float64Array(classes);
  const { learningRate, l2 } = settings;
  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap]!, order[index]!];
    }
    for (const position of order) {
      const { features, label } = candidates[position]!;
      probabilities.fill(0);
      for (const bucket of features) for (let klass = 0; klass < classes; klass++) probabilities[klass]! += weights[bucket * classes + klass]!;
      let largest = -Infinity;
      for (let klass = 0; klass < classes; klass++) {
        probabilities[klass] = probabilities[klass]! + bias[klass]!;
        largest = Math.max(largest, probabilities[klass]!);
      }
      let total = 0;
      for (let klass = 0; klass < classes; klass++) total += probabilities[klass] = Math.exp(probabilities[klass]! - largest);
      const weight = label === 0 ? 1 : (settings.entityWeight ?? 1);
      for (let klass = 0; klass < classes; klass++) {
        const gradient = (probabilities[klass]! / total - (klass === label ? 1 : 0)) * weight;
        biasSquares[klass]! += gradient * gradient;
        bias[klass]! -= (learningRate * gradient) / Math.sqrt(biasSquares[klass]! + 1e-8);
        for (const bucket of features) {
          const slot = bucket * classes + klass;
          const step = gradient + l2 * weights[slot]!;
          squares[slot]! += step * step;
          weights[slot]! -= (learningRate * step) / Math.sqrt(squares[slot]! + 1e-8);
        }
      }
    }
  }
  return { classes: NAME_CLASSES, buckets, weights, scales: NAME_CLASSES.map(() => 1), bias: [...bias], thresholds: NAME_CLASSES.map(() => 0.5), common };
}

/** int8 weights with one scale per class (max |w| → 127). */
export function quantizeNameModel(model: NameModel): NameModel {
  const classes = model.classes.length;
  const scales: number[] = [];
  for (let klass = 0; klass < classes; klass++) {
    let largest = 0;
    for (let slot = klass; slot < model.weights.length; slot += classes) largest = Math.max(largest, Math.abs(model.weights[slot]!));
    scales.push(largest === 0 ? 1 : largest / 127);
  }
  const weights = new Int8Array(model.weights.length);
  for (let slot = 0; slot < weights.length; slot++) weights[slot] = Math.round(model.weights[slot]! / scales[slot % classes]!);
  return { ...model, weights, scales };
}
