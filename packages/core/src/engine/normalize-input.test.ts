import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type MakeInput, growthRatio } from '../__fixtures__/growth-ratio';
import { CascadeError } from '../errors/cascade-error';
import { normalizeInput } from './normalize-input';

const LINEAR = { factor: 16, reps: 5, limit: 48 };

describe('normalizeInput', () => {
  it('turns any wrong-typed input into an INVALID_INPUT CascadeError, never another throw', () => {
    fc.assert(
      fc.property(fc.anything({ withNullPrototype: true, withBigInt: true, withMap: true, withSet: true, withTypedArray: true }), (input) => {
        try {
          normalizeInput(input as never);
        } catch (error) {
          expect(CascadeError.isInstance(error)).toBe(true);
          expect((error as CascadeError).code).toBe('INVALID_INPUT');
        }
      }),
      { numRuns: 500 },
    );
  });

  it('takes AI SDK style { system, prompt } and { system, messages }, keeping the other parameters', () => {
    expect(normalizeInput({ system: 'Be brief.', prompt: 'Hi', maxOutputTokens: 32 })).toEqual({
      messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'Hi' }],
      maxOutputTokens: 32,
    });
    expect(normalizeInput({ prompt: 'Hi' })).toEqual({ messages: [{ role: 'user', content: 'Hi' }] });
    expect(normalizeInput({ system: 'S', messages: [{ role: 'user', content: 'Hi' }] }).messages).toEqual([{ role: 'system', content: 'S' }, { role: 'user', content: 'Hi' }]);
    const bad = [{ prompt: '' }, { prompt: 'a', messages: [] }, { system: 3, prompt: 'a' }, { system: 'only' }, { prompt: 'a', temperature: 'hot' }];
    for (const input of bad) expect(() => normalizeInput(input as never)).toThrow(expect.objectContaining({ code: 'INVALID_INPUT' }));
  });

  it('refuses message lists with wrong-typed parts with a message naming the index', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constant({ role: 'user', content: 'ok' }), fc.anything()), { minLength: 1, maxLength: 8 }), (messages) => {
        try {
          normalizeInput(messages as never);
        } catch (error) {
          expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
          expect((error as Error).message).toMatch(/messages\[\d+\]|request|messages/);
        }
      }),
      { numRuns: 300 },
    );
  });

  const inputs: Record<string, MakeInput<unknown>> = {
    'a long prompt': (size, rep) => 'a'.repeat(size + rep),
    'many messages': (size, rep) => Array.from({ length: size / 10 + rep }, (_, index) => ({ role: index % 2 ? 'assistant' : 'user', content: 'hello' })),
    'many content parts': (size, rep) => [{ role: 'user', content: Array.from({ length: size / 10 + rep }, () => ({ type: 'text', text: 'part' })) }],
    'many stop sequences': (size, rep) => ({ messages: [{ role: 'user', content: 'hi' }], temperature: 0.5, stop: Array.from({ length: size / 10 + rep }, () => 'END') }),
  };
  for (const [name, make] of Object.entries(inputs)) {
    it(`takes linear time on ${name}`, () => {
      expect(growthRatio(make, (input) => normalizeInput(input as never), 20_000, LINEAR)).toBeLessThan(LINEAR.limit);
    });
  }
});
