import { CascadeError, MODERATION_CATEGORIES, type GuardedStreamPart } from '@cascade/core';
import { collect, fromArray } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import type { ModerationCategory } from '../moderation/moderation-category';
import type { ModerationResult, Moderator } from '../moderation/moderator';
import { withModerationFallback } from '../moderation/with-moderation-fallback';
import { createPiiRedactor } from '../pii/pii-redactor';
import { moderateStream, type StreamModerationSettings, type StreamModeratorConfig } from './stream-moderator';
import { redactStream } from './stream-redactor';

/** Flags `violence` for "KILLWORD" and `hate` for "HATEWORD"; records every text it sees. */
function scriptedModerator(): Moderator & { seen: string[] } {
  const seen: string[] = [];
  return {
    name: 'scripted',
    seen,
    moderate(text) {
      seen.push(text);
      const flagged = new Set<ModerationCategory>();
      if (text.includes('KILLWORD')) flagged.add('violence');
      if (text.includes('HATEWORD')) flagged.add('hate');
      return Promise.resolve(resultOf(flagged));
    },
  };
}

function resultOf(flagged: ReadonlySet<ModerationCategory>, provider = 'scripted'): ModerationResult {
  const categories = Object.fromEntries(MODERATION_CATEGORIES.map((category) => [category, flagged.has(category)])) as ModerationResult['categories'];
  const scores = Object.fromEntries(MODERATION_CATEGORIES.map((category) => [category, flagged.has(category) ? 0.9 : 0.01])) as ModerationResult['scores'];
  return { flagged: flagged.size > 0, categories, scores, provider };
}

const BLOCK: StreamModerationSettings = { action: 'block' };
const WARN: StreamModerationSettings = { action: 'warn' };

