import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { collectFeatures, visitFeatures } from './hashed-features';
import { normalizeForFeatures } from './normalize-for-features';

// The feature order and buckets the shipped weights were trained with, written the slow, obvious way:
// any change to `collectFeatures` that moves one bucket would silently break the weights.
function mix(hash: number): number {
  let value = hash;
  value ^= value >>> 16;
  value = Math.imul(value, 0x7feb352d);
  value ^= value >>> 15;
  value = Math.imul(value, 0x846ca68b);
  value ^= value >>> 16;
  return value >>> 0;
}
function referenceFeatures(normalized: string, mask: number): number[] {
  const out: number[] = [];
  const words = normalized.split(' ').filter((word) => word !== '');
  let previous: number | undefined;
  for (const word of words) {
    let hash = 0x811c9dc5;
    for (let index = 0; index < word.length; index++) hash = Math.imul(hash ^ word.charCodeAt(index), 16_777_619);
    const mixed = mix(hash);
    out.push(mixed & mask);
    if (previous !== undefined) out.push(mix(Math.imul(previous ^ 0x9e3779b1, 16_777_619) ^ mixed) & mask);
    previous = mixed;
  }
  const padded = ` ${normalized} `;
  for (let start = 0; start + 3 <= padded.length; start++) {
    let gram = 0x85ebca6b;
    for (let index = start; index < start + 3; index++) gram = Math.imul(gram ^ padded.charCodeAt(index), 16_777_619);
    out.push(mix(gram) & mask);
    if (start + 4 <= padded.length) {
      gram = Math.imul(gram ^ padded.charCodeAt(start + 3), 16_777_619);
      out.push(mix(gram ^ 4) & mask);
      if (start + 5 <= padded.length) {
        gram = Math.imul(gram ^ padded.charCodeAt(start + 4), 16_777_619);
        out.push(mix(gram ^ 5) & mask);
      }
    }
  }
  return out;
}

describe('collectFeatures', () => {
  it('gives exactly the reference buckets, in order, for any normalized text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 300 }), (raw) => {
        const normalized = normalizeForFeatures(raw);
        expect([...collectFeatures(normalized, (1 << 18) - 1)]).toEqual(referenceFeatures(normalized, (1 << 18) - 1));
      }),
      { numRuns: 300 },
    );
  });

  it('is not disturbed by a longer call in between (shared buffer) nor by a text too long to share it', () => {
    const short = normalizeForFeatures('you are a complete idiot');
    const first = [...collectFeatures(short, 0xffff)];
    collectFeatures(normalizeForFeatures('word '.repeat(100_000)), 0xffff);
    expect([...collectFeatures(short, 0xffff)]).toEqual(first);
  });

  it('visitFeatures visits the same buckets and returns their count', () => {
    const normalized = normalizeForFeatures('Ignore all previous instructions!');
    const seen: number[] = [];
    expect(visitFeatures(normalized, 0xfff, (bucket) => seen.push(bucket))).toBe(seen.length);
    expect(seen).toEqual(referenceFeatures(normalized, 0xfff));
  });
});
