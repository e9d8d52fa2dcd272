import { runBatch } from '../run/run-batch';
import { createCascadeAgent, createPricing } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { type FakeOpenAIServer, createFakeOpenAIServer } from '@cascade/core/test';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

let server: FakeOpenAIServer;

beforeAll(async () => {
  server = await createFakeOpenAIServer();
});

afterAll(async () => {
  await server.close();
});

describe('runBatch over HTTP (fake OpenAI-compatible server)', () => {
  it('closes the connection of a timed-out item: the server sees the client hang up', async () => {
    server.reset();
    server.setFaultHandler((request) => {
      const body = request.body as { messages?: { content?: unknown }[] } | undefined;
      return body?.messages?.[0]?.content === 'slow' ? { latencyMs: 30_000 } : undefined;
    });
    const model = createOpenAIChatModel({ modelId: 'gpt-4o-mini', baseURL: server.url, apiKey: 'test' });
    const agent = createCascadeAgent({ models: [model], pricing: createPricing() });
    const report = await runBatch(agent, ['fast', 'slow', 'fast again'], { concurrency: 3, itemTimeoutMs: 300, retries: 0 });
    expect(report.results.map((result) => result.status)).toEqual(['ok', 'timed-out', 'ok']);
    expect(report.results[1]!.error?.code).toBe('TIMEOUT');
    await server.waitFor((stats) => stats.closedByClient >= 1);
    const slow = server.requests.find((request) => (request.body as { messages?: { content?: unknown }[] }).messages?.[0]?.content === 'slow')!;
    expect(slow).toMatchObject({ closedByClient: true, finished: false });
    expect(server.stats.inFlight).toBe(0);
    server.setFaultHandler(undefined);
  });

  it('keeps the number of open requests at the concurrency', async () => {
    server.reset();
    server.setFaultHandler(() => ({ latencyMs: 20 }));
    const model = createOpenAIChatModel({ modelId: 'gpt-4o-mini', baseURL: server.url, apiKey: 'test' });
    const agent = createCascadeAgent({ models: [model], pricing: createPricing() });
    const report = await runBatch(agent, Array.from({ length: 24 }, (_, index) => `q${index}`), { concurrency: 4 });
    expect(report.summary.ok).toBe(24);
    expect(server.stats.maxInFlight).toBe(4);
    server.setFaultHandler(undefined);
  });
});
