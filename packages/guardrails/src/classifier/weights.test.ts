import { createHash } from 'node:crypto';
import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { decodeClassifier, fnv1a } from './weights-codec';
import { INJECTION_WEIGHTS } from './weights/injection-weights';
import { MODERATION_WEIGHTS } from './weights/moderation-weights';

describe.each([
  ['moderation', MODERATION_WEIGHTS],
  ['injection', INJECTION_WEIGHTS],
] as const)('shipped %s weights', (name, encoded) => {
  it('match their recorded SHA-256 and checksum', () => {
    expect(createHash('sha256').update(encoded.data).digest('hex')).toBe(encoded.sha256);
    expect(fnv1a(Buffer.from(encoded.data, 'base64'))).toBe(encoded.checksum);
  });

  it('decode to buckets × heads int8 weights with a calibration and a threshold per head', () => {
    const classifier = decodeClassifier(encoded, name);
    expect(classifier.weights.length).toBe(encoded.buckets * encoded.heads.length);
    // Decoded in chunks: the same bytes as decoding the whole string at once.
    expect(Buffer.from(classifier.weights.buffer, classifier.weights.byteOffset, classifier.weights.byteLength).equals(Buffer.from(encoded.data, 'base64'))).toBe(true);
    expect(classifier.calibration).toHaveLength(encoded.heads.length);
    expect(classifier.thresholds).toHaveLength(encoded.heads.length);
    // Segment settings reach the decoded classifier (injection is scored per segment too).
    expect(classifier.segments).toEqual(encoded.segments);
    if (name === 'injection') expect(classifier.segments?.chars).toBeGreaterThan(0);
    // A few MB at most.
    expect(encoded.data.length).toBeLessThan(4_000_000);
  });

  it('refuse corrupt weights with INVALID_CONFIG', () => {
    const bytes = Buffer.from(encoded.data, 'base64');
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1]! + 1) & 0xff;
    const error = (() => {
      try {
        decodeClassifier({ ...encoded, data: bytes.toString('base64') }, name);
      } catch (caught) {
        return caught;
      }
      return undefined;
    })();
    expect(CascadeError.isInstance(error) && error.code === 'INVALID_CONFIG').toBe(true);
  });
});
