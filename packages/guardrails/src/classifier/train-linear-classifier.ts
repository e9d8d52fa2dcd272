import { seededRandom } from '@cascade/core';
import { collectFeatures } from './hashed-features';
import { featureNorm, priorSum, WINDOW_CHARS, type EvidencePrior } from './linear-classifier';
import { normalizeForFeatures } from './normalize-for-features';

/** One training text with a label per head (`null` = not annotated: masked out of the loss). */
export interface TrainingExample {
  text: string;
  labels: readonly (0 | 1 | null)[];
  /** Per-head example weight (class and source balancing). @default 1 */
  weights?: readonly number[];
}

/** Settings of {@link trainLinearClassifier}. */
export interface TrainingSettings {
  heads: readonly string[];
  /** log2 of the number of hash buckets. */
  bucketBits: number;
  epochs: number;
  /** Adagrad learning rate. */
  learningRate: number;
  /** L2 penalty applied to the weights a step touches (lazy, per update). */
  l2: number;
  /** Seed of the shuffling PRNG: same data + same settings → same weights. */
  seed: number;
  /** Pseudo-features every text has, with a fixed weight (see `EvidencePrior`); not learned. @default none */
  prior?: EvidencePrior;
}

/** Float weights as trained, before quantization. */
export interface TrainedWeights {
  heads: readonly string[];
  buckets: number;
  /** `buckets × heads`, bucket-major. */
  weights: Float32Array;
  bias: Float64Array;
}


/** Hashed feature buckets of one training text (its first window, as scored at inference for short texts). */
export function trainingFeatures(text: string, bucketBits: number): Int32Array {
  const normalized = normalizeForFeatures(text);
  const window = normalized.length > WINDOW_CHARS ? normalized.slice(0, WINDOW_CHARS) : normalized;
  return collectFeatures(window, 2 ** bucketBits - 1).slice();
}

/**
 * Trains a multi-head logistic regression with Adagrad over hashed features, masking `null` labels.
 * Deterministic: examples are visited in an order drawn from `seed`, arithmetic is sequential.
 */
export function trainLinearClassifier(examples: readonly TrainingExample[], settings: TrainingSettings): TrainedWeights {
  return trainOnFeatures(
    examples.map((example) => trainingFeatures(example.text, settings.bucketBits)),
    examples,
    settings,
  );
}

/**
 * {@link trainLinearClassifier} over precomputed feature buckets (`features[i]` belongs to
 * `examples[i]`): the rotation by source extracts features once and trains many models on them.
 */
export function trainOnFeatures(features: readonly Int32Array[], examples: readonly Pick<TrainingExample, 'labels' | 'weights'>[], settings: TrainingSettings): TrainedWeights {
  const heads = settings.heads.length;
  const buckets = 2 ** settings.bucketBits;
  const weights = new Float32Array(buckets * heads);
  const squares = new Float32Array(buckets * heads);
  const bias = new Float64Array(heads);
  const biasSquares = new Float64Array(heads);
  const random = seededRandom(settings.seed);
  const order = examples.map((_, index) => index);
  const sums = new Float64Array(heads);
  const gradients = new Float64Array(heads);
  const { learningRate, l2, prior } = settings;
  const extra = priorSum(prior);

  for (let epoch = 0; epoch < settings.epochs; epoch++) {
    for (let index = order.length - 1; index > 0; index--) {
      const swap = Math.floor(random() * (index + 1));
      [order[index], order[swap]] = [order[swap]!, order[index]!];
    }
    for (const position of order) {
      const example = examples[position]!;
      const own = features[position]!;
      const count = own.length;
      const norm = featureNorm(count, prior);
      sums.fill(extra);
      for (let feature = 0; feature < count; feature++) {
        const base = own[feature]! * heads;
        for (let head = 0; head < heads; head++) sums[head]! += weights[base + head]!;
      }
      let any = false;
      for (let head = 0; head < heads; head++) {
        const label = example.labels[head];
        const weight = example.weights?.[head] ?? 1;
        if (label === null || label === undefined || weight === 0) {
          gradients[head] = 0;
          continue;
        }
        const probability = 1 / (1 + Math.exp(-(bias[head]! + sums[head]! * norm)));
        gradients[head] = (probability - label) * weight;
        any = true;
        const biasGradient = gradients[head]!;
        biasSquares[head]! += biasGradient * biasGradient;
        bias[head]! -= (learningRate * biasGradient) / Math.sqrt(biasSquares[head]! + 1e-8);
      }
      if (!any) continue;
      for (let feature = 0; feature < count; feature++) {
        const base = own[feature]! * heads;
        for (let head = 0; head < heads; head++) {
          const gradient = gradients[head]!;
          if (gradient === 0) continue;
          const slot = base + head;
          const step = gradient * norm + l2 * weights[slot]!;
          squares[slot]! += step * step;
          weights[slot]! -= (learningRate * step) / Math.sqrt(squares[slot]! + 1e-8);
        }
      }
    }
  }
  return { heads: [...settings.heads], buckets, weights, bias };
}

