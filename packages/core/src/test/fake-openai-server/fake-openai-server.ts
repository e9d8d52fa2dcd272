import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { DEFAULT_BATCH_SCHEDULE, FakeBatchStore, type FakeBatchSchedule, type FakeOperationResult } from './fake-batches';
import {
  completionBody,
  completionChunks,
  fakeChatRequestSchema,
  resolveCompletion,
  type FakeChatCompletionRequest,
  type FakeChatHandler,
  type FakeChatReply,
} from './fake-chat-completion';
import type { FakeFault, FakeFaultOptions } from './fake-fault';
import {
  fakeModerationRequestSchema,
  moderationHandlerFromRules,
  moderationInputs,
  moderationResult,
  type FakeModerationHandler,
  type FakeModerationRule,
} from './fake-moderation';
import { parseMultipart, readBody, sendError, sendJson, writeChunk } from './http-helpers';
import { requireBpe } from '../../tokens/load-bpe';

/** A scripted chat answer: a reply, a text, or a function of the request. */
export type FakeChatScript = FakeChatReply | string | FakeChatHandler;

/** Options of {@link createFakeOpenAIServer}. Everything is optional. */
export interface FakeOpenAIServerOptions {
  chat?: {
    /** Answer for every model without an entry in `byModel`. @default an echo: `You said: <last user message>` */
    reply?: FakeChatScript;
    /** Answer per requested model id. */
    byModel?: Readonly<Record<string, FakeChatScript>>;
  };
  /** Model ids listed by `GET /v1/models` (plus every `byModel` key). @default ['gpt-4o-mini', 'gpt-4o'] */
  models?: readonly string[];
  moderation?: {
    /** Keyword rules; inputs that match none are all-clear. */
    rules?: readonly FakeModerationRule[];
    /** Scores each input; takes precedence over `rules`. */
    handler?: FakeModerationHandler;
  };
  batch?: {
    /**
     * Statuses a batch goes through, one step per `GET /v1/batches/:id`; or a function that picks them per
     * batch (e.g. `({ index }) => index === 1 ? ['validating', 'in_progress', 'expired'] : DEFAULT_BATCH_SCHEDULE`).
     * @default ['validating', 'in_progress', 'completed']
     */
    schedule?: FakeBatchSchedule;
  };
  /** When set, requests must send `Authorization: Bearer <apiKey>` or get 401. */
  apiKey?: string;
}

/** One request the fake server received. */
export interface FakeRequestRecord {
  /** 0-based order of arrival. */
  index: number;
  method: string;
  /** Path without the query, e.g. `/v1/chat/completions`. */
  path: string;
  query: Readonly<Record<string, string>>;
  /** Lower-case header names. */
  headers: Readonly<Record<string, string>>;
  /** Parsed JSON body; for multipart, `{ fields, files: [{ name, filename, bytes }] }`; raw text when not JSON. */
  body: unknown;
  /** Status answered (undefined while in flight or when the connection closed first). */
  status?: number;
  /** The fault applied to this request, if any. */
  fault?: FakeFault;
  /** The response was sent completely. */
  finished: boolean;
  /** The client closed the connection before the response was complete (an abort, a timeout, a `break`). */
  closedByClient: boolean;
  /** The server cut the connection on purpose (`cutAfterChunks`). */
  cut: boolean;
}

/** Connection counters of the fake server. */
export interface FakeServerStats {
  /** Requests received. */
  total: number;
  /** Requests whose response is not finished and whose connection is open. */
  inFlight: number;
  /** Highest `inFlight` seen. */
  maxInFlight: number;
  /** Requests answered completely. */
  finished: number;
  /** Requests whose connection the client closed before the response was complete. */
  closedByClient: number;
  /** Requests the server cut on purpose. */
  cut: number;
  /** Batches created and not yet `completed`, `failed`, `expired` or `cancelled` (`cancelling` counts). */
  batchesActive: number;
  /** Highest `batchesActive` seen (reset by `reset`). */
  maxBatchesActive: number;
}

