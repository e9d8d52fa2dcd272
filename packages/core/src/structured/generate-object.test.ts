import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CascadeError } from '../errors/cascade-error';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { MockChatModel } from '../test/mock-chat-model';

const person = z.object({ name: z.string(), age: z.number().int().min(0) });

async function errorOf(promise: Promise<unknown>): Promise<CascadeError> {
  const error = await promise.then(() => undefined, (caught: unknown) => caught);
  if (!CascadeError.isInstance(error)) throw new Error(`expected a CascadeError, got ${String(error)}`);
  return error;
}

describe('generateObject', () => {
  it('returns the typed object of a valid draft and sends the JSON schema as response_format', async () => {
    const cheap = new MockChatModel({ modelId: 'gpt-4o-mini', responses: [{ text: '{"name":"Ada","age":36}' }] });
    const agent = createCascadeAgent({ models: [cheap, new MockChatModel({ modelId: 'gpt-4o' })], learning: false, policy: { qualityTarget: 0.5 } });
    const { object, result } = await agent.generateObject('Who wrote the first program?', { schema: person, schemaName: 'person' });
    const typed: { name: string; age: number } = object;
    expect(typed).toEqual({ name: 'Ada', age: 36 });
    expect(result.modelId).toBe('gpt-4o-mini');
    expect(cheap.requests[0]!.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { name: 'person', schema: { type: 'object', required: ['name', 'age'] } } });
  });

  it('repairs a draft that fails the schema once on the same tier, then accepts the repair', async () => {
    const cheap = new MockChatModel({ modelId: 'gpt-4o-mini', responses: [{ text: '{"name":"Ada","age":"thirty-six"}' }, { text: '{"name":"Ada","age":36}' }] });
    const strong = new MockChatModel({ modelId: 'gpt-4o', responses: [{ text: '{"name":"Ada","age":36}' }] });
    const agent = createCascadeAgent({ models: [cheap, strong], learning: false, policy: { qualityTarget: 0.5 } });
    const { object, result } = await agent.generateObject('Who?', { schema: person });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.status])).toEqual([['gpt-4o-mini', 'repaired'], ['gpt-4o-mini', 'accepted']]);
    expect(strong.calls).toHaveLength(0);
    const repairRequest = cheap.requests[1]!;
    expect(repairRequest.messages.at(-2)).toEqual({ role: 'assistant', content: '{"name":"Ada","age":"thirty-six"}' });
    expect(String(repairRequest.messages.at(-1)!.content)).toContain('/age must be integer');
  });

  it('escalates when the repair fails the schema too (one bounded repair per tier)', async () => {
    const cheap = new MockChatModel({ modelId: 'gpt-4o-mini', responses: [{ text: 'Ada, 36' }] });
    const strong = new MockChatModel({ modelId: 'gpt-4o', responses: [{ text: '```json\n{"name":"Ada","age":36}\n```' }] });
    const agent = createCascadeAgent({ models: [cheap, strong], learning: false, policy: { qualityTarget: 0.5 } });
    const { object, result } = await agent.generateObject('Who?', { schema: person });
    expect(object).toEqual({ name: 'Ada', age: 36 });
    expect(result.attempts.map((attempt) => attempt.status)).toEqual(['repaired', 'escalated', 'final']);
    expect(cheap.calls).toHaveLength(2);
  });

  it('throws OUTPUT_INVALID when even the strongest tier does not fit, after its own repair; accepts a JSON schema', async () => {
    const strong = new MockChatModel({ modelId: 'gpt-4o', responses: [{ text: '{"name":"Ada"}' }] });
    const agent = createCascadeAgent({ models: [strong], learning: false });
    const error = await errorOf(agent.generateObject('Who?', { schema: { type: 'object', properties: { name: { type: 'string' }, age: { type: 'number' } }, required: ['name', 'age'] } }));
    expect(error.code).toBe('OUTPUT_INVALID');
    expect(error.message).toContain("must have required property 'age'");
    expect(strong.calls).toHaveLength(2);
  });
});
