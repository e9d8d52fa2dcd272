import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { CascadeError } from '../errors/cascade-error';
import { createPricing } from '../pricing/pricing';
import { MockChatModel } from '../test/mock-chat-model';
import { collect, streamText } from '../test/stream-helpers';
import { parseTraces, readTraceFile, readTraceModels } from './read-traces';
import { createReplayModel, createReplayModels, modelsByCost, replayPrices } from './replay-model';
import { createTraceRecorder, fileTraceSink } from './trace-recorder';

const line = (id: string, prompt: string, responses: Record<string, unknown>) => JSON.stringify({ id, dataset: 't', prompt, responses });
const TRACES = [
  line('q1', 'What is 2+2?', { cheap: { text: 'It is 4.', correct: true }, strong: { text: '2+2 = 4', correct: true, inputTokens: 12, outputTokens: 5 } }),
  line('q2', 'Name a prime  number.', { cheap: { text: 'Nine.', correct: false }, strong: { text: 'Seven.', score: 0.9 } }),
].join('\n');

describe('parseTraces', () => {
  it('parses and validates every line', () => {
    const traces = parseTraces(TRACES);
    expect(traces).toHaveLength(2);
    expect(traces[0]!.responses.strong).toMatchObject({ outputTokens: 5 });
  });

  it('names the line and the field of a bad line', () => {
    const bad = `${TRACES}\n${JSON.stringify({ id: 'q3', prompt: 'x', responses: { m: { text: 1 } } })}`;
    expect(() => parseTraces(bad, 'my.jsonl')).toThrow(/my\.jsonl:3: not a valid trace[\s\S]*text/);
    expect(() => parseTraces('{"id": "x",', 'f.jsonl')).toThrow(/f\.jsonl:1: not valid JSON/);
    try {
      parseTraces('nope', 'f');
    } catch (error) {
      expect(CascadeError.isInstance(error) && error.code).toBe('INVALID_INPUT');
    }
  });

  it('merges lines of the same id (recorder output)', () => {
    const traces = parseTraces([line('a', 'p', { m1: { text: 'x' } }), line('a', 'p', { m2: { text: 'y' } })].join('\n'));
    expect(Object.keys(traces[0]!.responses)).toEqual(['m1', 'm2']);
  });
});

