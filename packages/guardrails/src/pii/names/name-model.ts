import { CascadeError } from '@cascade/core';
import { base64Bytes, fnv1a } from '../../classifier/weights-codec';
import type { CommonWords } from './name-candidates';

/** The classes of the name model, in weight order. `NONE` = not a name. */
export const NAME_CLASSES = ['NONE', 'PERSON', 'LOCATION', 'ORGANIZATION'] as const;
/** One class of the name model. */
export type NameClass = (typeof NAME_CLASSES)[number];

/** The name model as shipped: int8 weights and the common-word bitset in base64. */
export interface EncodedNameModel {
  /** 3: the features of this version (2: same layout, older features, e.g. the second context word; 1: one gazetteer bitset per list). A model of another format would score wrong features. */
  format: 3;
  classes: readonly NameClass[];
  buckets: number;
  scales: readonly number[];
  bias: readonly number[];
  /** Per class: probability at and above which a candidate counts (chosen on held-out training sources). */
  thresholds: readonly number[];
  commonBits: number;
  /** log2 of the gazetteer table size in bytes (absent: a model trained without gazetteers). */
  gazetteerBits?: number;
  /** FNV-1a 32 of the weight bytes followed by the common-word bytes and the gazetteer bytes. */
  checksum: number;
  /** SHA-256 (hex) of `weights` + `common` + `gazetteer` as stored, for audits; the tests recompute it. */
  sha256: string;
  weights: string;
  common: string;
  gazetteer?: string;
}

/** A decoded name model. */
export interface NameModel {
  readonly classes: readonly NameClass[];
  readonly buckets: number;
  /** `buckets × classes`, bucket-major. */
  readonly weights: Int8Array | Float32Array;
  /** Four-class int8 weights, one int32 per bucket (see `packWeights`); absent: scored from `weights`. */
  readonly packed?: Int32Array;
  readonly scales: readonly number[];
  readonly bias: readonly number[];
  readonly thresholds: readonly number[];
  readonly common: CommonWords;
}

/** Checksum of the model's bytes as the training script records it. */
export function nameModelChecksum(weights: Uint8Array, common: Uint8Array, gazetteer: Uint8Array = new Uint8Array(0)): number {
  const joined = new Uint8Array(weights.length + common.length + gazetteer.length);
  joined.set(weights);
  joined.set(common, weights.length);
  joined.set(gazetteer, weights.length + common.length);
  return fnv1a(joined);
}

/**
 * Decodes and checks the shipped name model.
 *
 * @throws CascadeError `INVALID_CONFIG` when the weights are corrupt: reinstall the package or regenerate them.
 */
export function decodeNameModel(encoded: EncodedNameModel): NameModel {
  const weights = base64Bytes(encoded.weights);
  const common = base64Bytes(encoded.common);
  const gazetteer = encoded.gazetteer === undefined ? undefined : base64Bytes(encoded.gazetteer);
  if (
    encoded.format !== 3 ||
    weights.length !== encoded.buckets * encoded.classes.length ||
    common.length !== 2 ** encoded.commonBits / 8 ||
    (gazetteer !== undefined && gazetteer.length !== 2 ** (encoded.gazetteerBits ?? 0)) ||
    nameModelChecksum(weights, common, gazetteer) !== encoded.checksum
  ) {
    throw new CascadeError('INVALID_CONFIG', 'The name recognizer weights are corrupt (size or checksum mismatch): reinstall @cascade/guardrails or regenerate them with `pnpm --filter @cascade/guardrails train:names`.');
  }
  const int8 = new Int8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  const packed = packWeights(int8, encoded.buckets, encoded.classes.length);
  return {
    classes: encoded.classes,
    buckets: encoded.buckets,
    weights: int8,
    ...(packed === undefined ? {} : { packed }),
    scales: encoded.scales,
    bias: encoded.bias,
    thresholds: encoded.thresholds,
    common: { bits: encoded.commonBits, set: common, ...(gazetteer === undefined ? {} : { gazetteer: { bits: encoded.gazetteerBits!, set: gazetteer } }) },
  };
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * The four int8 weights of each bucket packed into one int32 (class k in byte k), so a feature
 * costs one load instead of four. On a little-endian machine the bytes already are that layout: a
 * view, no copy (the first call stays cheap). Undefined for other class counts.
 */
export function packWeights(weights: Int8Array, buckets: number, classes: number): Int32Array | undefined {
  if (classes !== 4) return undefined;
  if (LITTLE_ENDIAN && weights.byteOffset % 4 === 0) return new Int32Array(weights.buffer, weights.byteOffset, buckets);
  const packed = new Int32Array(buckets);
  for (let bucket = 0; bucket < buckets; bucket++) {
    const base = bucket << 2;
    packed[bucket] = (weights[base]! & 0xff) | ((weights[base + 1]! & 0xff) << 8) | ((weights[base + 2]! & 0xff) << 16) | (weights[base + 3]! << 24);
  }
  return packed;
}

/** Class logits of one candidate's features, written into `out`; returns the index of the largest. */
export function nameLogits(model: NameModel, features: Int32Array, count: number, out: Float64Array): number {
  const classes = model.classes.length;
  const { weights, packed, bias, scales } = model;
  if (packed !== undefined) {
    // The shipped model: four sums in registers, one load per feature; the same integer sums as
    // reading the four bytes one by one, so the same logits.
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
    out[0] = bias[0]! + none * scales[0]!;
    out[1] = bias[1]! + person * scales[1]!;
    out[2] = bias[2]! + location * scales[2]!;
    out[3] = bias[3]! + organization * scales[3]!;
  } else {
    out.fill(0);
    for (let feature = 0; feature < count; feature++) {
      const base = features[feature]! * classes;
      for (let klass = 0; klass < classes; klass++) out[klass]! += weights[base + klass]!;
    }
    for (let klass = 0; klass < classes; klass++) out[klass] = bias[klass]! + out[klass]! * scales[klass]!;
  }
  let best = 0;
  for (let klass = 1; klass < classes; klass++) if (out[klass]! > out[best]!) best = klass;
  return best;
}

/** Class probabilities (softmax) of one candidate's features, written into `out`. */
export function nameProbabilities(model: NameModel, features: Int32Array, count: number, out: Float64Array): void {
  const classes = model.classes.length;
  const largest = out[nameLogits(model, features, count, out)]!;
  let total = 0;
  for (let klass = 0; klass < classes; klass++) {
    out[klass] = Math.exp(out[klass]! - largest);
    total += out[klass]!;
  }
  for (let klass = 0; klass < classes; klass++) out[klass]! /= total;
}
