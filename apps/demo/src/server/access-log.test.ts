import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';
import type { AccessLogEntry } from './request-log';

let fixture: ServerFixture | undefined;
afterEach(async () => {
  vi.restoreAllMocks();
  await fixture?.close();
  fixture = undefined;
});

const until = async (check: () => boolean, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

describe('access log', () => {
  it('a stream cancelled before its first byte is logged 499 (client closed), not 200', async () => {
    fixture = await startServerFixture();
    // Slow admission: the profile takes 400 ms to load, so the client is gone before anything is written.
    const get = fixture.demo.profiles.get.bind(fixture.demo.profiles);
    let loading!: () => void;
    const admitting = new Promise<void>((resolve) => (loading = resolve));
    vi.spyOn(fixture.demo.profiles, 'get').mockImplementation(async (...args) => {
      loading();
      await new Promise((resolve) => setTimeout(resolve, 400));
      return get(...args);
    });
    const controller = new AbortController();
    const request = fetch(`${fixture.baseURL}/chat/completions`, {
      method: 'POST', signal: controller.signal, headers: { authorization: `Bearer ${fixture.aliceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[0]! }], stream: true }),
    }).catch((error: unknown) => error);
    await admitting; // the server has the request and is admitting it
    controller.abort();
    expect(await request).toMatchObject({ name: 'AbortError' });
    await until(() => fixture!.logs.some((entry) => entry.path === '/v1/chat/completions'));
    expect(fixture.logs.find((entry) => entry.path === '/v1/chat/completions')).toMatchObject({ status: 499, userId: 'alice' });
  });

  it('throttles failed authentication per address (429 with Retry-After, even for a valid key) and samples its log lines', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    fixture = await startServerFixture({ server: { now: () => clock, authThrottle: { burst: 5, perMinute: 6 }, authFailureLog: { linesPerWindow: 3, windowMs: 60_000 } } });
    const models = (key: string) => fetch(`${fixture!.baseURL}/models`, { headers: { authorization: `Bearer ${key}` } });
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let attempt = 0; attempt < 200; attempt++) {
      const response = await models(`csk_wrong-key-${attempt}`);
      statuses.push(response.status);
      if (response.status === 429) retryAfter = response.headers.get('retry-after');
      await response.arrayBuffer();
    }
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((status) => status === 429)).toBe(true);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    const throttled = await models(fixture.aliceKey);
    expect(throttled.status).toBe(429);
    expect(await throttled.json()).toMatchObject({ error: { type: 'rate_limit_error', code: 'too_many_failed_authentications' } });

    // A flood does not flood the log: 3 lines, then one summary line for the rest.
    const authLines = (): AccessLogEntry[] => fixture!.logs.filter((entry) => entry.status === 401 || entry.status === 429 || entry.code === 'auth_failures_not_logged');
    expect(authLines()).toHaveLength(3);
    expect(authLines()[0]).toMatchObject({ status: 401, code: 'invalid_api_key', address: '127.0.0.1', userId: undefined });
    clock += 61_000;
    // The bucket refilled (6 per minute): the address may try again, and the window's summary is written.
    expect((await models(fixture.aliceKey)).status).toBe(200);
    expect((await models('csk_wrong-again')).status).toBe(401);
    const summary = fixture.logs.find((entry) => entry.code === 'auth_failures_not_logged');
    expect(summary).toMatchObject({ count: 198, status: 401 });
    expect(summary!.detail).toContain('most from 127.0.0.1: 198');
    expect(JSON.stringify(fixture.logs)).not.toContain('csk_wrong');
  });
});
