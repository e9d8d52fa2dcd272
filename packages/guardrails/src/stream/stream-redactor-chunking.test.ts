import { collect, fromArray } from '@cascade/core/test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPiiRedactor } from '../pii/pii-redactor';
import { redactStream } from './stream-redactor';

const redactor = createPiiRedactor();

/** Entities, separators and noise that exercise every hold rule (last token, number groups, key blocks). */
const piece = fc.constantFrom(
  'ada.lovelace@example.co.uk', '+44 20 7946 0958', '(415) 555-2671', '4111 1111 1111 1111', 'GB82 WEST 1234 5698 7654 32', 'https://example.com/reset?token=abc123',
  'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t', 'csk_fwXqQ5Exf41fhY6QMSWbki-s96rcIO_NmyDOxB7-WAw', '536-22-1234', '192.168.10.254',
  '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----', '-----BEGIN ', '-----END ',
  ' ', '  ', '\n', '\t', 'hello', 'a', '12', '555', '-', '.', ',', 'x'.repeat(300), '1 2 3 4 5 6 7 8 9',
);

describe('redactStream chunking', () => {
  it('gives exactly the whole-text redaction however the text is split (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(piece, { minLength: 1, maxLength: 12 }), fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 8 }), async (pieces, sizes) => {
        const text = pieces.join(' ');
        const chunks: string[] = [];
        for (let index = 0, turn = 0; index < text.length; turn++) {
          const size = sizes[turn % sizes.length]!;
          chunks.push(text.slice(index, index + size));
          index += size;
        }
        const parts = await collect(redactStream(fromArray(chunks), redactor));
        expect(parts.map((part) => (part.type === 'text' ? part.text : '')).join('')).toBe(redactor.redact(text).text);
      }),
      { numRuns: 300 },
    );
  });
});
