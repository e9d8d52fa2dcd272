import { EventEmitter } from 'node:events';
import type { ServerResponse } from 'node:http';
import { CascadeError, createCascadeAgent } from '@cascade/core';
import { MockChatModel, type MockResponse, mockProviderError } from '@cascade/core/test';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pricing, recordingLimiter, validator } from '../__fixtures__/agent-fixtures';
import type { CascadeStream } from '../cascade/cascade-stream';
import { streamCascade } from '../cascade/stream-cascade';
import type { CascadeStreamEvent } from '../events/stream-event';
import type { StreamCascadeOptions } from '../options/stream-options';
import { SSE_HEARTBEAT } from './heartbeat';
import type { SseResponseOptions } from './sse-response-options';
import { toSseResponse } from './to-sse-response';
import { writeSseToNodeResponse } from './write-sse-to-node-response';

const usage = { inputTokens: 12, outputTokens: 7 };

/** A `ServerResponse` stand-in that records every write with the (fake) time it happened at. */
class RecordingResponse extends EventEmitter {
  readonly writes: { at: number; text: string }[] = [];
  readonly afterEnd: string[] = [];
  status: number | undefined;
  headersSent = false;
  writableEnded = false;
  writableFinished = false;
  writableNeedDrain = false;
  destroyed = false;
  private readonly started = Date.now();
  writeHead(status: number): this {
    this.status = status;
    this.headersSent = true;
    return this;
  }
  flushHeaders(): void {}
  write(chunk: string): boolean {
    if (this.writableEnded || this.destroyed) this.afterEnd.push(chunk);
    else this.writes.push({ at: Date.now() - this.started, text: chunk });
    return true;
  }
  end(chunk?: string): this {
    if (chunk !== undefined) this.write(chunk);
    this.writableEnded = true;
    this.writableFinished = true;
    this.emit('finish');
    this.emit('close');
    return this;
  }
  /** The client goes away mid-response. */
  disconnect(): void {
    this.destroyed = true;
    this.emit('close');
  }
  get pings(): number[] {
    return this.writes.filter((write) => write.text === SSE_HEARTBEAT).map((write) => write.at);
  }
  get text(): string {
    return this.writes.map((write) => write.text).join('');
  }
  asResponse(): ServerResponse {
    return this as unknown as ServerResponse;
  }
}

function cascade(cheap: MockResponse, strong: MockResponse, options: StreamCascadeOptions = {}): { stream: CascadeStream; cheap: MockChatModel; strong: MockChatModel; limiter: ReturnType<typeof recordingLimiter> } {
  const cheapModel = new MockChatModel({ modelId: 'cheap', responses: [cheap] });
  const strongModel = new MockChatModel({ modelId: 'strong', responses: [strong] });
  const limiter = recordingLimiter();
  const agent = createCascadeAgent({ models: [cheapModel, strongModel], validator, pricing, policy: { retry: { maxAttempts: 1 } }, middleware: [limiter] });
  return { stream: streamCascade(agent, 'hi', { mode: 'buffered', ...options }), cheap: cheapModel, strong: strongModel, limiter };
}

/** A slow buffered escalation: a rejected draft after 40 s, then the strong answer after 25 s more. */
const slowEscalation = (): ReturnType<typeof cascade> =>
  cascade({ chunks: ['I am ', 'unsure.'], latencyMs: 40_000, usage }, { chunks: ['Strong ', 'answer.'], latencyMs: 25_000, usage });

