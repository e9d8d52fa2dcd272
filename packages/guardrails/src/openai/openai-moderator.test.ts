import { CascadeError } from '@cascade/core';
import { createFakeOpenAIServer, type FakeOpenAIServer } from '@cascade/core/test';
import OpenAI from 'openai';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createLocalModerator } from '../moderation/local-moderator';
import { withModerationFallback } from '../moderation/with-moderation-fallback';
import { createOpenAIModerator } from './openai-moderator';

let server: FakeOpenAIServer;
let client: OpenAI;

beforeAll(async () => {
  server = await createFakeOpenAIServer({
    apiKey: 'test-key',
    moderation: { rules: [{ keyword: 'kill', categories: ['violence', 'harassment/threatening'], score: 0.93 }] },
  });
  client = new OpenAI({ apiKey: 'test-key', baseURL: server.url, maxRetries: 0 });
});
afterEach(() => server.reset());
afterAll(() => server.close());

describe('createOpenAIModerator against the fake OpenAI server', () => {
  it('maps categories, scores and the flag of /v1/moderations', async () => {
    const moderator = createOpenAIModerator({}, { client });
    const result = await moderator.moderate('I will kill you');
    expect(result.flagged).toBe(true);
    expect(result.categories.violence).toBe(true);
    expect(result.categories['harassment/threatening']).toBe(true);
    expect(result.categories.sexual).toBe(false);
    expect(result.scores.violence).toBeCloseTo(0.93);
    expect(result.provider).toBe('openai:omni-moderation-latest');
    expect(server.requests[0]).toMatchObject({ method: 'POST', path: '/v1/moderations', body: { model: 'omni-moderation-latest', input: 'I will kill you' } });
  });

  it('passes clean text and honours a score threshold', async () => {
    const strict = createOpenAIModerator({ threshold: 0.95 }, { client });
    expect((await strict.moderate('I will kill you')).flagged).toBe(false);
    expect((await createOpenAIModerator({}, { client }).moderate('hello there')).flagged).toBe(false);
  });

  it('turns HTTP errors into retryable MODEL_CALL_FAILED with the status', async () => {
    server.injectFault({ status: 503 });
    await expect(createOpenAIModerator({}, { client }).moderate('x')).rejects.toSatisfy(
      (error: unknown) => CascadeError.isInstance(error) && error.code === 'MODEL_CALL_FAILED' && error.retryable && error.statusCode === 503,
    );
  });

  it('times out with TIMEOUT', async () => {
    server.injectFault({ latencyMs: 2_000 });
    await expect(createOpenAIModerator({ timeoutMs: 50 }, { client }).moderate('x')).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'TIMEOUT');
  });

  it('falls back to the local baseline on provider failure and says so', async () => {
    server.injectFault({ status: 500 });
    const moderator = withModerationFallback(createOpenAIModerator({}, { client }), createLocalModerator());
    const result = await moderator.moderate('I will kill you');
    expect(result.provider).toBe('local');
    expect(result.flagged).toBe(true);
    expect(result.fallback?.from).toBe('openai:omni-moderation-latest');
    expect(result.fallback?.reason).toContain('500');
  });

  it('propagates a caller abort instead of falling back', async () => {
    server.injectFault({ latencyMs: 2_000 });
    const controller = new AbortController();
    const moderator = withModerationFallback(createOpenAIModerator({}, { client }), createLocalModerator());
    const pending = moderator.moderate('x', { abortSignal: controller.signal });
    setTimeout(() => controller.abort(), 20).unref();
    await expect(pending).rejects.toSatisfy((error: unknown) => CascadeError.isInstance(error) && error.code === 'ABORTED');
  });

  it('requires a client, saying what to pass', () => {
    expect(() => createOpenAIModerator({}, {} as never)).toThrow(/new OpenAI/);
  });
});
