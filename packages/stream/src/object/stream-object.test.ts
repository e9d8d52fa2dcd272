import { CascadeError, createCascadeAgent } from '@cascade/core';
import { MockChatModel, type MockResponse, collect } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { pricing, recordingLimiter, validator } from '../__fixtures__/agent-fixtures';
import { streamObject, type ObjectStreamEvent } from './stream-object';

const invoice = z.object({ customer: z.string(), total: z.number(), items: z.array(z.string()) });
type Invoice = z.output<typeof invoice>;
const usage = { inputTokens: 100, outputTokens: 50 };
const GOOD = '{"customer":"Ada","total":42,"items":["tea","cake"]}';
const WRONG_TYPE = '{"customer":"Eve","total":"forty-two","items":["nothing"]}';
const isRepair = (request: { messages: readonly { content: unknown }[] }): boolean => String(request.messages.at(-1)!.content).startsWith('Your answer was rejected');

function setup(cheap: (repair: boolean) => MockResponse, strong: (repair: boolean) => MockResponse = () => ({ text: GOOD, usage })) {
  const cheapModel = new MockChatModel({ modelId: 'cheap', chunkSize: 6, responses: (request) => cheap(isRepair(request)) });
  const strongModel = new MockChatModel({ modelId: 'strong', chunkSize: 6, responses: (request) => strong(isRepair(request)) });
  const limiter = recordingLimiter();
  const agent = createCascadeAgent({ models: [cheapModel, strongModel], validator, pricing, learning: false, policy: { qualityTarget: 0.5 }, middleware: [limiter] });
  return { agent, cheapModel, strongModel, limiter };
}

const partialsOf = (events: readonly ObjectStreamEvent<Invoice>[]) => events.flatMap((event) => (event.type === 'partial-object' ? [event] : []));

