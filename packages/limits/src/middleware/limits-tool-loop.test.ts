import { createCascadeAgent, tool, type AgentPolicy } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { createMemoryStore } from '../memory/memory-store';
import { createLimitsMiddleware } from './limits-middleware';

const NOW = Date.parse('2025-06-01T12:00:00Z');
const principal = { userId: 'tool-user' };

/** Calls get_weather until it has `calls` tool results, then answers. */
function loopingModel(calls: number): MockChatModel {
  return new MockChatModel({
    modelId: 'gpt-4o',
    responses: (request) => (request.messages.filter((message) => message.role === 'tool').length >= calls ? { text: 'Done.' } : { toolCalls: [{ name: 'get_weather', arguments: '{"city":"Paris"}' }] }),
  });
}

function agentFor(model: MockChatModel, policy: AgentPolicy) {
  const middleware = createLimitsMiddleware({}, { store: createMemoryStore(), now: () => NOW });
  return createCascadeAgent({ models: [model], learning: false, policy, middleware: [middleware] });
}

const weather = (execute: () => unknown = () => 'sunny') => ({ get_weather: tool({ parameters: z.object({ city: z.string() }), execute }) });

describe('limits in a tool loop (reserve and settle per model call)', () => {
  it('counts one request per step and frees each step\'s concurrency slot before the next', async () => {
    const agent = agentFor(loopingModel(2), { limits: { user: { rate: { requestsPerMinute: 3, maxConcurrent: 1 } } } });
    // maxConcurrent 1: step 2 is only admitted if step 1's reservation was settled.
    const result = await agent.run('Weather?', { principal, tools: weather(), maxSteps: 5 });
    expect(result.steps).toHaveLength(3);
    expect(result.text).toBe('Done.');
    // Three steps used the three requests of the minute: the next request is denied.
    await expect(agent.run('Again?', { principal })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('denies the step that goes over the limit: the loop stops with RATE_LIMITED, earlier steps stay counted', async () => {
    const executed: string[] = [];
    const agent = agentFor(loopingModel(3), { limits: { user: { rate: { requestsPerMinute: 2 } } } });
    await expect(agent.run('Weather?', { principal, tools: weather(() => (executed.push('ran'), 'sunny')), maxSteps: 5 })).rejects.toMatchObject({ code: 'RATE_LIMITED' });
    expect(executed).toEqual(['ran', 'ran']);
  });

  it('an abort during a tool leaves no reservation behind: the concurrency slot is free again', async () => {
    const agent = agentFor(loopingModel(1), { limits: { user: { rate: { maxConcurrent: 1 } } } });
    const controller = new AbortController();
    const hanging = weather(() => {
      setTimeout(() => controller.abort(), 0);
      return new Promise<string>(() => undefined);
    });
    await expect(agent.run('Weather?', { principal, abortSignal: controller.signal, tools: hanging })).rejects.toMatchObject({ code: 'ABORTED' });
    const next = await agent.run('Weather?', { principal, tools: weather(), maxSteps: 3 });
    expect(next.steps).toHaveLength(2);
  });
});
