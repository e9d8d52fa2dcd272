import { CascadeError, type CascadeResult, type TokenUsage } from '@cascade/core';
import type { CascadeStreamEvent } from '../events/stream-event';
import { type TextStreamResponseOptions, toTextStreamResponse } from '../http/to-text-stream-response';
import { type UIMessageStreamResponseOptions, toUIMessageStreamResponse } from '../http/to-ui-message-stream-response';
import type { StreamMode } from '../options/stream-options';
import type { StreamOutcomeSink } from './drive-stream';

/**
 * A cascade answer being streamed. Iterate it for typed events, or `textStream` for text only; await
 * `result`, `usage` or `cost`. Nothing runs until one of them is used. Every reader sees every event
 * from the start, so the views can be combined. A reader's `break` (or `cancel()`) cancels the request:
 * the model call in flight, down to its HTTP request, and settles what was consumed.
 *
 * - `result` resolves with the same {@link CascadeResult} as `agent.run`, or rejects with a `CascadeError`.
 * - `usage` and `cost` always resolve, with what was consumed, whatever ended the request (even an abort).
 */
export interface CascadeStream extends AsyncIterable<CascadeStreamEvent> {
  /**
   * The text of every `text-delta` event, in order; throws the `CascadeError` of a failed request at the end.
   * In optimistic and early-escalation modes it may include a draft that was later rejected (see the
   * `switch` events); use `streamMode: 'buffered'` when only the final answer may be shown.
   */
  readonly textStream: AsyncIterable<string>;
  /** The result, as `agent.run` returns it; rejects with a typed `CascadeError`. */
  readonly result: Promise<CascadeResult>;
  /** Usage of every model call made, measured from the providers' stream usage (estimated for cancelled calls). Never rejects. */
  readonly usage: Promise<TokenUsage>;
  /** Cost in USD of every model call made. Never rejects. */
  readonly cost: Promise<number>;
  /** The accepted answer's text (`result.text`, never a rejected draft); rejects like `result`. AI SDK's `text`. */
  readonly text: Promise<string>;
  /** Cancels the request (like the caller's `abortSignal`). Safe to call at any time, more than once. */
  cancel(reason?: unknown): void;
  /**
   * For consumers that cannot take text back (plain text, AI SDK UI): runs the request in `buffered`
   * mode, so only accepted text is sent. Throws `INVALID_CONFIG` when the call asked for `optimistic` or
   * `early-escalation`, or when the stream was already read without an explicit `streamMode: 'buffered'`.
   */
  requireAcceptedText(what: string): void;
  /** {@link toTextStreamResponse} of this stream: the accepted text as `text/plain` (AI SDK's `toTextStreamResponse`). */
  toTextStreamResponse(options?: TextStreamResponseOptions): Promise<Response>;
  /** {@link toUIMessageStreamResponse} of this stream: the AI SDK UI message stream, for `useChat`. */
  toUIMessageStreamResponse(options?: UIMessageStreamResponseOptions): Promise<Response>;
}

/** What {@link CascadeStreamHub} calls with every event it logs (the stream's callbacks). */
export type EventObserver = (event: CascadeStreamEvent) => void;

interface Deferred<T> {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
}

function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((onResolve, onReject) => {
    resolve = onResolve;
    reject = onReject;
  });
  // A rejection nobody awaits must not crash the process: mark it handled; awaiting it still throws.
  promise.catch(noop);
  return { promise, resolve, reject };
}

function noop(): void {}

const DONE: IteratorReturnResult<undefined> = Object.freeze({ done: true, value: undefined });

/**
 * The broadcast behind a {@link CascadeStream}: one producer (the cascade driver) started in the
 * background once anything is read and emitting into an event log, and any number of readers with their own cursor.
 * The log is bounded by the answer (a few events per model chunk) and lives as long as the stream.
 */
export class CascadeStreamHub implements CascadeStream, StreamOutcomeSink {
  private readonly events: CascadeStreamEvent[] = [];
  private readonly resultDeferred = deferred<CascadeResult>();
  private readonly usageDeferred = deferred<TokenUsage>();
  private readonly costDeferred = deferred<number>();
  private started = false;
  private done = false;
  private wake: (() => void) | undefined;
  private changed: Promise<void> | undefined;
  /** Set by {@link requireAcceptedText} before the stream starts: the driver runs in this mode. */
  private forcedMode: StreamMode | undefined;

  constructor(
    private readonly produce: (sink: StreamOutcomeSink, emit: (event: CascadeStreamEvent) => void, forcedMode: StreamMode | undefined) => Promise<void>,
    private readonly controller: AbortController,
    private readonly onDone: () => void,
    /** The `mode` the call asked for, if any. */
    private readonly requestedMode: StreamMode | undefined = undefined,
    private readonly observe: EventObserver | undefined = undefined,
  ) {}

