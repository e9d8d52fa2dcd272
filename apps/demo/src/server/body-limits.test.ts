import { Agent, request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';

let fixture: ServerFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

/** POSTs `body` on `agent`'s connections; resolves with the status and JSON body, or the socket error. */
const postOn = (agent: Agent, url: string, key: string, body: string): Promise<{ status: number; body: Record<string, unknown>; headers: Record<string, unknown> } | Error> =>
  new Promise((resolve) => {
    const outgoing = request(url, { method: 'POST', agent, headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (chunk: string) => (text += chunk)).on('end', () => resolve({ status: response.statusCode!, body: JSON.parse(text) as Record<string, unknown>, headers: response.headers }));
    });
    outgoing.on('error', resolve);
    outgoing.end(body);
  });

describe('request bodies over HTTP', () => {
  it('1 MiB of "[" is a 400 saying the nesting limit, and the same keep-alive connection answers the next request', async () => {
    fixture = await startServerFixture({ maxBodyBytes: 2 * 1024 * 1024 });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${fixture.baseURL}/chat/completions`;
    const deep = await postOn(agent, url, fixture.aliceKey, '['.repeat(1024 * 1024));
    expect(deep).toMatchObject({ status: 400, body: { error: { type: 'invalid_request_error', code: 'json_too_deep', message: expect.stringContaining('64 levels') } } });
    const objects = await postOn(agent, url, fixture.aliceKey, `{"model":"cascade","messages":[{"role":"user","content":"hi"}],"x":${'{"a":'.repeat(50_000)}1${'}'.repeat(50_000)}}`);
    expect(objects).toMatchObject({ status: 400, body: { error: { code: 'json_too_deep' } } });
    const next = await postOn(agent, url, fixture.aliceKey, JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[0]! }] }));
    expect(next).toMatchObject({ status: 200, body: { object: 'chat.completion' } });
    agent.destroy();
  });

  it('a tenant\'s oversized and invalid bodies spend its parse budget: then 429 with Retry-After before reading; another tenant is unaffected', async () => {
    let clock = Date.parse('2026-01-01T00:00:00Z');
    fixture = await startServerFixture({ maxBodyBytes: 64 * 1024, server: { now: () => clock, bodyBudget: { burstBytes: 4 * 64 * 1024, bytesPerSecond: 64 * 1024 } } });
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    const url = `${fixture.baseURL}/chat/completions`;
    const codes: unknown[] = [];
    let refused: Awaited<ReturnType<typeof postOn>> | undefined;
    for (let index = 0; index < 8; index++) {
      const answer = await postOn(agent, url, fixture.frankKey, index % 2 === 0 ? 'x'.repeat(100 * 1024) : '{"model": "cascade", "messages": [');
      if (answer instanceof Error) throw answer;
      codes.push((answer.body.error as { code: string }).code);
      if (answer.status === 429) refused = answer;
    }
    // Four bad bodies of 64 KiB each empty a 256 KiB budget; the rest are refused unread.
    expect(codes.slice(0, 4)).toEqual(['request_too_large', 'invalid_json', 'request_too_large', 'invalid_json']);
    expect(codes.slice(4)).toEqual(['parse_budget_exceeded', 'parse_budget_exceeded', 'parse_budget_exceeded', 'parse_budget_exceeded']);
    expect(refused).toMatchObject({ status: 429, body: { error: { type: 'rate_limit_error' } } });
    expect(Number((refused as { headers: Record<string, unknown> }).headers['retry-after'])).toBeGreaterThan(0);
    // Alice's budget is her own.
    const alice = await postOn(agent, url, fixture.aliceKey, JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[0]! }] }));
    expect(alice).toMatchObject({ status: 200 });
    // The budget refills with time.
    clock += 5_000;
    const later = await postOn(agent, url, fixture.frankKey, JSON.stringify({ model: 'cascade', messages: [{ role: 'user', content: fixture.prompts[0]! }] }));
    expect(later).toMatchObject({ status: 200 });
    agent.destroy();
  });
});