/** Logits per head of precomputed features under float weights (the rotation's held-out scoring). */
export function logitsOfFeatures(trained: TrainedWeights, own: Int32Array): number[] {
  const heads = trained.heads.length;
  const sums = new Array<number>(heads).fill(0);
  for (const bucket of own) for (let head = 0; head < heads; head++) sums[head]! += trained.weights[bucket * heads + head]!;
  const norm = own.length === 0 ? 0 : 1 / Math.sqrt(own.length);
  return sums.map((sum, head) => trained.bias[head]! + sum * norm);
}

/** Platt scaling `[a, b]` for one head: fits `sigmoid(a · logit + b)` to labels (damped Newton steps). */
export function fitPlatt(logits: readonly number[], labels: readonly (0 | 1)[], sampleWeights?: readonly number[]): [number, number] {
  const loss = (a: number, b: number): number => {
    let total = 0;
    for (let index = 0; index < logits.length; index++) {
      const z = a * logits[index]! + b;
      // log(1 + e^z) − y·z, computed without overflow.
      total += ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - labels[index]! * z) * (sampleWeights?.[index] ?? 1);
    }
    return total;
  };
  let a = 1;
  let b = 0;
  let current = loss(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let gradientA = 0;
    let gradientB = 0;
    let hAA = 1e-6;
    let hAB = 0;
    let hBB = 1e-6;
    for (let index = 0; index < logits.length; index++) {
      const x = logits[index]!;
      const weight = sampleWeights?.[index] ?? 1;
      const p = 1 / (1 + Math.exp(-(a * x + b)));
      const error = (p - labels[index]!) * weight;
      const curvature = p * (1 - p) * weight;
      gradientA += error * x;
      gradientB += error;
      hAA += curvature * x * x;
      hAB += curvature * x;
      hBB += curvature;
    }
    const determinant = hAA * hBB - hAB * hAB;
    if (!(determinant > 0)) break;
    const stepA = (hBB * gradientA - hAB * gradientB) / determinant;
    const stepB = (hAA * gradientB - hAB * gradientA) / determinant;
    // Backtrack until the loss goes down (plain Newton overshoots on nearly separable data).
    let scale = 1;
    let next = loss(a - stepA, b - stepB);
    while (next > current && scale > 1e-4) {
      scale /= 2;
      next = loss(a - scale * stepA, b - scale * stepB);
    }
    if (next > current) break;
    a -= scale * stepA;
    b -= scale * stepB;
    const improvement = current - next;
    current = next;
    if (improvement < 1e-9 * Math.max(1, Math.abs(current))) break;
  }
  return [a, b];
}

