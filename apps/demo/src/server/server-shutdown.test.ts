import OpenAI from 'openai';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';

let fixture: ServerFixture | undefined;

/** Resolves once the server is admitting a request (it loads the tenant's profile). */
function admitting(server: ServerFixture): Promise<void> {
  const get = server.demo.profiles.get.bind(server.demo.profiles);
  return new Promise((resolve) => {
    vi.spyOn(server.demo.profiles, 'get').mockImplementation((...args) => {
      resolve();
      return get(...args);
    });
  });
}
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture?.close();
  fixture = undefined;
});

describe('demo server shutdown', () => {
  it('a request cut by shutdown gets 503 with Retry-After (not a 499 client error), and the openai client retries it', async () => {
    // Paced replay: a draft takes seconds, so the request is still running when the grace period ends.
    fixture = await startServerFixture({ speedup: 1 });
    const statuses: number[] = [];
    let calls = 0;
    const client = new OpenAI({
      apiKey: fixture.aliceKey, baseURL: fixture.baseURL, maxRetries: 1,
      fetch: async (url, init) => {
        calls++;
        const response = await fetch(url, init);
        statuses.push(response.status);
        return response;
      },
    });
    const inFlight = admitting(fixture);
    const pending = client.chat.completions.create({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[0]! }] }).catch((error: unknown) => error);
    await inFlight;
    await fixture.server.close(50);
    const error = await pending;
    expect(statuses[0]).toBe(503);
    // The SDK retried after Retry-After; the retry finds the server gone.
    expect(calls).toBe(2);
    expect(error).toBeInstanceOf(OpenAI.APIConnectionError);
    const entry = fixture.logs.find((logged) => logged.path === '/v1/chat/completions');
    expect(entry).toMatchObject({ status: 503, code: 'server_shutting_down', userId: 'alice' });
    expect(entry!.detail).toMatch(/^ABORTED: /);
  }, 20_000);

  it('a request that finishes within the grace period is answered, and told to close its connection', async () => {
    fixture = await startServerFixture({ speedup: 20 });
    const inFlight = admitting(fixture);
    const pending = fetch(`${fixture.baseURL}/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${fixture.aliceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[2]! }] }),
    });
    await inFlight;
    const closed = fixture.server.close(10_000);
    const response = await pending;
    expect(response.status).toBe(200);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toMatchObject({ object: 'chat.completion' });
    await closed;
  }, 20_000);

  it('the 503 says so in OpenAI\'s shape, with Retry-After', async () => {
    fixture = await startServerFixture({ speedup: 1 });
    const inFlight = admitting(fixture);
    const pending = fetch(`${fixture.baseURL}/chat/completions`, {
      method: 'POST', headers: { authorization: `Bearer ${fixture.aliceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[1]! }] }),
    });
    await inFlight;
    await fixture.server.close(50);
    const response = await pending;
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('1');
    expect(await response.json()).toEqual({ error: { type: 'server_error', code: 'server_shutting_down', message: 'The server is restarting; retry the request.', param: null } });
  }, 20_000);
});