function textOf(parts: readonly GuardedStreamPart[]): string {
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

function moderated(chunks: readonly string[], settings = BLOCK, config: StreamModeratorConfig = {}, moderator: Moderator = scriptedModerator()): Promise<GuardedStreamPart[]> {
  return collect(moderateStream(fromArray(chunks), moderator, settings, config));
}

const CLEAN = 'The weather is mild today. Rivers run north here!\nA list item\nThe end';
const FLAGGED = 'First sentence is fine. Then KILLWORD appears here. Never shown after.';

describe('moderateStream', () => {
  it('passes a clean stream through unchanged, at any chunking', async () => {
    for (let cut = 1; cut < CLEAN.length; cut++) {
      const parts = await moderated([CLEAN.slice(0, cut), CLEAN.slice(cut)]);
      expect(parts.every((part) => part.type === 'text'), `cut at ${cut}`).toBe(true);
      expect(textOf(parts)).toBe(CLEAN);
    }
    expect(textOf(await moderated([...CLEAN]))).toBe(CLEAN);
  });

  it('releases a checked sentence before the stream ends', async () => {
    let pulled = 0;
    let firstTextAt = -1;
    async function* deltas(): AsyncGenerator<string> {
      for (const chunk of ['Hello there. ', 'More words ', 'without an end', ' yet.']) {
        pulled++;
        yield chunk;
      }
    }
    for await (const part of moderateStream(deltas(), scriptedModerator(), BLOCK)) {
      if (part.type === 'text' && firstTextAt < 0) {
        firstTextAt = pulled;
        expect(part.text).toBe('Hello there. ');
      }
    }
    expect(firstTextAt).toBe(1);
  });

  it('stops with a typed part on block, split at every boundary, and never yields the flagged sentence', async () => {
    for (let cut = 1; cut < FLAGGED.length; cut++) {
      const parts = await moderated([FLAGGED.slice(0, cut), FLAGGED.slice(cut)]);
      const last = parts.at(-1)!;
      expect(last, `cut at ${cut}`).toMatchObject({ type: 'guardrail', action: 'stopped', reason: expect.stringContaining('violence') });
      expect(last.type === 'guardrail' && last.findings[0]).toMatchObject({ guard: 'moderation', type: 'violence', action: 'block', score: 0.9, detail: 'scripted' });
      expect(parts.filter((part) => part.type === 'guardrail')).toHaveLength(1);
      // One check per delta, at its last sentence end: a clean sentence that arrives in the same delta
      // as the flagged one is withheld with it.
      const aloneInFirst = cut >= 'First sentence is fine. '.length && cut < FLAGGED.indexOf('here. ') + 'here. '.length;
      expect(textOf(parts), `cut at ${cut}`).toBe(aloneInFirst ? 'First sentence is fine. ' : '');
    }
    const oneByOne = await moderated([...FLAGGED]);
    expect(textOf(oneByOne)).toBe('First sentence is fine. ');
    expect(oneByOne.at(-1)).toMatchObject({ action: 'stopped' });
  });

  it('stops without pulling more of the source', async () => {
    let pulled = 0;
    let finished = false;
    async function* deltas(): AsyncGenerator<string> {
      try {
        for (const chunk of ['Fine. ', 'KILLWORD now. ', 'later ', 'more. ']) {
          pulled++;
          yield chunk;
        }
      } finally {
        finished = true;
      }
    }
    const parts = await collect(moderateStream(deltas(), scriptedModerator(), BLOCK));
    expect(parts.at(-1)).toMatchObject({ action: 'stopped' });
    expect(pulled).toBe(2);
    expect(finished).toBe(true);
  });

  it('warns once per newly flagged category and keeps all text', async () => {
    const text = 'One KILLWORD here. Two KILLWORD again. Then HATEWORD. KILLWORD and HATEWORD end';
    const parts = await moderated(text.match(/.{1,5}/gs)!, WARN);
    expect(textOf(parts)).toBe(text);
    const events = parts.filter((part) => part.type === 'guardrail');
    expect(events.map((event) => event.type === 'guardrail' && [event.action, event.findings.map((finding) => finding.type)])).toEqual([
      ['warned', ['violence']],
      ['warned', ['hate']],
    ]);
    expect(events[0]!.type === 'guardrail' && events[0]!.findings[0]!.action).toBe('warn');
  });

  it('checks the final tail that has no sentence end', async () => {
    const parts = await moderated(['All good. ', 'and then KILL', 'WORD at the very end']);
    expect(textOf(parts)).toBe('All good. ');
    expect(parts.at(-1)).toMatchObject({ type: 'guardrail', action: 'stopped' });
    expect(textOf(await moderated(['All good. ', 'and a clean tail']))).toBe('All good. and a clean tail');
  });

  it('honours categories and threshold like the whole-answer guard', async () => {
    expect(textOf(await moderated([FLAGGED], { action: 'block', categories: ['hate'] }))).toBe(FLAGGED);
    expect(textOf(await moderated([FLAGGED], { action: 'block', threshold: 0.95 }))).toBe(FLAGGED);
    expect((await moderated([FLAGGED], { action: 'block', threshold: 0.5 })).at(-1)).toMatchObject({ action: 'stopped' });
  });

  it('keeps each check bounded and the total moderated text linear in the answer length', async () => {
    const moderator = scriptedModerator();
    const sentence = 'This is a plain sentence without any issue at all. ';
    const words = 'word '.repeat(2000);
    const text = sentence.repeat(200) + words;
    const parts = await moderated(text.match(/.{1,7}/gs)!, BLOCK, { moderationHoldChars: 300, moderationContextChars: 100 }, moderator);
    expect(textOf(parts)).toBe(text);
    expect(Math.max(...moderator.seen.map((seen) => seen.length))).toBeLessThanOrEqual(400);
    expect(moderator.seen.reduce((sum, seen) => sum + seen.length, 0)).toBeLessThan(text.length * 4);
  });

  it('never holds more than moderationHoldChars of unchecked text', async () => {
    const text = 'x'.repeat(1000);
    let pulled = 0;
    let released = 0;
    async function* deltas(): AsyncGenerator<string> {
      for (const char of text) {
        pulled++;
        yield char;
      }
    }
    for await (const part of moderateStream(deltas(), scriptedModerator(), BLOCK, { moderationHoldChars: 50 })) {
      if (part.type === 'text') released += part.text.length;
      expect(pulled - released).toBeLessThanOrEqual(50);
    }
    expect(released).toBe(1000);
  });

  it('catches a flag inside a long sentence held past the hold limit via the context window', async () => {
    const text = `${'calm words '.repeat(30)}KILLWORD ${'more words '.repeat(30)}`;
    const parts = await moderated(text.match(/.{1,3}/gs)!, BLOCK, { moderationHoldChars: 64 });
    expect(parts.at(-1)).toMatchObject({ action: 'stopped' });
    expect(textOf(parts)).not.toContain('KILLWORD');
    expect(text.startsWith(textOf(parts))).toBe(true);
  });

  it('with moderationHoldChars 0 streams at once and stops after the fact', async () => {
    const parts = await moderated(['Fine. KILL', 'WORD here. ', 'never'], BLOCK, { moderationHoldChars: 0 });
    expect(parts.slice(0, 2)).toEqual([{ type: 'text', text: 'Fine. KILL' }, { type: 'text', text: 'WORD here. ' }]);
    expect(parts.at(-1)).toMatchObject({ action: 'stopped' });
    expect(textOf(parts)).not.toContain('never');
  });

  it('moderates PII-redacted text: the moderator never sees the entity, and a PII stop still ends the stream', async () => {
    const moderator = scriptedModerator();
    const chunks = ['Mail ada@exa', 'mple.com now. ', 'That is all for the address part. ', 'Then KILL', 'WORD. Bye.', ' More.'];
    const parts = await collect(moderateStream(redactStream(fromArray(chunks), createPiiRedactor()), moderator, BLOCK));
    expect(textOf(parts)).toMatch(/^Mail \[EMAIL_ADDRESS\] now\. (?:That is all for the address part\. )?$/);
    expect(parts.map((part) => part.type === 'guardrail' && part.action).filter(Boolean)).toEqual(['redacted', 'stopped']);
    expect(moderator.seen.join('')).not.toContain('ada@');

    const blocking = createPiiRedactor({ actions: { CREDIT_CARD: 'block' } });
    const piiStopped = await collect(moderateStream(redactStream(fromArray(['Pay. With 4111 1111 ', '1111 1111 then']), blocking), scriptedModerator(), BLOCK));
    expect(textOf(piiStopped)).toBe('Pay. With ');
    expect(piiStopped.at(-1)).toMatchObject({ action: 'stopped', reason: expect.stringContaining('CREDIT_CARD') });
  });

  it('fails closed with a typed error when the moderator throws, releasing nothing unchecked', async () => {
    const broken: Moderator = { name: 'broken', moderate: () => Promise.reject(new Error('HTTP 503')) };
    const seen: GuardedStreamPart[] = [];
    const run = async (): Promise<void> => {
      for await (const part of moderateStream(fromArray(['Held text. ']), broken, BLOCK)) seen.push(part);
    };
    await expect(run()).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'MODEL_CALL_FAILED' && error.message.includes('broken') && error.message.includes('HTTP 503'));
    expect(seen).toEqual([]);
    const throwsSync: Moderator = {
      name: 'sync',
      moderate: () => {
        throw new Error('boom');
      },
    };
    await expect(moderated(['x. '], BLOCK, {}, throwsSync)).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'MODEL_CALL_FAILED');
  });

  it('degrades through withModerationFallback and says so in the findings', async () => {
    const broken: Moderator = { name: 'broken', moderate: () => Promise.reject(new Error('HTTP 503')) };
    const parts = await moderated(['OK. ', 'KILLWORD. ', 'after'], BLOCK, {}, withModerationFallback(broken, scriptedModerator()));
    expect(textOf(parts)).toBe('OK. ');
    const last = parts.at(-1)!;
    expect(last.type === 'guardrail' && last.findings[0]!.detail).toMatch(/fallback from broken: .*HTTP 503/);
  });

  it('stops on abort with ABORTED, also while a moderator call hangs, leaving no listener behind', async () => {
    const controller = new AbortController();
    const stream = moderateStream(
      (async function* () {
        yield 'one. ';
        controller.abort();
        yield 'two. ';
      })(),
      scriptedModerator(),
      BLOCK,
      {},
      { abortSignal: controller.signal },
    );
    await expect(collect(stream)).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'ABORTED');

    const hanging = new AbortController();
    let listeners = 0;
    const signal = hanging.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      listeners++;
      add(...args);
    }) as AbortSignal['addEventListener'];
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      listeners--;
      remove(...args);
    }) as AbortSignal['removeEventListener'];
    const never: Moderator = { name: 'never', moderate: () => new Promise(() => {}) };
    const pending = collect(moderateStream(fromArray(['Waits forever. ']), never, BLOCK, {}, { abortSignal: signal }));
    setImmediate(() => hanging.abort());
    await expect(pending).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'ABORTED');
    expect(listeners).toBe(0);
  });

  it('rejects a config out of range with INVALID_CONFIG', async () => {
    await expect(moderated(['x'], BLOCK, { moderationHoldChars: -1 })).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'INVALID_CONFIG');
  });
});
