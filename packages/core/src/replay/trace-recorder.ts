import { createHash } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import { lastUserText } from '../model/chat-message';
import type { CallOptions, ChatModel } from '../model/chat-model';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult, FinishReason } from '../model/chat-result';
import type { StreamPart } from '../model/stream-part';
import type { TokenUsage } from '../model/token-usage';
import type { Trace } from './trace-schema';

/** Where recorded trace lines go. Called once per answer with one JSON line (no newline). */
export type TraceSink = (line: string) => void | Promise<void>;

export interface TraceRecorderOptions {
  sink: TraceSink;
  /** Dataset name written on each line. @default 'recorded' */
  dataset?: string;
  /** Clock for latency. @default performance.now */
  now?: () => number;
}

/** Wraps models so every answer they give is written as a trace line that replay can serve. */
export interface TraceRecorder {
  wrap(model: ChatModel): ChatModel;
  /** Resolves when every line handed to the sink so far is written. */
  flush(): Promise<void>;
  /** Lines recorded so far. */
  readonly recorded: number;
}

/** A sink appending lines to a file, in order. */
export function fileTraceSink(path: string): TraceSink {
  let chain: Promise<void> = Promise.resolve();
  return (line) => {
    chain = chain.then(() => appendFile(path, `${line}\n`, 'utf8'));
    return chain;
  };
}

/**
 * Records live traffic as traces (one line per answer; lines of the same prompt share an id, so
 * `parseTraces` merges the answers of every model). Failed and aborted calls are not recorded.
 *
 * @example
 * const recorder = createTraceRecorder({ sink: fileTraceSink('live.traces.jsonl') });
 * const agent = createCascadeAgent({ models: [recorder.wrap(cheap), recorder.wrap(strong)] });
 */
export function createTraceRecorder(options: TraceRecorderOptions): TraceRecorder {
  const now = options.now ?? (() => performance.now());
  const dataset = options.dataset ?? 'recorded';
  let pending: Promise<unknown> = Promise.resolve();
  let recorded = 0;

  const write = (model: ChatModel, request: ChatRequest, text: string, usage: TokenUsage | undefined, finishReason: FinishReason, latencyMs: number): void => {
    const prompt = lastUserText(request.messages);
    const system = request.messages.find((message) => message.role === 'system');
    const trace: Trace = {
      id: `rec-${createHash('sha256').update(prompt).digest('hex').slice(0, 16)}`,
      dataset,
      prompt,
      ...(system && typeof system.content === 'string' ? { system: system.content } : {}),
      responses: {
        [model.modelId]: {
          text,
          finishReason,
          latencyMs: Math.round(latencyMs),
          ...(usage ? { inputTokens: usage.inputTokens, outputTokens: usage.outputTokens } : {}),
        },
      },
    };
    recorded++;
    // A failing sink must not fail the user's request; the error surfaces on flush().
    const written = Promise.resolve().then(() => options.sink(JSON.stringify(trace)));
    pending = Promise.all([pending, written]);
  };

  return {
    get recorded() {
      return recorded;
    },
    flush: async () => {
      await pending;
    },
    wrap(model) {
      return {
        specificationVersion: 'v1',
        provider: model.provider,
        modelId: model.modelId,
        // Optional capabilities travel with the model, or sampling through the recorder loses them.
        ...(model.supportsChoiceCount !== undefined ? { supportsChoiceCount: model.supportsChoiceCount } : {}),
        async doGenerate(request: ChatRequest, callOptions?: CallOptions): Promise<ChatResult> {
          const started = now();
          const result = await model.doGenerate(request, callOptions);
          write(model, request, result.text, result.usage, result.finishReason, now() - started);
          return result;
        },
        async *doStream(request: ChatRequest, callOptions?: CallOptions): AsyncIterable<StreamPart> {
          const started = now();
          let text = '';
          let usage: TokenUsage | undefined;
          for await (const part of model.doStream(request, callOptions)) {
            if (part.type === 'text-delta') text += part.text;
            else if (part.type === 'usage') usage = part.usage;
            else if (part.type === 'finish') {
              usage = part.usage ?? usage;
              write(model, request, text, usage, part.finishReason, now() - started);
            }
            yield part;
          }
        },
      };
    },
  };
}
