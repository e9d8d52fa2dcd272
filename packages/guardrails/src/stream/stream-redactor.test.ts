import { CascadeError, type GuardedStreamPart } from '@cascade/core';
import { collect, fromArray } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { createPiiRedactor } from '../pii/pii-redactor';
import { redactStream } from './stream-redactor';

const redactor = createPiiRedactor();

const ENTITIES: readonly [string, string][] = [
  ['EMAIL_ADDRESS', 'ada.lovelace@example.co.uk'],
  ['PHONE_NUMBER', '+44 20 7946 0958'],
  ['PHONE_NUMBER', '(415) 555-2671'],
  ['CREDIT_CARD', '4111 1111 1111 1111'],
  ['CREDIT_CARD', '5555555555554444'],
  ['US_SSN', '536-22-1234'],
  ['IP_ADDRESS', '192.168.10.254'],
  ['IP_ADDRESS', '2001:db8:85a3::8a2e:370:7334'],
  ['IBAN_CODE', 'GB82 WEST 1234 5698 7654 32'],
  ['URL', 'https://example.com/reset?token=abc123'],
  ['API_KEY', 'sk-proj-Ab3dEf6hIj9kLm2nOp5qRs8t'],
  ['AWS_ACCESS_KEY', 'AKIAIOSFODNN7EXAMPLE'],
  ['GITHUB_TOKEN', 'ghp_16C7e42F292c6912E7710c838347Ae178B4a'],
  ['JWT', 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U'],
  ['PRIVATE_KEY', '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----'],
];

function textOf(parts: readonly GuardedStreamPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

async function streamed(chunks: readonly string[]): Promise<GuardedStreamPart[]> {
  return collect(redactStream(fromArray(chunks), redactor));
}

describe('redactStream', () => {
  it.each(ENTITIES)('redacts %s split at every boundary exactly like the whole text, with zero leaks', async (type, value) => {
    const text = `Hello, my value is ${value} and that is all.`;
    const expected = redactor.redact(text).text;
    expect(expected).toContain(`[${type}]`);
    for (let cut = 1; cut < text.length; cut++) {
      const parts = await streamed([text.slice(0, cut), text.slice(cut)]);
      const output = textOf(parts);
      expect(output, `cut at ${cut}`).toBe(expected);
      expect(output).not.toContain(value);
    }
  });

  it.each(ENTITIES)('redacts %s streamed one character at a time and in three random pieces', async (_type, value) => {
    const text = `x ${value}\nnext line`;
    const expected = redactor.redact(text).text;
    expect(textOf(await streamed([...text]))).toBe(expected);
    for (let first = 1; first < text.length - 1; first += 3) {
      const second = first + 1 + ((first * 7) % (text.length - first - 1));
      expect(textOf(await streamed([text.slice(0, first), text.slice(first, second), text.slice(second)]))).toBe(expected);
    }
  });

  it('releases clean text before the stream ends, holding back only a bounded tail', async () => {
    let pulled = 0;
    let firstTextAt = -1;
    async function* deltas(): AsyncGenerator<string> {
      for (let index = 0; index < 20; index++) {
        pulled++;
        yield 'plain words flowing through the redactor without any entity. ';
      }
    }
    for await (const part of redactStream(deltas(), redactor)) if (part.type === 'text' && firstTextAt < 0) firstTextAt = pulled;
    expect(firstTextAt).toBe(1);
  });

  it('emits a typed guardrail part for redactions with offsets in the whole stream', async () => {
    const parts = await streamed(['mail ada@exa', 'mple.com now ']);
    const events = parts.filter((part) => part.type === 'guardrail');
    expect(events).toEqual([{ type: 'guardrail', action: 'redacted', findings: [expect.objectContaining({ guard: 'pii', type: 'EMAIL_ADDRESS', start: 5, end: 20, action: 'redact' })] }]);
  });

  it('stops the stream with a guardrail part when an entity must be blocked, never yielding it', async () => {
    const blocking = createPiiRedactor({ actions: { CREDIT_CARD: 'block' } });
    const parts = await collect(redactStream(fromArray(['pay with 4111 11', '11 1111 1111 then more text', ' and more']), blocking));
    const last = parts.at(-1)!;
    expect(last).toMatchObject({ type: 'guardrail', action: 'stopped' });
    expect(last.type === 'guardrail' && last.reason).toContain('CREDIT_CARD');
    expect(textOf(parts)).toBe('pay with ');
  });

  it('reports warn findings without changing the text', async () => {
    const warning = createPiiRedactor({ action: 'warn' });
    const parts = await collect(redactStream(fromArray(['ip 10.0.0', '.1 ok']), warning));
    expect(textOf(parts)).toBe('ip 10.0.0.1 ok');
    expect(parts).toContainEqual(expect.objectContaining({ type: 'guardrail', action: 'warned' }));
  });

  it('stops on abort with ABORTED', async () => {
    const controller = new AbortController();
    const stream = redactStream(
      (async function* () {
        yield 'one ';
        controller.abort();
        yield 'two ';
      })(),
      redactor,
      {},
      { abortSignal: controller.signal },
    );
    await expect(collect(stream)).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'ABORTED');
  });
});
