import { CascadeError } from '@cascade/core';
import type { EvidencePrior, LinearClassifier } from './linear-classifier';

/**
 * A category score stacked from head logits: `p = sigmoid(bias + Σ weights[i] · logit[i])`, fitted
 * on held-out training sources, with its default threshold.
 */
/** Segment-level scoring settings, chosen on held-out training sources. */
export interface SegmentSettings {
  chars: number;
  offset: number;
}

export interface CategoryScore {
  /** One coefficient per head (0 = head not read). */
  weights: readonly number[];
  bias: number;
  threshold: number;
}

/** A trained classifier as shipped: int8 weights in base64 plus what is needed to score and decide. */
export interface EncodedClassifier {
  format: 1;
  heads: readonly string[];
  buckets: number;
  scales: readonly number[];
  bias: readonly number[];
  calibration: readonly (readonly [number, number])[];
  /** Default probability threshold per head, chosen on held-out training sources. */
  thresholds: readonly number[];
  /** Scores of categories that combine heads (moderation), by category name. */
  categories?: Readonly<Record<string, CategoryScore>>;
  /** Segment-level scoring of a single-head model: segment length and the logit discount of a segment (see segment-scores.ts). */
  segments?: SegmentSettings;
  /** Pseudo-features of fixed weight that every text has (see `EvidencePrior`); absent: none. */
  prior?: EvidencePrior;
  /** FNV-1a 32 of the weight bytes, checked when the weights are decoded. */
  checksum: number;
  /** SHA-256 of `data` (hex), for audits; the tests recompute it. */
  sha256: string;
  data: string;
}

/** A decoded classifier with its default thresholds. */
export interface LoadedClassifier extends LinearClassifier {
  readonly weights: Int8Array;
  readonly thresholds: readonly number[];
  readonly categories: Readonly<Record<string, CategoryScore>>;
  readonly segments?: SegmentSettings;
}

/** FNV-1a 32-bit hash of bytes: a cheap integrity check of decoded weights. */
export function fnv1a(bytes: Uint8Array | Int8Array): number {
  let hash = 0x811c9dc5;
  const view = bytes instanceof Uint8Array ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let index = 0; index < view.length; index++) hash = Math.imul(hash ^ view[index]!, 16_777_619);
  return hash >>> 0;
}

/** int8 weights → base64 and checksum (used by the training script). */
export function encodeWeights(weights: Int8Array): { base64: string; checksum: number } {
  const bytes = new Uint8Array(weights.buffer, weights.byteOffset, weights.byteLength);
  return { base64: Buffer.from(bytes).toString('base64'), checksum: fnv1a(bytes) };
}

/**
 * Base64 characters decoded per `Buffer#write` (a multiple of 4). Node decodes a string through a
 * temporary copy of its characters; for megabytes of weights, the fresh pages of that copy (and of
 * a second copy of the bytes) cost more than the decoding itself, and the first call paid for them.
 * Chunks reuse one small temporary and write straight into the result.
 */
const DECODE_CHUNK = 1 << 16;

/** Base64 → bytes; invalid characters decode short, which the callers' size checks report as corrupt. */
export function base64Bytes(data: string): Uint8Array {
  if (typeof Buffer !== 'undefined') {
    const padding = data.endsWith('==') ? 2 : data.endsWith('=') ? 1 : 0;
    const bytes = Buffer.alloc(Math.max(0, Math.floor(data.length / 4) * 3 - padding));
    let written = 0;
    for (let at = 0; at < data.length; at += DECODE_CHUNK) written += bytes.write(data.slice(at, at + DECODE_CHUNK), written, 'base64');
    // Invalid characters decode short: the size check then reports the weights as corrupt.
    return written === bytes.length ? bytes : bytes.subarray(0, written);
  }
  const binary = atob(data);
  const bytes = new Uint8Array(binary.length);
  for (let index = 0; index < binary.length; index++) bytes[index] = binary.charCodeAt(index);
  return bytes;
}

/**
 * Decodes shipped weights and checks them.
 *
 * @throws CascadeError `INVALID_CONFIG` when the weights are corrupt (wrong size or checksum):
 * reinstall the package or regenerate the weights with the training script.
 */
export function decodeClassifier(encoded: EncodedClassifier, name: string): LoadedClassifier {
  const bytes = base64Bytes(encoded.data);
  const heads = encoded.heads.length;
  if (encoded.format !== 1 || bytes.length !== encoded.buckets * heads || fnv1a(bytes) !== encoded.checksum) {
    throw new CascadeError('INVALID_CONFIG', `The ${name} classifier weights are corrupt (size or checksum mismatch): reinstall @cascade/guardrails or regenerate them with scripts/train.`);
  }
  return {
    heads: encoded.heads,
    buckets: encoded.buckets,
    weights: new Int8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    scales: encoded.scales,
    bias: encoded.bias,
    calibration: encoded.calibration,
    thresholds: encoded.thresholds,
    categories: encoded.categories ?? {},
    ...(encoded.segments ? { segments: encoded.segments } : {}),
    ...(encoded.prior ? { prior: encoded.prior } : {}),
  };
}

/** A lazy loader: decodes on first call and keeps the result. */
export function lazyClassifier(encoded: () => EncodedClassifier, name: string): () => LoadedClassifier {
  let loaded: LoadedClassifier | undefined;
  return () => (loaded ??= decodeClassifier(encoded(), name));
}