/** A running fake OpenAI-compatible server. See {@link createFakeOpenAIServer}. */
export interface FakeOpenAIServer {
  /** Base URL ending in `/v1`, for `new OpenAI({ baseURL })`. */
  readonly url: string;
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  readonly port: number;
  /** Every request received, in order (cleared by `reset`). */
  readonly requests: readonly FakeRequestRecord[];
  /** A snapshot of the connection counters. */
  readonly stats: Readonly<FakeServerStats>;
  /** Answers chat calls with this function (after queued replies); `undefined` restores the options. */
  setChatHandler(handler: FakeChatHandler | undefined): void;
  /** Answers the next chat calls, one reply each, before any handler. */
  queueChatReplies(...replies: readonly (FakeChatReply | string)[]): void;
  /** Scores moderation inputs with this function; `undefined` restores the options. */
  setModerationHandler(handler: FakeModerationHandler | undefined): void;
  /** Applies `fault` to the next matching request(s). Faults queue in order. */
  injectFault(fault: FakeFault, options?: FakeFaultOptions): void;
  /** Decides a fault per request (after queued faults); `undefined` removes it. */
  setFaultHandler(handler: ((request: FakeRequestRecord) => FakeFault | undefined) | undefined): void;
  /** Resolves once `predicate(stats)` holds, re-checked on every request event (no polling timers). */
  waitFor(predicate: (stats: Readonly<FakeServerStats>) => boolean): Promise<void>;
  /** Clears requests, counters, queues, faults, files and batches, and restores the handlers of the options. */
  reset(): void;
  /** Stops listening and destroys open connections. Idempotent. */
  close(): Promise<void>;
}

const HTML_GATEWAY_PAGE = '<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center></body></html>';

/**
 * Starts a fake OpenAI-compatible HTTP server on 127.0.0.1 with an ephemeral port: chat completions
 * (JSON and SSE with usage and logprobs), models, moderations, files and batches, and injectable faults
 * (latency, error statuses with Retry-After, malformed bodies, connections cut mid-stream, slow chunks).
 * Imports no test framework. Always `close()` it.
 *
 * @param options - scripted answers, moderation rules, batch schedule; see {@link FakeOpenAIServerOptions}.
 * @example
 * const server = await createFakeOpenAIServer({ chat: { byModel: { 'gpt-4o-mini': 'Paris.' } } });
 * const client = new OpenAI({ baseURL: server.url, apiKey: 'test' });
 * server.injectFault({ status: 429, retryAfterSeconds: 1 });
 * // ... exercise the client ...
 * await server.close();
 */
