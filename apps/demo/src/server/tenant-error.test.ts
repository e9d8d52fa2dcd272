import { CascadeError, type CascadeErrorCode, HTTP_STATUS_BY_CODE } from '@cascade/core';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { type FakeRedis, startDyingRedis } from './__fixtures__/fake-redis';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';
import { maskDetail, toTenantError } from './tenant-error';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});
const start = async (options: Parameters<typeof startServerFixture>[0] = {}): Promise<ServerFixture> => {
  const fixture = await startServerFixture(options);
  cleanups.push(fixture.close);
  return fixture;
};
const post = (fixture: ServerFixture, key: string, body: unknown): Promise<Response> =>
  fetch(`${fixture.baseURL}/chat/completions`, { method: 'POST', headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
const ask = (fixture: ServerFixture, key: string, content: string, extra: Record<string, unknown> = {}): Promise<Response> =>
  post(fixture, key, { model: 'cascade', messages: [{ role: 'user', content }], ...extra });

describe('tenant error bodies: the code and a message for the tenant; the detail in the log only', () => {
  it('Redis gone while serving: 503 "rate limiting is temporarily unavailable" with Retry-After; the Redis client\'s message only in the log', async () => {
    const redis: FakeRedis = await startDyingRedis();
    cleanups.push(redis.close);
    const fixture = await start({ redisUrl: redis.url, limitsPrefix: 'test' });
    for (const stream of [false, true]) {
      const response = await ask(fixture, fixture.aliceKey, fixture.prompts[0]!, { stream });
      expect(response.status).toBe(503);
      expect(Number(response.headers.get('retry-after'))).toBeGreaterThan(0);
      const body = (await response.json()) as { error: Record<string, unknown> };
      expect(body.error).toMatchObject({ type: 'server_error', code: 'STORE_FAILED', message: 'Rate limiting is temporarily unavailable; retry shortly.' });
      expect(JSON.stringify(body)).not.toMatch(/retries|redis|connection|closed|limits could not/i);
    }
    const logged = fixture.logs.filter((entry) => entry.status === 503);
    expect(logged).toHaveLength(2);
    expect(logged[0]).toMatchObject({ userId: 'alice', code: 'STORE_FAILED' });
    expect(logged[0]!.detail).toMatch(/^RATE_LIMITED: Limits could not be checked \(.+\)/);
  }, 30_000);

  it('a corrupted profile row: the tenant gets a plain 500, the log gets the store\'s message, never the key or the prompt', async () => {
    const fixture = await start();
    const database = new Database(fixture.databaseFile);
    database.prepare('UPDATE cascade_profiles SET data = ? WHERE user_id = ?').run('{"tier": "pro", "truncat', 'frank');
    database.close();
    fixture.demo.profiles.invalidate('frank');
    const prompt = 'My private question about the merger plans of ACME, keep it secret.';
    const response = await ask(fixture, fixture.frankKey, prompt);
    expect(response.status).toBeGreaterThanOrEqual(500);
    const body = (await response.json()) as { error: { message: string } };
    expect(body.error.message).toBe('The server could not process the request. Try again later.');
    const entry = fixture.logs.at(-1)!;
    expect(entry).toMatchObject({ userId: 'frank', status: response.status });
    expect(entry.detail).toMatch(/stored profile of user "frank"/i);
    const logged = JSON.stringify(fixture.logs);
    expect(logged).not.toContain(fixture.frankKey);
    expect(logged).not.toContain('merger');
  });

  it('an unknown model: 404 listing only the models the tenant\'s tier may use; a model of another tier: 403 without the policy internals', async () => {
    const fixture = await start();
    const strong = fixture.modelIds.at(-1)!;
    const unknown = await post(fixture, fixture.frankKey, { model: 'gpt-99', messages: [{ role: 'user', content: 'hi' }] });
    expect(unknown.status).toBe(404);
    const unknownBody = (await unknown.json()) as { error: { message: string; code: string; param: string } };
    expect(unknownBody.error).toMatchObject({ code: 'model_not_found', param: 'model' });
    expect(unknownBody.error.message).toContain(fixture.modelIds[0]!);
    expect(unknownBody.error.message).toContain('cascade');
    expect(unknownBody.error.message).not.toContain(strong);
    // The pro tenant is offered the strong model.
    const proUnknown = (await (await post(fixture, fixture.aliceKey, { model: 'gpt-99', messages: [{ role: 'user', content: 'hi' }] })).json()) as { error: { message: string } };
    expect(proUnknown.error.message).toContain(strong);

    const forbidden = await post(fixture, fixture.frankKey, { model: strong, messages: [{ role: 'user', content: fixture.prompts[0]! }] });
    expect(forbidden.status).toBe(403);
    const forbiddenBody = (await forbidden.json()) as { error: { message: string; type: string } };
    expect(forbiddenBody.error.type).toBe('permission_error');
    expect(forbiddenBody.error.message).not.toMatch(/Allowed:|blocked:|Configure|policy allows/);
    expect(forbiddenBody.error.message.split(strong)).toHaveLength(2); // named once: the model asked for, not as an option
  });

  it('the engine\'s operator message for a model the tier may not use does not reach the tenant', () => {
    const engine = new CascadeError('MODEL_NOT_ALLOWED', 'The policy allows none of the configured models (a, b). Allowed: ; blocked: none. Configure a model the tier may use.', {
      details: { configured: ['a', 'b'], allowedModels: [], blockedModels: undefined },
    });
    const answer = toTenantError(engine);
    expect(answer.status).toBe(403);
    expect(answer.body.error.message).not.toMatch(/Allowed|blocked|Configure|configured/);
    expect(answer.detail).toContain('Allowed: ; blocked: none');
  });

  it('a rate limit tells the tenant its limit and when to retry, not the operator\'s key names', () => {
    const limited = new CascadeError('RATE_LIMITED', 'The user "frank" is over its limit of 10 requests per hour. Retry in 42 s.', {
      retryAfterMs: 41_500, details: { middleware: 'limits', reason: 'limit-exceeded', key: 'user:frank', dimension: 'requests', window: 'per hour', limit: 10, remaining: 0 },
    });
    const answer = toTenantError(limited);
    expect(answer).toMatchObject({ status: 429, headers: { 'retry-after': '42' }, body: { error: { code: 'RATE_LIMITED', type: 'rate_limit_error', message: 'Rate limit reached: 10 requests per hour. Retry in 42 s.', retry_after_ms: 41_500 } } });
  });

  const codes = Object.keys(HTTP_STATUS_BY_CODE) as CascadeErrorCode[];
  it.each(codes)('%s: the body is built from the code, never from the operator\'s message; the log gets it, with secrets masked', (code) => {
    const error = new CascadeError(code, 'OPERATOR ONLY: redis://admin:hunter2@10.0.0.7:6379 failed for key csk_live_abcdefghijklmnop; prompt was "tell me the launch codes please"', {
      cause: new Error('Reached the max retries per request limit (which is 1). Refer to "maxRetriesPerRequest" option for details.'),
    });
    const answer = toTenantError(error, { secrets: ['tell me the launch codes please'] });
    expect(answer.body.error.code).toBe(code);
    expect(JSON.stringify(answer.body)).not.toMatch(/OPERATOR|hunter2|csk_|launch|max retries/);
    expect(answer.status).toBeGreaterThanOrEqual(400);
    expect(answer.detail).toContain('OPERATOR ONLY');
    expect(answer.detail).toContain('Reached the max retries');
    expect(answer.detail).not.toMatch(/hunter2|csk_live|launch codes/);
  });

  it('masks keys, URL passwords and the prompt in a detail, and bounds its length', () => {
    expect(maskDetail('Bearer csk_abcdefghijkl sk-proj-0123456789 postgres://u:p4ss@db/x', [])).toBe('Bearer [key] [key] postgres://***@db/x');
    expect(maskDetail('quoted: "a long prompt text here"', ['a long prompt text here'])).toBe('quoted: "[prompt]"');
    expect(maskDetail('x'.repeat(10_000)).length).toBeLessThanOrEqual(1_001);
  });
});
