import { createLocalModerator, createPiiRedactor, moderateStream, redactStream } from '@cascade/guardrails';

export interface StreamBenchResult {
  addedDelayUsPerChunk: number;
  chunksPerSec: number;
  chunkChars: number;
  chunks: number;
  meanHeldChars: number;
  /** Stream moderation (local moderator; `warn`, so the whole text flows) after PII redaction: added delay per chunk and throughput. */
  moderation: { addedDelayUsPerChunk: number; chunksPerSec: number; moderatorCalls: number };
}

async function* chunksOf(text: string, size: number): AsyncGenerator<string> {
  for (let index = 0; index < text.length; index += size) yield text.slice(index, index + size);
}

/**
 * Streams `text` in `chunkChars`-sized deltas (model-token sized) through the redactor and through
 * a pass-through; the difference per chunk is the added processing delay. `meanHeldChars` is how
 * much text the redactor holds back on average after each chunk (the latency it adds in characters).
 */
export async function runStreamBench(text: string, chunkChars = 16): Promise<StreamBenchResult> {
  const redactor = createPiiRedactor();
  // `warn` keeps the text length unchanged, so released characters measure the hold-back exactly.
  const meanHeldChars = await measureHoldBack(text, chunkChars);
  const chunks = Math.ceil(text.length / chunkChars);
  const passthroughStarted = performance.now();
  for await (const chunk of chunksOf(text, chunkChars)) void chunk;
  const passthroughMs = performance.now() - passthroughStarted;

  const started = performance.now();
  for await (const part of redactStream(chunksOf(text, chunkChars), redactor)) void part;
  const redactMs = performance.now() - started;
  // The same text, redacted and then moderated as it flows (the middleware's order).
  const local = createLocalModerator();
  let moderatorCalls = 0;
  const moderator = {
    name: 'local',
    moderate: (value: string) => {
      moderatorCalls++;
      return local.moderate(value);
    },
  };
  const moderatedStarted = performance.now();
  for await (const part of moderateStream(redactStream(chunksOf(text, chunkChars), redactor), moderator, { action: 'warn' })) void part;
  const moderatedMs = performance.now() - moderatedStarted;
  return {
    moderation: {
      addedDelayUsPerChunk: Math.round(((moderatedMs - redactMs) * 1000) / chunks * 10) / 10,
      chunksPerSec: Math.round(chunks / (moderatedMs / 1000)),
      moderatorCalls,
    },
    addedDelayUsPerChunk: Math.round(((redactMs - passthroughMs) * 1000) / chunks * 10) / 10,
    chunksPerSec: Math.round(chunks / (redactMs / 1000)),
    chunkChars,
    chunks,
    meanHeldChars,
  };
}

async function measureHoldBack(text: string, chunkChars: number): Promise<number> {
  const warner = createPiiRedactor({ action: 'warn' });
  let received = 0;
  let released = 0;
  let heldTotal = 0;
  let samples = 0;
  async function* counted(): AsyncGenerator<string> {
    for await (const chunk of chunksOf(text, chunkChars)) {
      if (received > 0) {
        heldTotal += received - released;
        samples++;
      }
      received += chunk.length;
      yield chunk;
    }
  }
  for await (const part of redactStream(counted(), warner)) if (part.type === 'text') released += part.text.length;
  return Math.round((heldTotal / Math.max(1, samples)) * 10) / 10;
}