  get text(): Promise<string> {
    const text = this.result.then((result) => result.text);
    text.catch(noop); // rejects like `result`; unawaited, it must not crash the process
    return text;
  }

  requireAcceptedText(what: string): void {
    if (this.requestedMode === 'optimistic' || this.requestedMode === 'early-escalation') {
      throw new CascadeError('INVALID_CONFIG', `${what} cannot take back a rejected draft, and this stream was created with streamMode: '${this.requestedMode}'. Create it with streamMode: 'buffered' (the default).`);
    }
    if (this.requestedMode === 'buffered') return;
    if (this.started) {
      throw new CascadeError('INVALID_CONFIG', `${what} must be called before the stream is read (or create the stream with streamMode: 'buffered'): it runs the request in buffered mode so only accepted text is sent.`);
    }
    this.forcedMode = 'buffered';
  }

  toTextStreamResponse(options?: TextStreamResponseOptions): Promise<Response> {
    return toTextStreamResponse(this, options);
  }

  toUIMessageStreamResponse(options?: UIMessageStreamResponseOptions): Promise<Response> {
    return toUIMessageStreamResponse(this, options);
  }

  get result(): Promise<CascadeResult> {
    this.start();
    return this.resultDeferred.promise;
  }

  get usage(): Promise<TokenUsage> {
    this.start();
    return this.usageDeferred.promise;
  }

  get cost(): Promise<number> {
    this.start();
    return this.costDeferred.promise;
  }

  get textStream(): AsyncIterable<string> {
    return { [Symbol.asyncIterator]: () => this.textIterator() };
  }

  cancel(reason?: unknown): void {
    if (this.done || this.controller.signal.aborted) return;
    this.controller.abort(reason ?? new CascadeError('ABORTED', 'The stream was cancelled by its reader (break, return or cancel()).'));
    this.start();
  }

  succeed(result: CascadeResult): void {
    this.usageDeferred.resolve(result.usage);
    this.costDeferred.resolve(result.costUsd);
    this.resultDeferred.resolve(result);
  }

  fail(error: CascadeError, usage: TokenUsage, costUsd: number): void {
    this.usageDeferred.resolve(usage);
    this.costDeferred.resolve(costUsd);
    this.resultDeferred.reject(error);
  }

  [Symbol.asyncIterator](): AsyncIterator<CascadeStreamEvent> {
    this.start();
    let cursor = 0;
    let finished = false;
    const next = (): Promise<IteratorResult<CascadeStreamEvent>> => {
      // No async function: an event already logged is returned without an extra await.
      if (cursor < this.events.length) return Promise.resolve({ done: false, value: this.events[cursor++]! });
      if (this.done || finished) {
        finished = true;
        return Promise.resolve(DONE);
      }
      return this.waitForChange().then(next);
    };
    return {
      next,
      return: (): Promise<IteratorResult<CascadeStreamEvent>> => {
        // A reader leaving before the last event cancels the request.
        const last = cursor > 0 ? this.events[cursor - 1] : undefined;
        if (!finished && last?.type !== 'finish' && last?.type !== 'error') this.cancel();
        finished = true;
        return Promise.resolve(DONE);
      },
    };
  }

  private textIterator(): AsyncIterator<string> {
    const events = this[Symbol.asyncIterator]();
    return {
      next: async (): Promise<IteratorResult<string>> => {
        while (true) {
          const step = await events.next();
          if (step.done === true) return DONE;
          const event = step.value;
          if (event.type === 'text-delta') return { done: false, value: event.text };
          if (event.type === 'error') throw event.error;
        }
      },
      return: async (): Promise<IteratorResult<string>> => {
        await events.return?.();
        return DONE;
      },
    };
  }

  private start(): void {
    if (this.started) return;
    this.started = true;
    void this.pump();
  }

  private async pump(): Promise<void> {
    try {
      await this.produce(this, this.emit, this.forcedMode);
    } catch (error) {
      // The driver reports failures as events; this is a bug in a hook or the driver itself.
      const typed = CascadeError.isInstance(error) ? error : new CascadeError('STORE_FAILED', `The stream failed unexpectedly: ${String(error)}`, { cause: error });
      this.fail(typed, { inputTokens: 0, outputTokens: 0, source: 'estimated' }, 0);
      this.emit({ type: 'error', error: typed });
    } finally {
      this.done = true;
      this.onDone();
      this.notify();
    }
  }

  private readonly emit = (event: CascadeStreamEvent): void => {
    this.events.push(event);
    this.observe?.(event);
    this.notify();
  };

  private waitForChange(): Promise<void> {
    this.changed ??= new Promise<void>((resolve) => {
      this.wake = resolve;
    });
    return this.changed;
  }

  private notify(): void {
    const wake = this.wake;
    if (wake === undefined) return;
    this.wake = undefined;
    this.changed = undefined;
    wake();
  }
}
