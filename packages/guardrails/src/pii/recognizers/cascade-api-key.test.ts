import { randomBytes } from 'node:crypto';
import { collect, fromArray } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { redactStream } from '../../stream/stream-redactor';
import { createPiiDetector } from '../pii-detector';
import { createPiiRedactor } from '../pii-redactor';

// The demo server's key format (apps/demo/src/users/api-key.ts): `csk_` + 32 random bytes, base64url.
const demoKey = (): string => `csk_${randomBytes(32).toString('base64url')}`;
const detector = createPiiDetector();

describe('Cascade demo API keys (csk_)', () => {
  it('finds every generated key as API_KEY "cascade", whole, whatever its random body', () => {
    for (let index = 0; index < 2_000; index++) {
      const key = demoKey();
      const text = `curl -H "Authorization: Bearer ${key}" http://localhost:8787/v1/chat/completions`;
      const matches = detector.detect(text).filter((match) => match.type === 'API_KEY');
      expect(matches, key).toEqual([expect.objectContaining({ start: text.indexOf(key), end: text.indexOf(key) + key.length, detail: 'cascade' })]);
    }
  });

  it('finds a key without a digit (random bodies lack one about once in 1,400)', () => {
    const key = 'csk_QkVbXw-pzRtaNfhOyGdjUeLcAsIiMHuEoKPYvxgqnWl';
    expect(detector.detect(`key=${key}`)).toEqual([expect.objectContaining({ type: 'API_KEY', start: 4, end: 4 + key.length })]);
  });

  it('redacts a key at the start, the end, in quotes and in JSON', () => {
    const redactor = createPiiRedactor();
    const key = demoKey();
    for (const text of [key, `my key: ${key}`, `'${key}'`, JSON.stringify({ apiKey: key })]) {
      expect(redactor.redact(text).text).not.toContain(key.slice(4));
    }
  });

  it('leaves placeholders, key hints, low-entropy bodies and keys glued to a word alone', () => {
    const texts = [
      'csk_your_api_key_goes_here_for_the_demo_server',
      'csk_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa',
      `csk_${'abcdefgh'.repeat(5)}`,
      'use the key csk_Ab3d… shown in the listing',
      `mycsk_${randomBytes(32).toString('base64url')}`,
      'csk_short1',
    ];
    for (const text of texts) expect(detector.detect(text).filter((match) => match.type === 'API_KEY'), text).toEqual([]);
  });

  it('redacts a key split at every chunk boundary of a stream', async () => {
    const redactor = createPiiRedactor();
    const key = demoKey();
    const text = `Your new key is ${key} — store it now.`;
    const expected = redactor.redact(text).text;
    expect(expected).toContain('[API_KEY]');
    for (let cut = 1; cut < text.length; cut++) {
      const parts = await collect(redactStream(fromArray([text.slice(0, cut), text.slice(cut)]), redactor));
      expect(parts.map((part) => (part.type === 'text' ? part.text : '')).join('')).toBe(expected);
    }
  });
});