describe('createReplayModel', () => {
  const traces = parseTraces(TRACES);

  it('answers a recorded prompt with the recorded text and token counts', async () => {
    const strong = createReplayModel(traces, 'strong', { pacing: false });
    const result = await strong.doGenerate({ messages: [{ role: 'user', content: 'What is 2+2?' }] });
    expect(result).toMatchObject({ text: '2+2 = 4', usage: { inputTokens: 12, outputTokens: 5 }, finishReason: 'stop' });
  });

  it('counts tokens with the tokenizer when the trace has none, and matches whitespace-insensitively', async () => {
    const cheap = createReplayModel(traces, 'cheap', { pacing: false });
    const result = await cheap.doGenerate({ messages: [{ role: 'user', content: 'Name a prime number. ' }] });
    expect(result.text).toBe('Nine.');
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(result.usage.inputTokens).toBeGreaterThan(3);
  });

  it('refuses an unknown prompt instead of inventing an answer', async () => {
    const cheap = createReplayModel(traces, 'cheap', { pacing: false, source: 'demo' });
    await expect(cheap.doGenerate({ messages: [{ role: 'user', content: 'Something else' }] })).rejects.toMatchObject({ code: 'REPLAY_MISS' });
    expect(() => createReplayModel(traces, 'ghost')).toThrow(/no answer of model "ghost"/);
  });

  it('streams the same text in chunks with usage and one finish', async () => {
    const strong = createReplayModel(traces, 'strong', { pacing: false });
    const parts = await collect(strong.doStream({ messages: [{ role: 'user', content: 'What is 2+2?' }] }));
    expect(streamText(parts)).toBe('2+2 = 4');
    expect(parts.filter((p) => p.type === 'text-delta').length).toBeGreaterThan(1);
    expect(parts.at(-1)).toMatchObject({ type: 'finish', usage: { outputTokens: 5 } });
  });

  it('paces answers realistically and can be aborted mid-wait', async () => {
    vi.useFakeTimers();
    try {
      const strong = createReplayModel(traces, 'strong', { pacing: { firstTokenMs: 200, tokensPerSecond: 50 } });
      let done = false;
      const pending = strong.doGenerate({ messages: [{ role: 'user', content: 'What is 2+2?' }] }).then(() => (done = true));
      await vi.advanceTimersByTimeAsync(250);
      expect(done).toBe(false); // 200 ms + 5 tokens at 50/s = 300 ms
      await vi.advanceTimersByTimeAsync(60);
      await pending;
      expect(done).toBe(true);
      const controller = new AbortController();
      const aborted = strong.doGenerate({ messages: [{ role: 'user', content: 'What is 2+2?' }] }, { abortSignal: controller.signal });
      controller.abort();
      await expect(aborted).rejects.toMatchObject({ code: 'ABORTED' });
      expect(vi.getTimerCount()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });

  it('drives the real engine', async () => {
    const [cheap, strong] = createReplayModels(traces, ['cheap', 'strong'], { pacing: false });
    const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, strong: { inputUsdPerMTok: 10, outputUsdPerMTok: 10 } } });
    const validator = { name: 'x', validate: ({ draft }: { draft: { text: string } }) => ({ score: draft.text === 'Nine.' ? 0 : 1, passed: draft.text !== 'Nine.', signals: [], reason: '' }) };
    const agent = createCascadeAgent({ models: [cheap!, strong!], pricing, validator, learning: false });
    expect((await agent.run('What is 2+2?')).modelId).toBe('cheap');
    expect((await agent.run('Name a prime number.')).text).toBe('Seven.');
  });
});

const dataDir = process.env.CASCADE_DATA_DIR ?? join(import.meta.dirname, '../../../../../shared/data');
const gsm8k = join(dataDir, 'traces/gsm8k-routellm.traces.jsonl');

describe.skipIf(!existsSync(gsm8k))('the shared GSM8K traces', () => {
  it('parse completely with their models file', async () => {
    const traces = await readTraceFile(gsm8k);
    const models = await readTraceModels(gsm8k);
    expect(traces.length).toBe(1319);
    expect(modelsByCost(models)).toEqual(['mixtral-8x7b-instruct-v0.1', 'gpt-4-1106-preview']);
    expect(replayPrices(models)['gpt-4-1106-preview']).toEqual({ inputUsdPerMTok: 10, outputUsdPerMTok: 30 });
  });
});

describe('createTraceRecorder', () => {
  it('records live answers (generate and stream) as traces that replay serves back', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'cascade-rec-'));
    try {
      const path = join(dir, 'live.traces.jsonl');
      const recorder = createTraceRecorder({ sink: fileTraceSink(path) });
      const cheap = recorder.wrap(new MockChatModel({ modelId: 'cheap', responses: [{ text: 'four', usage: { inputTokens: 9, outputTokens: 1 } }] }));
      const strong = recorder.wrap(new MockChatModel({ modelId: 'strong', responses: [{ text: 'it is four' }] }));
      const request = { messages: [{ role: 'system' as const, content: 'be brief' }, { role: 'user' as const, content: 'What is 2+2?' }] };
      await cheap.doGenerate(request);
      await collect(strong.doStream(request));
      await recorder.flush();
      expect(recorder.recorded).toBe(2);
      const traces = parseTraces(await readFile(path, 'utf8'));
      expect(traces).toHaveLength(1);
      expect(traces[0]!.system).toBe('be brief');
      const replayed = createReplayModel(traces, 'strong', { pacing: false });
      expect((await replayed.doGenerate(request)).text).toBe('it is four');
      expect((await createReplayModel(traces, 'cheap', { pacing: false }).doGenerate(request)).usage).toMatchObject({ inputTokens: 9, outputTokens: 1 });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
