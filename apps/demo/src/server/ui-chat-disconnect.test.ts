import { readFileSync } from 'node:fs';
import { countTokens } from '@cascade/core';
import { afterEach, describe, expect, it } from 'vitest';
import { SAMPLE_TRACE_FILES } from '../data/sample-files';
import { type ServerFixture, startServerFixture } from './__fixtures__/server-fixture';

let fixture: ServerFixture | undefined;
afterEach(async () => {
  await fixture?.close();
  fixture = undefined;
});

const until = async (check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
};

describe('POST /v1/ui/chat when the browser goes away', () => {
  it('cancels the cascade: logged as closed by the client, the call is settled in the tenant\'s usage, and the server keeps serving', async () => {
    // Recorded pacing: the draft takes seconds, so the client leaves while the model is still answering.
    fixture = await startServerFixture({ speedup: 1 });
    type Usage = { requests: number; by_model: Record<string, { output_tokens: number }> };
    const usageOf = async (): Promise<Usage> => (await (await fetch(`${fixture!.baseURL}/usage`, { headers: { authorization: `Bearer ${fixture!.aliceKey}` } })).json()) as Usage;
    const requestsOf = async (): Promise<number> => (await usageOf()).requests;
    const before = await requestsOf();
    const controller = new AbortController();
    const response = await fetch(`${fixture.baseURL}/ui/chat`, {
      method: 'POST', signal: controller.signal, headers: { authorization: `Bearer ${fixture.aliceKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'chat-1', messages: [{ id: 'u1', role: 'user', parts: [{ type: 'text', text: fixture.prompts[0]! }] }], trigger: 'submit-message' }),
    });
    expect(response.status).toBe(200);
    const reader = response.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('"type":"start"');
    controller.abort();
    await until(() => fixture!.logs.some((entry) => entry.path === '/v1/ui/chat'));
    // Headers were sent (200), so the log keeps that status and says who ended it.
    expect(fixture.logs.find((entry) => entry.path === '/v1/ui/chat')).toMatchObject({ status: 200, code: 'client_closed', userId: 'alice' });
    // The cancelled stream still settles what it used: the request shows in the tenant's usage.
    await until(async () => (await requestsOf()) === before + 1);
    // …and only what it used: fewer output tokens than the shortest recorded answer to this prompt.
    const trace = readFileSync(SAMPLE_TRACE_FILES[0]!, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { prompt: string; responses: Record<string, { text: string }> })
      .find((row) => row.prompt === fixture!.prompts[0]);
    const shortest = Math.min(...Object.values(trace!.responses).map((answer) => countTokens(answer.text)));
    const used = Object.values((await usageOf()).by_model).reduce((sum, model) => sum + model.output_tokens, 0);
    expect(used).toBeLessThan(shortest);
    // Nothing is left holding the tenant's slot or the connection: a new request is answered.
    const again = await fetch(`${fixture.baseURL}/models`, { headers: { authorization: `Bearer ${fixture.aliceKey}` } });
    expect(again.status).toBe(200);
  });
});
