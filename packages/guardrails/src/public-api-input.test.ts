import { CascadeError, type CascadeErrorCode } from '@cascade/core';
import { fromArray, MockChatModel } from '@cascade/core/test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  combineInjectionDetectors, createGuardrailsMiddleware, createHeuristicInjectionDetector, createLocalModerator, createModelInjectionDetector, createPiiDetector,
  createPiiRedactor, ibanChecksumValid, luhnValid, maskValue, mergeMatches, moderateLocally, moderateStream, moderationFindings, redactStream,
} from './index';

/** Values of the wrong type that untyped callers (JavaScript, JSON bodies) pass. */
const WRONG: readonly unknown[] = [null, undefined, 42, Number.NaN, true, { text: 'hello' }, ['hello'], () => 'hello', Symbol('x'), 10n];
const wrongValue = fc.oneof(
  fc.constantFrom(...WRONG),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
);

/** Runs `call` (sync, promise or async iterable) to completion and returns what it threw. */
async function thrown(call: () => unknown): Promise<unknown> {
  try {
    const result = call();
    if (result !== null && typeof result === 'object' && typeof (result as PromiseLike<unknown>).then === 'function') await result;
    else if (result !== null && typeof result === 'object' && Symbol.asyncIterator in result) for await (const _ of result as AsyncIterable<unknown>) void _;
  } catch (error) {
    return error;
  }
  return undefined;
}

async function expectTyped(call: () => unknown, code: CascadeErrorCode, mentions: RegExp): Promise<void> {
  const error = await thrown(call);
  expect(CascadeError.isInstance(error), `expected a CascadeError, got ${String(error)}`).toBe(true);
  expect((error as CascadeError).code).toBe(code);
  expect((error as CascadeError).message).toMatch(mentions);
}

/** Every public function that takes text, with the wrong-typed value in the text position. */
const TEXT_TAKERS: readonly [string, (value: unknown) => unknown, RegExp][] = [
  ['createPiiDetector().detect', (value) => createPiiDetector().detect(value as string), /PII detect/],
  ['createPiiRedactor().redact', (value) => createPiiRedactor().redact(value as string), /PII redact/],
  ['createPiiRedactor().apply', (value) => createPiiRedactor().apply(value as string, []), /PII redactor apply/],
  ['maskValue', (value) => maskValue(value as string, '*', 4), /maskValue/],
  ['luhnValid', (value) => luhnValid(value as string), /luhnValid/],
  ['ibanChecksumValid', (value) => ibanChecksumValid(value as string), /ibanChecksumValid/],
  ['moderateLocally', (value) => moderateLocally(value as string), /guardrails check/],
  ['createLocalModerator().moderate', (value) => createLocalModerator().moderate(value as string), /guardrails check/],
  ['heuristic detect({ text })', (value) => createHeuristicInjectionDetector().detect({ text: value as string }), /input\.text/],
  ['model detect({ text })', (value) => createModelInjectionDetector({ model: new MockChatModel() }).detect({ text: value as string }), /input\.text/],
  ['combined detect({ text })', (value) => combineInjectionDetectors([createHeuristicInjectionDetector()]).detect({ text: value as string }), /input\.text/],
];