export async function createFakeOpenAIServer(options: FakeOpenAIServerOptions = {}): Promise<FakeOpenAIServer> {
  // Load the tokenizer now, not inside the first request (core loads it on demand; it takes ~0.4 s).
  requireBpe('The fake OpenAI server');
  const requests: FakeRequestRecord[] = [];
  const stats: Omit<FakeServerStats, 'batchesActive' | 'maxBatchesActive'> = { total: 0, inFlight: 0, maxInFlight: 0, finished: 0, closedByClient: 0, cut: 0 };
  const listeners = new Set<() => void>();
  const timers = new Set<NodeJS.Timeout>();
  let chatQueue: (FakeChatReply | string)[] = [];
  let faultQueue: { fault: FakeFault; remaining: number; path?: string }[] = [];
  let chatHandler: FakeChatHandler | undefined;
  let faultHandler: ((request: FakeRequestRecord) => FakeFault | undefined) | undefined;
  let moderationHandler = defaultModerationHandler(options);
  let chatCalls = 0;
  let idCounter = 0;
  let closing = false;

  const notify = (): void => {
    for (const listener of [...listeners]) listener();
  };

  const nextId = (prefix: string): string => `${prefix}${(++idCounter).toString().padStart(6, '0')}`;

  async function resolveReply(request: FakeChatCompletionRequest): Promise<FakeChatReply> {
    const callIndex = chatCalls++;
    const queued = chatQueue.shift();
    if (queued !== undefined) return normalizeReply(queued);
    if (chatHandler) return normalizeReply(await chatHandler(request, { callIndex }));
    const script = options.chat?.byModel?.[request.model] ?? options.chat?.reply;
    if (script === undefined) return {};
    return normalizeReply(typeof script === 'function' ? await script(request, { callIndex }) : script);
  }

  const batchStore = new FakeBatchStore(options.batch?.schedule ?? DEFAULT_BATCH_SCHEDULE, resolveReply);
  const snapshot = (): FakeServerStats => ({ ...stats, batchesActive: batchStore.active, maxBatchesActive: batchStore.maxActive });

  function takeFault(record: FakeRequestRecord): FakeFault | undefined {
    const index = faultQueue.findIndex((entry) => entry.path === undefined || record.path.startsWith(entry.path));
    if (index >= 0) {
      const entry = faultQueue[index]!;
      entry.remaining--;
      if (entry.remaining <= 0) faultQueue.splice(index, 1);
      return entry.fault;
    }
    return faultHandler?.(record);
  }

  /** Waits `ms`; resolves false as soon as the connection closes. */
  function delay(ms: number, response: ServerResponse): Promise<boolean> {
    if (response.destroyed || closing) return Promise.resolve(false);
    return new Promise((resolve) => {
      const finish = (value: boolean): void => {
        clearTimeout(timer);
        timers.delete(timer);
        response.off('close', onClose);
        resolve(value);
      };
      const onClose = (): void => finish(false);
      const timer = setTimeout(() => finish(true), ms);
      timers.add(timer);
      response.once('close', onClose);
    });
  }

  function cut(response: ServerResponse, record: FakeRequestRecord): void {
    record.cut = true;
    response.socket?.destroy();
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1');
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(request.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const record: FakeRequestRecord = {
      index: requests.length,
      method: request.method ?? 'GET',
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers,
      body: undefined,
      finished: false,
      closedByClient: false,
      cut: false,
    };
    requests.push(record);
    stats.total++;
    stats.inFlight++;
    stats.maxInFlight = Math.max(stats.maxInFlight, stats.inFlight);
    response.once('close', () => {
      stats.inFlight--;
      record.finished = response.writableFinished;
      if (record.finished) stats.finished++;
      else if (record.cut) stats.cut++;
      else if (!closing) {
        record.closedByClient = true;
        stats.closedByClient++;
      }
      notify();
    });
    response.once('finish', () => {
      record.status = response.statusCode;
    });
    notify();

    const raw = await readBody(request);
    if (raw === undefined) return;
    record.body = parseBody(raw, headers['content-type'] ?? '');

    if (options.apiKey !== undefined && headers.authorization !== `Bearer ${options.apiKey}`) {
      sendError(response, 401, 'Incorrect API key provided.', { code: 'invalid_api_key' });
      return;
    }

    let fault = takeFault(record);
    const isChat = record.method === 'POST' && record.path === '/v1/chat/completions';
    let chat: { request: FakeChatCompletionRequest; reply: FakeChatReply } | undefined;
    if (isChat) {
      const parsed = fakeChatRequestSchema.safeParse(record.body);
      if (!parsed.success) {
        sendError(response, 400, `Invalid chat completion request: ${z.prettifyError(parsed.error)}`);
        return;
      }
      const reply = await resolveReply(parsed.data);
      chat = { request: parsed.data, reply };
      if (reply.fault) fault = { ...reply.fault, ...fault };
    }
    if (fault) record.fault = fault;

    if (fault?.latencyMs !== undefined && fault.latencyMs > 0 && !(await delay(fault.latencyMs, response))) return;
    if (fault?.status !== undefined) {
      const faultHeaders: Record<string, string> = {};
      if (fault.retryAfterSeconds !== undefined) faultHeaders['retry-after'] = String(fault.retryAfterSeconds);
      if (fault.retryAfterMs !== undefined) faultHeaders['retry-after-ms'] = String(fault.retryAfterMs);
      const message = fault.errorMessage ?? (fault.status === 429 ? 'Rate limit reached for requests. Please try again later.' : `Fake server error ${fault.status}.`);
      sendError(response, fault.status, message, { headers: faultHeaders, code: fault.status === 429 ? 'rate_limit_exceeded' : fault.status >= 500 ? 'server_error' : 'invalid_request' });
      return;
    }

    if (chat) {
      await answerChat(chat.request, chat.reply, response, record, fault ?? {});
      return;
    }
    if (fault?.malformedBody !== undefined) {
      sendMalformed(response, fault.malformedBody);
      return;
    }
    if (fault?.cutAfterChunks !== undefined) {
      response.writeHead(200, { 'content-type': 'application/json' });
      await writeChunk(response, '{"object":');
      cut(response, record);
      return;
    }
    await route(record, raw, response);
  }

  async function answerChat(request: FakeChatCompletionRequest, reply: FakeChatReply, response: ServerResponse, record: FakeRequestRecord, fault: FakeFault): Promise<void> {
    const completion = resolveCompletion(request, reply, nextId('chatcmpl-fake'));
    if (!request.stream) {
      if (fault.malformedBody !== undefined) sendMalformed(response, fault.malformedBody);
      else if (fault.cutAfterChunks !== undefined) {
        response.writeHead(200, { 'content-type': 'application/json' });
        await writeChunk(response, JSON.stringify(completionBody(request, completion)).slice(0, 20));
        cut(response, record);
      } else sendJson(response, 200, completionBody(request, completion));
      return;
    }
    response.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-cache', connection: 'keep-alive', 'x-request-id': nextId('req_fake') });
    response.flushHeaders();
    if (fault.malformedBody !== undefined) {
      await writeChunk(response, `data: ${fault.malformedBody === true ? '{"id":"chatcmpl-broken","choices":[{' : fault.malformedBody}\n\n`);
    }
    let sent = 0;
    for (const chunk of completionChunks(request, completion)) {
      if (fault.cutAfterChunks !== undefined && sent >= fault.cutAfterChunks) {
        cut(response, record);
        return;
      }
      if (sent > 0 && fault.chunkDelayMs !== undefined && fault.chunkDelayMs > 0 && !(await delay(fault.chunkDelayMs, response))) return;
      if (response.destroyed) return;
      await writeChunk(response, `data: ${JSON.stringify(chunk)}\n\n`);
      sent++;
    }
    if (fault.cutAfterChunks !== undefined && sent >= fault.cutAfterChunks) {
      cut(response, record);
      return;
    }
    if (!response.destroyed) response.end('data: [DONE]\n\n');
  }

  async function route(record: FakeRequestRecord, raw: Buffer, response: ServerResponse): Promise<void> {
    const { method, path } = record;
    const segments = path.split('/').filter(Boolean);
    if (segments[0] !== 'v1') return sendError(response, 404, `Unknown path ${path}: the fake server serves /v1/...`);
    const [, resource, id, action] = segments;

    if (resource === 'models' && method === 'GET') {
      const ids = [...new Set([...(options.models ?? ['gpt-4o-mini', 'gpt-4o']), ...Object.keys(options.chat?.byModel ?? {})])];
      const model = (modelId: string): Record<string, unknown> => ({ id: modelId, object: 'model', created: 1_700_000_000, owned_by: 'fake' });
      if (id === undefined) return sendJson(response, 200, { object: 'list', data: ids.map(model) });
      return ids.includes(id) ? sendJson(response, 200, model(id)) : sendError(response, 404, `The model '${id}' does not exist.`, { code: 'model_not_found' });
    }
    if (resource === 'moderations' && method === 'POST' && id === undefined) return answerModeration(record.body, response);
    if (resource === 'files') {
      if (method === 'POST' && id === undefined) return uploadFile(raw, record.headers['content-type'] ?? '', response);
      if (method === 'GET' && id === undefined) return sendResult(response, batchStore.listFiles());
      if (method === 'GET' && id !== undefined && action === undefined) return sendResult(response, batchStore.getFile(id));
      if (method === 'GET' && id !== undefined && action === 'content') return sendResult(response, batchStore.getFileContent(id));
    }
    if (resource === 'batches') {
      if (method === 'POST' && id === undefined) return sendResult(response, batchStore.createBatch(record.body));
      if (method === 'GET' && id === undefined) return sendResult(response, batchStore.listBatches());
      if (method === 'GET' && id !== undefined && action === undefined) return sendResult(response, await batchStore.pollBatch(id));
      if (method === 'POST' && id !== undefined && action === 'cancel') return sendResult(response, batchStore.cancelBatch(id));
    }
    return sendError(response, 404, `The fake server does not serve ${method} ${path}.`);
  }

  async function answerModeration(body: unknown, response: ServerResponse): Promise<void> {
    const parsed = fakeModerationRequestSchema.safeParse(body);
    if (!parsed.success) return sendError(response, 400, `Invalid moderation request: ${z.prettifyError(parsed.error)}`, { param: 'input' });
    const model = parsed.data.model ?? 'omni-moderation-latest';
    const results: Record<string, unknown>[] = [];
    for (const input of moderationInputs(parsed.data.input)) results.push(moderationResult(await moderationHandler(input.text, { model }), input.hasImage));
    sendJson(response, 200, { id: nextId('modr-fake'), model: model === 'omni-moderation-latest' ? 'omni-moderation-2024-09-26' : model, results });
  }

  function uploadFile(raw: Buffer, contentType: string, response: ServerResponse): void {
    const parts = contentType.startsWith('multipart/form-data') ? parseMultipart(raw, contentType) : undefined;
    if (!parts) return sendError(response, 400, 'File uploads must be multipart/form-data with a `file` and a `purpose`.');
    const file = parts.find((part) => part.name === 'file');
    const purpose = parts.find((part) => part.name === 'purpose')?.data.toString('utf8');
    if (!file || !purpose) return sendError(response, 400, `Missing required parameter: '${file ? 'purpose' : 'file'}'.`, { param: file ? 'purpose' : 'file' });
    if (purpose === 'batch' && !(file.filename ?? '').endsWith('.jsonl')) return sendError(response, 400, 'Batch input files must be .jsonl.', { param: 'file' });
    sendJson(response, 200, batchStore.fileBody(batchStore.addFile(file.filename ?? 'upload', purpose, file.data)));
  }

  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      // A handler bug answers 500 with the reason, so a test fails loudly instead of hanging.
      const message = error instanceof Error ? error.message : String(error);
      if (!response.headersSent) sendError(response, 500, `Fake server handler threw: ${message}`);
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/v1`,
    origin,
    port,
    get requests() {
      return requests;
    },
    get stats() {
      return snapshot();
    },
    setChatHandler(handler) {
      chatHandler = handler;
    },
    queueChatReplies(...replies) {
      chatQueue.push(...replies);
    },
    setModerationHandler(handler) {
      moderationHandler = handler ?? defaultModerationHandler(options);
    },
    injectFault(fault, faultOptions = {}) {
      const times = faultOptions.times ?? 1;
      if (times > 0) faultQueue.push({ fault, remaining: times, ...(faultOptions.path !== undefined ? { path: faultOptions.path } : {}) });
    },
    setFaultHandler(handler) {
      faultHandler = handler;
    },
    waitFor(predicate) {
      return new Promise((resolve) => {
        const check = (): void => {
          if (!predicate(snapshot())) return;
          listeners.delete(check);
          resolve();
        };
        listeners.add(check);
        check();
      });
    },
    reset() {
      requests.length = 0;
      Object.assign(stats, { total: 0, inFlight: stats.inFlight, maxInFlight: stats.inFlight, finished: 0, closedByClient: 0, cut: 0 });
      chatQueue = [];
      faultQueue = [];
      chatHandler = undefined;
      faultHandler = undefined;
      moderationHandler = defaultModerationHandler(options);
      chatCalls = 0;
      batchStore.clear();
    },
    async close() {
      if (closing) return;
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      listeners.clear();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

function normalizeReply(reply: FakeChatReply | string): FakeChatReply {
  return typeof reply === 'string' ? { text: reply } : reply;
}

function defaultModerationHandler(options: FakeOpenAIServerOptions): FakeModerationHandler {
  return options.moderation?.handler ?? moderationHandlerFromRules(options.moderation?.rules ?? []);
}

function parseBody(raw: Buffer, contentType: string): unknown {
  if (raw.length === 0) return undefined;
  if (contentType.startsWith('multipart/form-data')) {
    const parts = parseMultipart(raw, contentType) ?? [];
    return {
      fields: Object.fromEntries(parts.filter((part) => part.filename === undefined).map((part) => [part.name, part.data.toString('utf8')])),
      files: parts.filter((part) => part.filename !== undefined).map((part) => ({ name: part.name, filename: part.filename, bytes: part.data.length })),
    };
  }
  const text = raw.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function sendMalformed(response: ServerResponse, body: string | true): void {
  const isHtml = body === true;
  const text = isHtml ? HTML_GATEWAY_PAGE : body;
  response.writeHead(200, { 'content-type': isHtml ? 'text/html' : 'application/json', 'content-length': Buffer.byteLength(text).toString() });
  response.end(text);
}

function sendResult(response: ServerResponse, result: FakeOperationResult): void {
  if ('json' in result) {
    sendJson(response, result.status, result.json);
    return;
  }
  if (response.destroyed) return;
  response.writeHead(result.status, { 'content-type': result.contentType, 'content-length': result.raw.length.toString() });
  response.end(result.raw);
}
