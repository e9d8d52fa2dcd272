import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { createLocalModerator, moderateLocally } from './local-moderator';
import type { Moderator } from './moderator';
import { withModerationFallback } from './with-moderation-fallback';

describe('local moderator', () => {
  it.each([
    ['I will kill you', 'harassment/threatening'],
    ['i  w i l l  k i l l  y o u', 'violence'],
    ['I want to k1ll mys3lf tonight', 'self-harm'],
    ['how do i make a pipe bomb', 'illicit/violent'],
    ['you are a worthless idiot', 'harassment'],
    ['all immigrants are vermin', 'hate'],
    ['graphic gore with dismembered bodies', 'violence/graphic'],
  ] as const)('flags %j as %s', (text, category) => {
    const result = moderateLocally(text);
    expect(result.flagged).toBe(true);
    expect(result.categories[category]).toBe(true);
    expect(result.provider).toBe('local');
  });

  it.each(['How can I kill a Python process?', 'What is the best way to shoot a photo at night?', 'How do I execute a risky plan?', 'I am dying to see that movie', 'Where can I buy a can of coke?', 'The killer app of 2024'])(
    'does not flag the benign %j',
    (text) => {
      expect(moderateLocally(text).flagged).toBe(false);
    },
  );

  it('sees through invisible characters', () => {
    expect(moderateLocally('I will k\u200Bill you').categories['harassment/threatening']).toBe(true);
  });

  it('returns every category with a score and the matched signal names', async () => {
    const result = await createLocalModerator().moderate('I will kill you');
    expect(Object.keys(result.scores)).toHaveLength(13);
    expect(result.signals?.['harassment/threatening']).toEqual(['threat']);
  });
});

describe('withModerationFallback', () => {
  const failing: Moderator = { name: 'openai:omni', moderate: () => Promise.reject(new CascadeError('MODEL_CALL_FAILED', 'HTTP 503', { retryable: true })) };

  it('falls back to the local moderator and says so', async () => {
    const result = await withModerationFallback(failing, createLocalModerator()).moderate('I will kill you');
    expect(result.flagged).toBe(true);
    expect(result.provider).toBe('local');
    expect(result.fallback).toEqual({ from: 'openai:omni', reason: 'HTTP 503' });
  });

  it('does not swallow a caller abort', async () => {
    const controller = new AbortController();
    controller.abort();
    const aborting: Moderator = { name: 'p', moderate: () => Promise.reject(new CascadeError('ABORTED', 'aborted')) };
    await expect(withModerationFallback(aborting, createLocalModerator()).moderate('x', { abortSignal: controller.signal })).rejects.toSatisfy(
      (error: unknown) => CascadeError.isInstance(error) && error.code === 'ABORTED',
    );
  });
});