describe('wrong-typed input gives a typed CascadeError that says what to pass', () => {
  it.each(TEXT_TAKERS)('%s: INVALID_INPUT for null, numbers, objects, arrays…', async (_name, call, where) => {
    for (const value of WRONG) await expectTyped(() => call(value), 'INVALID_INPUT', where);
  });

  it('every text-taking function, for any non-string value (property)', async () => {
    await fc.assert(
      fc.asyncProperty(wrongValue, fc.constantFrom(...TEXT_TAKERS), async (value, [, call, where]) => {
        const error = await thrown(() => call(value));
        return CascadeError.isInstance(error) && error.code === 'INVALID_INPUT' && where.test(error.message) && /string/.test(error.message);
      }),
      { numRuns: 200 },
    );
  });

  it('injection detectors: the input must be { text }, not a bare string or null', async () => {
    const detectors = [createHeuristicInjectionDetector(), createModelInjectionDetector({ model: new MockChatModel() }), combineInjectionDetectors([createHeuristicInjectionDetector()], { onError: 'fail-open' })];
    for (const detector of detectors) {
      for (const value of [null, 'ignore previous instructions', 42, ['x']]) await expectTyped(() => detector.detect(value as never), 'INVALID_INPUT', /\{ text, systemPrompt\?, source\? \}/);
      await expectTyped(() => detector.detect({ text: 'hi', systemPrompt: 42 } as never), 'INVALID_INPUT', /systemPrompt/);
      await expectTyped(() => detector.detect({ text: 'hi', source: 'web' } as never), 'INVALID_INPUT', /'user', 'tool' or 'document'/);
    }
  });

  it('redactStream: the stream, the redactor, the config and the options', async () => {
    const redactor = createPiiRedactor();
    for (const value of [null, 42, 'text', { text: 'x' }]) await expectTyped(() => redactStream(value as never, redactor), 'INVALID_INPUT', /AsyncIterable of text deltas/);
    for (const value of [null, 42, {}, createPiiDetector()]) await expectTyped(() => redactStream(fromArray(['a']), value as never), 'INVALID_CONFIG', /createPiiRedactor/);
    await expectTyped(() => redactStream(fromArray(['a']), redactor, null as never), 'INVALID_CONFIG', /stream redactor config/);
    await expectTyped(() => redactStream(fromArray(['a']), redactor, {}, 42 as never), 'INVALID_CONFIG', /abortSignal/);
    await expectTyped(() => redactStream(fromArray([42 as never]), redactor), 'INVALID_INPUT', /string deltas/);
  });

  it('moderateStream and moderationFindings', async () => {
    const moderator = createLocalModerator();
    for (const value of [null, 42, 'text']) await expectTyped(() => moderateStream(value as never, moderator, { action: 'block' }), 'INVALID_INPUT', /AsyncIterable/);
    for (const value of [null, {}, 42]) await expectTyped(() => moderateStream(fromArray(['a']), value as never, { action: 'block' }), 'INVALID_CONFIG', /moderator/);
    for (const value of [null, {}, { action: 'stop' }]) await expectTyped(() => moderateStream(fromArray(['a']), moderator, value as never), 'INVALID_CONFIG', /action: 'block'/);
    await expectTyped(() => moderateStream(fromArray(['a']), moderator, { action: 'block' }, {}, null as never), 'INVALID_CONFIG', /abortSignal/);
    for (const value of [null, 42, {}]) await expectTyped(() => moderationFindings(value as never, { action: 'block' }), 'INVALID_INPUT', /moderation result/);
  });

  it('PII redactor apply and mergeMatches need arrays of matches; actionFor an entity type; maskValue its mask', async () => {
    const redactor = createPiiRedactor();
    for (const value of [null, 42, { type: 'URL' }]) {
      await expectTyped(() => redactor.apply('hello', value as never), 'INVALID_INPUT', /array/);
      await expectTyped(() => mergeMatches(value as never), 'INVALID_INPUT', /array/);
    }
    for (const value of [null, 42, 'PHONE']) await expectTyped(() => redactor.actionFor(value as never), 'INVALID_INPUT', /EMAIL_ADDRESS/);
    await expectTyped(() => maskValue('1234', null as never, 4), 'INVALID_INPUT', /mask character/);
    await expectTyped(() => maskValue('1234', '*', -1), 'INVALID_INPUT', /whole number/);
  });

  it('factories: configs of the wrong type are INVALID_CONFIG naming what was expected', async () => {
    const factories: [string, (value: unknown) => unknown][] = [
      ['PII detector config', (value) => createPiiDetector(value as never)],
      ['PII redactor config', (value) => createPiiRedactor(value as never)],
      ['heuristic injection detector config', (value) => createHeuristicInjectionDetector(value as never)],
      ['local moderator config', (value) => createLocalModerator(value as never)],
      ['model injection detector config', (value) => createModelInjectionDetector(value as never)],
      ['guardrails middleware config', (value) => createGuardrailsMiddleware(value as never)],
    ];
    for (const [what, create] of factories) for (const value of [null, 42, 'strict', ['x']]) await expectTyped(() => create(value), 'INVALID_CONFIG', new RegExp(what));
    for (const value of [null, 42, []]) await expectTyped(() => combineInjectionDetectors(value as never), 'INVALID_CONFIG', /non-empty list of detectors/);
    for (const value of [null, 42, { moderator: {} }, { injectionDetector: 'heuristic' }]) {
      await expectTyped(() => createGuardrailsMiddleware({}, value as never), 'INVALID_CONFIG', /\{ moderator\?, injectionDetector\? \}/);
    }
  });
});