const openai: SseResponseOptions = { format: 'openai', heartbeatMs: 15_000, openai: { model: 'cascade' } };

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('writeSseToNodeResponse heartbeat (fake timers)', () => {
  it('pings every heartbeatMs while a buffered escalation writes nothing, then never again', async () => {
    const { stream } = slowEscalation();
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), openai);
    await vi.advanceTimersByTimeAsync(70_000);
    await done;
    expect(response.status).toBe(200);
    // Nothing is written for 65 s: a ping at 15, 30, 45 and 60 s.
    expect(response.pings).toEqual([15_000, 30_000, 45_000, 60_000]);
    const firstData = response.writes.findIndex((write) => write.text.startsWith('data: '));
    expect(response.writes.slice(0, firstData).every((write) => write.text === SSE_HEARTBEAT)).toBe(true);
    expect(response.text.endsWith('data: [DONE]\n\n')).toBe(true);
    expect(response.writableEnded).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(response.afterEnd).toEqual([]);
    expect(response.text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('pings only when idle: writes more often than heartbeatMs keep it silent', async () => {
    const { stream } = cascade({ chunks: ['a ', 'b ', 'c ', 'd ', 'e.'], chunkDelayMs: 10_000, usage }, { text: 'unused' }, { mode: 'optimistic' });
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), { format: 'events', heartbeatMs: 15_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    await done;
    expect(response.pings).toEqual([]);
    expect(response.text).toContain('event: finish');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('heartbeatMs 0 disables it', async () => {
    const { stream } = slowEscalation();
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), { ...openai, heartbeatMs: 0 });
    await vi.advanceTimersByTimeAsync(70_000);
    await done;
    expect(response.pings).toEqual([]);
    expect(response.text).toContain('Strong ');
  });

  it('clears the timer when the client disconnects: the model call is cancelled and nothing more is written', async () => {
    const { stream, cheap, limiter } = slowEscalation();
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), openai);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(response.pings).toEqual([15_000]);
    response.disconnect();
    await vi.advanceTimersByTimeAsync(0);
    await done;
    await stream.usage;
    expect(cheap.calls[0]!.aborted).toBe(true);
    expect(limiter.settled).toEqual([expect.objectContaining({ outcome: 'aborted' })]);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(response.afterEnd).toEqual([]);
    expect(response.pings).toEqual([15_000]);
  });

  it('clears the timer when the caller aborts: the error chunk ends the response, no ping after it', async () => {
    const controller = new AbortController();
    const { stream } = cascade({ chunks: ['x'], latencyMs: 60_000, usage }, { text: 'unused' }, { abortSignal: controller.signal });
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), openai);
    await vi.advanceTimersByTimeAsync(31_000);
    controller.abort();
    await vi.advanceTimersByTimeAsync(0);
    await done;
    expect(response.pings).toEqual([15_000, 30_000]);
    expect(response.writes.at(-1)!.text).toMatch(/^data: \{"error":\{.*"code":"ABORTED"/);
    expect(response.writableEnded).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(response.afterEnd).toEqual([]);
  });

  it('clears the timer when every model fails after the stream started', async () => {
    const { stream } = cascade({ error: mockProviderError(500), latencyMs: 20_000 }, { error: mockProviderError(503), latencyMs: 20_000 });
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), openai);
    await vi.advanceTimersByTimeAsync(45_000);
    await done;
    expect(response.pings).toEqual([15_000, 30_000]);
    expect(response.writes.at(-1)!.text).toMatch(/"code":"ALL_MODELS_FAILED"/);
    expect(vi.getTimerCount()).toBe(0);
    await vi.advanceTimersByTimeAsync(120_000);
    expect(response.afterEnd).toEqual([]);
  });

  it('clears the timer when the stream itself throws', async () => {
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(throwingStream(20_000), response.asResponse(), { format: 'events', heartbeatMs: 15_000 });
    const failed = expect(done).rejects.toThrow('encoder broke');
    await vi.advanceTimersByTimeAsync(25_000);
    await failed;
    expect(response.pings).toEqual([15_000]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends retry: first with format events and retryMs; refuses retryMs with format openai', async () => {
    const { stream } = cascade({ chunks: ['Fine.'], usage }, { text: 'unused' });
    const response = new RecordingResponse();
    const done = writeSseToNodeResponse(stream, response.asResponse(), { format: 'events', retryMs: 3000, view: 'trusted' });
    await vi.advanceTimersByTimeAsync(1000);
    await done;
    expect(response.writes[0]!.text).toBe('retry: 3000\n\n');
    expect(response.writes[1]!.text).toMatch(/^id: 0\nevent: attempt-start\n/);
    await expect(writeSseToNodeResponse(slowEscalation().stream, new RecordingResponse().asResponse(), { format: 'openai', retryMs: 3000 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
    await expect(writeSseToNodeResponse(slowEscalation().stream, new RecordingResponse().asResponse(), { heartbeatMs: -1 })).rejects.toMatchObject({ code: 'INVALID_CONFIG' });
  });
});

/** A stream that starts, then throws out of its iterator (a broken encoder or store) after `afterMs`. */
function throwingStream(afterMs: number): CascadeStream {
  const start: CascadeStreamEvent = { type: 'attempt-start', modelId: 'cheap', provider: 'mock', tier: 0, attempt: 1 };
  return {
    async *[Symbol.asyncIterator]() {
      yield start;
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      throw new Error('encoder broke');
    },
    cancel: () => undefined,
  } as unknown as CascadeStream;
}

describe('toSseResponse heartbeat (fake timers)', () => {
  it('enqueues pings while the buffered draft is held, none after the body closed', async () => {
    const { stream } = slowEscalation();
    const response = await toSseResponse(stream, openai);
    const reader = response.body!.getReader();
    const decoder = new TextDecoder();
    const parts: { at: number; text: string }[] = [];
    const started = Date.now();
    const reading = (async () => {
      for (let next = await reader.read(); next.done !== true; next = await reader.read()) parts.push({ at: Date.now() - started, text: decoder.decode(next.value) });
    })();
    await vi.advanceTimersByTimeAsync(70_000);
    await reading;
    expect(parts.filter((part) => part.text === SSE_HEARTBEAT).map((part) => part.at)).toEqual([15_000, 30_000, 45_000, 60_000]);
    expect(parts.at(-1)!.text).toBe('data: [DONE]\n\n');
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer when the body is cancelled', async () => {
    const { stream, cheap } = slowEscalation();
    const response = await toSseResponse(stream, openai);
    const reader = response.body!.getReader();
    const first = reader.read();
    await vi.advanceTimersByTimeAsync(16_000);
    expect(new TextDecoder().decode((await first).value)).toBe(SSE_HEARTBEAT);
    await reader.cancel();
    await vi.advanceTimersByTimeAsync(0);
    await stream.usage;
    expect(cheap.calls[0]!.aborted).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer when the caller aborts (error chunk, then close)', async () => {
    const controller = new AbortController();
    const { stream } = cascade({ chunks: ['x'], latencyMs: 60_000, usage }, { text: 'unused' }, { abortSignal: controller.signal });
    const response = await toSseResponse(stream, openai);
    const text = response.text();
    await vi.advanceTimersByTimeAsync(20_000);
    controller.abort(new CascadeError('ABORTED', 'stop'));
    await vi.advanceTimersByTimeAsync(0);
    const body = await text;
    expect(body.startsWith(SSE_HEARTBEAT)).toBe(true);
    expect(body.endsWith('"code":"ABORTED","param":null}}\n\n')).toBe(true);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('clears the timer when the stream throws (the body errors)', async () => {
    const response = await toSseResponse(throwingStream(20_000), { heartbeatMs: 15_000 });
    const failed = expect(response.text()).rejects.toThrow('encoder broke');
    await vi.advanceTimersByTimeAsync(25_000);
    await failed;
    expect(vi.getTimerCount()).toBe(0);
  });

  it('sends retry: first with format events and retryMs', async () => {
    const { stream } = cascade({ chunks: ['Fine.'], usage }, { text: 'unused' });
    const response = await toSseResponse(stream, { retryMs: 5000, view: 'trusted' });
    const text = response.text();
    await vi.advanceTimersByTimeAsync(1000);
    expect((await text).startsWith('retry: 5000\n\nid: 0\nevent: attempt-start\n')).toBe(true);
  });
});
