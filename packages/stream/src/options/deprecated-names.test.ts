import { CascadeError, createCascadeAgent, parseConfig } from '@cascade/core';
import { MockChatModel, collect } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { pricing, validator } from '../__fixtures__/agent-fixtures';
import { streamCascade } from '../cascade/stream-cascade';
import { streamCascadeOptionsSchema } from './stream-options';

// Issue 14.11: `mode` named both the stream mode and the pipeline mode; the stream option is now
// `streamMode` (as in the policy), and `mode` keeps working for one minor version.
describe('deprecated streamCascade option mode', () => {
  it('maps to streamMode', () => {
    const parsed = parseConfig(streamCascadeOptionsSchema, { mode: 'optimistic' }, 'streamCascade options');
    expect(parsed.streamMode).toBe('optimistic');
    expect('mode' in parsed).toBe(false);
  });

  it('streams like streamMode does: an optimistic draft reaches text-delta before the switch', async () => {
    const usage = { inputTokens: 10, outputTokens: 5 };
    const agent = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'cheap', responses: [{ text: 'I am unsure.', usage }] }), new MockChatModel({ modelId: 'strong', responses: [{ text: '391.', usage }] })],
      validator, pricing, learning: false,
    });
    const modelsOfText = async (options: Parameters<typeof streamCascade>[2]): Promise<string[]> =>
      (await collect(streamCascade(agent, 'What is 17 * 23?', options))).flatMap((event) => (event.type === 'text-delta' ? [event.modelId] : []));
    const viaAlias = await modelsOfText({ mode: 'optimistic' });
    expect(viaAlias).toContain('cheap');
    expect(viaAlias).toEqual(await modelsOfText({ streamMode: 'optimistic' }));
  });

  it('next to a different streamMode is refused', () => {
    let caught: unknown;
    try {
      streamCascade(createCascadeAgent({ models: [new MockChatModel({ modelId: 'cheap' })], pricing }), 'q', { streamMode: 'buffered', mode: 'optimistic' });
    } catch (error) {
      caught = error;
    }
    expect(CascadeError.isInstance(caught) && caught.code).toBe('INVALID_CONFIG');
    expect((caught as Error).message).toMatch(/mode is the deprecated name of streamMode/);
  });
});