describe('streamObject', () => {
  it('yields growing partial objects and the final typed object; sends the schema as response_format', async () => {
    const { agent, cheapModel, limiter } = setup(() => ({ text: GOOD, usage }));
    const stream = streamObject(agent, 'Extract the invoice', { schema: invoice, schemaName: 'invoice' });
    const partials = await collect(stream.partialObjectStream);
    expect(partials.length).toBeGreaterThan(3);
    expect(partials.at(-1)).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });
    // Snapshots only grow within one answer: each is a prefix state of the next.
    expect(partials.some((partial) => partial.customer === 'Ada' && partial.total === undefined)).toBe(true);
    const object: Invoice = await stream.object;
    expect(object).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });
    expect(cheapModel.requests[0]!.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { name: 'invoice', schema: { type: 'object' } } });
    expect(limiter.settled).toHaveLength(1);
  });

  it('buffered (default): a draft that fails the schema is repaired on the same tier; no snapshot of the rejected draft is shown', async () => {
    const { agent, cheapModel, strongModel } = setup((repair) => ({ text: repair ? GOOD : WRONG_TYPE, usage }));
    const stream = streamObject(agent, 'Extract the invoice', { schema: invoice });
    const events = await collect(stream);
    const result = await stream.result;
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.status])).toEqual([['cheap', 'repaired'], ['cheap', 'accepted']]);
    expect(cheapModel.requests).toHaveLength(2);
    expect(String(cheapModel.requests[1]!.messages.at(-1)!.content)).toContain('total');
    expect(strongModel.calls).toHaveLength(0);
    expect(events.find((event) => event.type === 'switch')).toMatchObject({ reason: 'repaired', from: 'cheap', to: 'cheap', discardText: false });
    expect(JSON.stringify(partialsOf(events))).not.toContain('Eve');
    expect(await stream.object).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });
    // The same repair and escalation as agent.generateObject.
    const generated = await agent.generateObject('Extract the invoice', { schema: invoice });
    expect(generated.result.attempts.map((attempt) => [attempt.modelId, attempt.status])).toEqual(result.attempts.map((attempt) => [attempt.modelId, attempt.status]));
  });

  it('buffered: a draft still invalid after its repair escalates; every snapshot comes from the strong tier', async () => {
    const { agent, cheapModel, strongModel } = setup(() => ({ text: WRONG_TYPE, usage }));
    const stream = streamObject(agent, 'Extract the invoice', { schema: invoice });
    const events = await collect(stream);
    const result = await stream.result;
    expect(result.attempts.map((attempt) => [attempt.modelId, attempt.status])).toEqual([['cheap', 'repaired'], ['cheap', 'escalated'], ['strong', 'final']]);
    expect(cheapModel.requests).toHaveLength(2);
    expect(strongModel.requests).toHaveLength(1);
    const partials = partialsOf(events);
    expect(partials.length).toBeGreaterThan(0);
    expect(partials.every((event) => event.modelId === 'strong')).toBe(true);
    expect(events.some((event) => event.type === 'text-delta' && event.modelId === 'cheap')).toBe(false);
    expect(await stream.object).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });
  });

  it('the strongest tier is repaired once too (live in optimistic mode, held in buffered); when the repair fails, object rejects OUTPUT_INVALID', async () => {
    const repaired = setup(() => ({ text: WRONG_TYPE, usage }), (repair) => ({ text: repair ? GOOD : '{"customer":"Bob","total":', usage }));
    const events = await collect(streamObject(repaired.agent, 'Extract', { schema: invoice, mode: 'optimistic' }));
    const finish = events.at(-1);
    if (finish?.type !== 'finish') throw new Error('expected finish');
    expect(finish.result.attempts.map((attempt) => attempt.status)).toEqual(['repaired', 'escalated', 'repaired', 'final']);
    // The strong tier streams live: its broken answer showed, then a switch says to drop it and the repair follows.
    const strongSwitch = events.findLastIndex((event) => event.type === 'switch');
    expect(events[strongSwitch]).toMatchObject({ reason: 'repaired', from: 'strong', to: 'strong', discardText: true });
    expect(partialsOf(events.slice(strongSwitch)).at(-1)?.object).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });

    // Buffered (default): the strongest tier's structured answer is held until its schema check passes,
    // so a client that cannot take text back never gets the broken answer; its repair streams live.
    const held = setup(() => ({ text: WRONG_TYPE, usage }), (repair) => ({ text: repair ? GOOD : '{"customer":"Bob","total":', usage }));
    const buffered = await collect(streamObject(held.agent, 'Extract', { schema: invoice }));
    expect(buffered.filter((event) => event.type === 'switch').at(-1)).toMatchObject({ reason: 'repaired', from: 'strong', discardText: false });
    expect(buffered.map((event) => (event.type === 'text-delta' ? event.text : '')).join('')).toBe(GOOD);
    expect(JSON.stringify(partialsOf(buffered))).not.toContain('Bob');

    const broken = setup(() => ({ text: WRONG_TYPE, usage }), () => ({ text: WRONG_TYPE, usage }));
    const stream = streamObject(broken.agent, 'Extract', { schema: invoice });
    const error = await stream.object.then(() => undefined, (caught: unknown) => caught);
    expect(CascadeError.isInstance(error) && error.code).toBe('OUTPUT_INVALID');
    expect((await stream.result).attempts.map((attempt) => attempt.status)).toEqual(['repaired', 'escalated', 'repaired', 'final']);
  });

  it('optimistic: a rejected draft\'s snapshots are followed by a switch, after which the object starts over', async () => {
    const { agent } = setup(() => ({ text: '{"customer":"unsure","total":1,"items":[]}', usage }));
    const events = await collect(streamObject(agent, 'Extract', { schema: invoice, mode: 'optimistic' }));
    const switchAt = events.findIndex((event) => event.type === 'switch');
    expect(events[switchAt]).toMatchObject({ reason: 'escalated', discardText: true });
    expect(partialsOf(events.slice(0, switchAt)).some((event) => event.modelId === 'cheap')).toBe(true);
    const after = partialsOf(events.slice(switchAt));
    expect(after[0]!.object).not.toHaveProperty('total');
    expect(after.at(-1)!.object).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });
  });

  it('takes a JSON schema too: strict goes to the provider, the object is validated by Ajv', async () => {
    const { agent, cheapModel } = setup(() => ({ text: GOOD, usage }));
    const jsonSchema = { type: 'object', properties: { customer: { type: 'string' }, total: { type: 'number' }, items: { type: 'array', items: { type: 'string' } } }, required: ['customer', 'total', 'items'], additionalProperties: false };
    const stream = streamObject(agent, 'Extract', { schema: jsonSchema, strict: true });
    expect(await stream.object).toEqual({ customer: 'Ada', total: 42, items: ['tea', 'cake'] });
    expect(cheapModel.requests[0]!.responseFormat).toMatchObject({ type: 'json_schema', json_schema: { strict: true, schema: jsonSchema } });
  });

  it('rejects bad options at the call and ends partialObjectStream with the request\'s error', async () => {
    const { agent } = setup(() => ({ text: GOOD, usage }));
    expect(() => streamObject(agent, 'x', { schema: invoice, tools: {} } as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    expect(() => streamObject(agent, 'x', { schema: 'nope' } as never)).toThrow(expect.objectContaining({ code: 'INVALID_CONFIG' }));
    const controller = new AbortController();
    controller.abort();
    const stream = streamObject(agent, 'x', { schema: invoice, abortSignal: controller.signal });
    await expect(collect(stream.partialObjectStream)).rejects.toMatchObject({ code: 'ABORTED' });
    await expect(stream.object).rejects.toMatchObject({ code: 'ABORTED' });
  });
});
