import type { PiiEntityType, RawPiiMatch } from '../pii-entity';
import { visitNameCandidates, type CandidateFilter } from '../names/name-candidates';
import { decodeNameModel, nameLogits, type NameModel } from '../names/name-model';
import { NAME_WEIGHTS } from '../names/weights/name-weights';

let model: NameModel | undefined;

/** The shipped name model, decoded and checked on first use. */
export function shippedNameModel(): NameModel {
  return (model ??= decodeNameModel(NAME_WEIGHTS));
}

const TYPES: readonly (PiiEntityType | undefined)[] = [undefined, 'PERSON', 'LOCATION', 'ORGANIZATION'];
const probabilities = new Float64Array(4);

/**
 * The four int8 weights of each bucket packed into one int32 (class k in byte k), so a feature
 * costs one load instead of four; built once per model. Undefined for other model shapes.
 */
const packedByModel = new WeakMap<NameModel, Int32Array>();
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
function packedWeights(nameModel: NameModel): Int32Array | undefined {
  const { weights } = nameModel;
  if (nameModel.classes.length !== 4 || !(weights instanceof Int8Array)) return undefined;
  let packed = packedByModel.get(nameModel);
  if (packed === undefined) {
    if (LITTLE_ENDIAN && weights.byteOffset % 4 === 0) {
      // The bytes already are that layout on a little-endian machine: a view, no copy (first call stays cheap).
      packed = new Int32Array(weights.buffer, weights.byteOffset, nameModel.buckets);
    } else {
      packed = new Int32Array(nameModel.buckets);
      for (let bucket = 0; bucket < packed.length; bucket++) {
        const base = bucket << 2;
        packed[bucket] = (weights[base]! & 0xff) | ((weights[base + 1]! & 0xff) << 8) | ((weights[base + 2]! & 0xff) << 16) | (weights[base + 3]! << 24);
      }
    }
    packedByModel.set(nameModel, packed);
  }
  return packed;
}

/** {@link nameLogits} of a four-class int8 model on its packed weights: the same sums, so the same logits. */
function packedLogits(nameModel: NameModel, packed: Int32Array, features: Int32Array, count: number): number {
  let none = 0;
  let person = 0;
  let location = 0;
  let organization = 0;
  for (let feature = 0; feature < count; feature++) {
    const word = packed[features[feature]!]!;
    none += (word << 24) >> 24;
    person += (word << 16) >> 24;
    location += (word << 8) >> 24;
    organization += word >> 24;
  }
  const { bias, scales } = nameModel;
  probabilities[0] = bias[0]! + none * scales[0]!;
  probabilities[1] = bias[1]! + person * scales[1]!;
  probabilities[2] = bias[2]! + location * scales[2]!;
  probabilities[3] = bias[3]! + organization * scales[3]!;
  let best = 0;
  for (let klass = 1; klass < 4; klass++) if (probabilities[klass]! > probabilities[best]!) best = klass;
  return best;
}

/**
 * Maps a class probability to a score where the class's trained threshold lands on 0.5 (the
 * default `minScore`): below it 0..0.5, above it 0.5..1.
 */
export function probabilityToScore(probability: number, threshold: number): number {
  return probability >= threshold ? 0.5 + (0.5 * (probability - threshold)) / Math.max(1e-9, 1 - threshold) : (0.5 * probability) / threshold;
}

/**
 * Names of people, places and organizations (`PERSON`, `LOCATION`, `ORGANIZATION`): candidate runs
 * of capitalized words scored by the shipped model (see `names/`). Names written without capitals,
 * and scripts without letter case, are not found. `discarded`: spans the caller drops anyway (see
 * {@link CandidateFilter}), whose candidates are skipped unscored.
 */
export function recognizeNames(text: string, out: RawPiiMatch[], nameModel: NameModel = shippedNameModel(), discarded?: CandidateFilter): void {
  const first = out.length;
  const packed = packedWeights(nameModel);
  visitNameCandidates(text, nameModel.buckets - 1, nameModel.common, (start, end, features, count) => {
    // Most candidates are not names: decide on the logits, and only then pay for the softmax.
    const best = packed === undefined ? nameLogits(nameModel, features, count, probabilities) : packedLogits(nameModel, packed, features, count);
    if (best === 0) return;
    let total = 0;
    for (let klass = 0; klass < 4; klass++) total += Math.exp(probabilities[klass]! - probabilities[best]!);
    const score = probabilityToScore(1 / total, nameModel.thresholds[best]!);
    if (score < 0.15) return;
    // Candidates of one run may overlap ("Dear Lucero" / "Lucero"): keep the better one.
    const last = out.length > first ? out[out.length - 1]! : undefined;
    if (last !== undefined && last.end > start) {
      if (score > last.score) out[out.length - 1] = { type: TYPES[best]!, start, end, score };
      return;
    }
    out.push({ type: TYPES[best]!, start, end, score });
  }, discarded);
}