/** int8 quantization with one scale per head (max |w| → 127). */
export function quantize(trained: TrainedWeights): { weights: Int8Array; scales: number[] } {
  const heads = trained.heads.length;
  const scales: number[] = [];
  for (let head = 0; head < heads; head++) {
    let largest = 0;
    for (let slot = head; slot < trained.weights.length; slot += heads) largest = Math.max(largest, Math.abs(trained.weights[slot]!));
    scales.push(largest === 0 ? 1 : largest / 127);
  }
  const weights = new Int8Array(trained.weights.length);
  for (let slot = 0; slot < weights.length; slot++) weights[slot] = Math.round(trained.weights[slot]! / scales[slot % heads]!);
  return { weights, scales };
}

/**
 * Weighted logistic regression over a few dense inputs (Newton steps with backtracking): the
 * stacking of head logits into one category score. Returns `[bias, ...coefficients]`.
 */
export function fitLogistic(inputs: readonly (readonly number[])[], labels: readonly (0 | 1)[], sampleWeights: readonly number[], ridge = 1e-3): number[] {
  const width = (inputs[0]?.length ?? 0) + 1;
  const row = (index: number): number[] => [1, ...inputs[index]!];
  const loss = (theta: readonly number[]): number => {
    let total = 0;
    for (let index = 0; index < inputs.length; index++) {
      const x = row(index);
      const z = x.reduce((sum, value, k) => sum + value * theta[k]!, 0);
      total += ((z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - labels[index]! * z) * sampleWeights[index]!;
    }
    for (let k = 1; k < width; k++) total += (ridge * theta[k]! * theta[k]!) / 2;
    return total;
  };
  let theta = new Array<number>(width).fill(0);
  let current = loss(theta);
  for (let iteration = 0; iteration < 100; iteration++) {
    const gradient = new Array<number>(width).fill(0);
    const hessian = Array.from({ length: width }, () => new Array<number>(width).fill(0));
    for (let index = 0; index < inputs.length; index++) {
      const x = row(index);
      const p = 1 / (1 + Math.exp(-x.reduce((sum, value, k) => sum + value * theta[k]!, 0)));
      const weight = sampleWeights[index]!;
      for (let i = 0; i < width; i++) {
        gradient[i]! += (p - labels[index]!) * weight * x[i]!;
        for (let j = 0; j < width; j++) hessian[i]![j]! += p * (1 - p) * weight * x[i]! * x[j]!;
      }
    }
    for (let k = 0; k < width; k++) {
      hessian[k]![k]! += k === 0 ? 1e-9 : ridge;
      if (k > 0) gradient[k]! += ridge * theta[k]!;
    }
    const step = solve(hessian, gradient);
    if (!step) break;
    let scale = 1;
    let next = theta.map((value, k) => value - step[k]!);
    let nextLoss = loss(next);
    while (nextLoss > current && scale > 1e-4) {
      scale /= 2;
      next = theta.map((value, k) => value - scale * step[k]!);
      nextLoss = loss(next);
    }
    if (nextLoss > current) break;
    const improvement = current - nextLoss;
    theta = next;
    current = nextLoss;
    if (improvement < 1e-9 * Math.max(1, Math.abs(current))) break;
  }
  return theta;
}

/** Gaussian elimination with partial pivoting; undefined when singular. */
function solve(matrix: number[][], vector: number[]): number[] | undefined {
  const size = vector.length;
  const a = matrix.map((line, index) => [...line, vector[index]!]);
  for (let column = 0; column < size; column++) {
    let pivot = column;
    for (let r = column + 1; r < size; r++) if (Math.abs(a[r]![column]!) > Math.abs(a[pivot]![column]!)) pivot = r;
    if (Math.abs(a[pivot]![column]!) < 1e-12) return undefined;
    [a[column], a[pivot]] = [a[pivot]!, a[column]!];
    for (let r = 0; r < size; r++) {
      if (r === column) continue;
      const factor = a[r]![column]! / a[column]![column]!;
      for (let c = column; c <= size; c++) a[r]![c]! -= factor * a[column]![c]!;
    }
  }
  return a.map((line, index) => line[size]! / line[index]!);
}
