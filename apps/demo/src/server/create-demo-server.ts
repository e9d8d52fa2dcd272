import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CascadeError, type AgentPolicy, type ChatRequest } from '@cascade/core';
import { type CascadeStream, type StreamCascadeOptions, streamCascade, writeSseToNodeResponse } from '@cascade/stream';
import type { DemoAgent } from '../agent/create-demo-agent';
import type { ServerObserver } from '../observe/server-observer';
import type { KeyStore } from '../users/api-key-store';
import { type AuthFailureLogSettings, createAuthFailureLog } from './auth-failure-log';
import { type Tenant, authenticate } from './authenticate';
import { CASCADE_MODEL_ID, type ChatCompletionRequest, parseChatCompletionRequest, toChatRequest } from './chat-completion-request';
import { toChatCompletion } from './chat-completion-response';
import { clientAddressKey } from './client-address';
import { HttpError } from './http-error';
import { DEFAULT_MAX_JSON_DEPTH, DEFAULT_MAX_JSON_VALUES } from './json-shape-guard';
import { readJsonBody } from './read-json-body';
import type { AccessLogEntry, AccessLogger } from './request-log';
import { SHUTTING_DOWN_MESSAGE, type TenantErrorResponse, toTenantError } from './tenant-error';
import { openTenantStream } from './tenant-stream';
import { TokenBucketMap } from './token-bucket-map';
import { parseUIChatRequest } from './ui-chat-request';
import { writeWebResponse } from './write-web-response';

/** Options of {@link createDemoServer}. */
export interface DemoServerOptions {
  demo: DemoAgent;
  keys: KeyStore;
  /** Largest accepted request body in bytes (413 above). @default 1 MiB */
  maxBodyBytes?: number;
  /** Deepest JSON nesting of a body (400 `json_too_deep` above, found before parsing). @default 64 */
  maxJsonDepth?: number;
  /** Most JSON values (arrays, objects, items) of a body (400 `json_too_complex` above, found before parsing). @default 10000 */
  maxJsonValues?: number;
  /**
   * Per-tenant parse budget, in body bytes: every body read costs its size, an oversized, malformed or
   * invalid one costs `maxBodyBytes`; an empty budget is a 429 before the body is read.
   * @default burst 16 × maxBodyBytes, refilled at 4 × maxBodyBytes per second
   */
  bodyBudget?: { burstBytes: number; bytesPerSecond: number };
  /**
   * Failed authentications per client address (IPv6 per /64): after `burst` failures, every request
   * from the address is a 429 with `Retry-After` until the bucket refills at `perMinute`.
   * @default { burst: 20, perMinute: 10 }
   */
  authThrottle?: { burst: number; perMinute: number };
  /** Sampling of failed-authentication log lines. @default 10 lines per 10 s, the rest in one summary line */
  authFailureLog?: Omit<AuthFailureLogSettings, 'now'>;
  /** Time limit of one request, all tiers included. @default 120000 */
  requestTimeoutMs?: number;
  log?: AccessLogger;
  /** Streamed answers (completions and UI chat): an SSE comment (`: ping`) after this long without a write, so proxies keep the connection. 0: off. @default 15000 */
  heartbeatMs?: number;
  /** Clock of the throttles, in epoch ms. @default Date.now */
  now?: () => number;
  /** Metrics and dashboard: serves `/metrics` and `/dashboard`, and hears every answer and request. */
  observer?: ServerObserver;
}

/** A running server. */
export interface DemoServer {
  readonly server: Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /**
   * Stops accepting (a request on a kept-alive connection gets 503 with `Retry-After`), lets requests in
   * flight finish for `graceMs`, then cancels them — they get 503 with `Retry-After`, which clients
   * retry, not a client error — and closes every connection.
   */
  close(graceMs?: number): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
};

/** What a request is known to be, filled in as it goes, for its error answer and its log line. */
interface RequestState {
  address: string;
  userId: string | undefined;
  /** The request failed authentication or was throttled for it: its log line is sampled. */
  authFailed: boolean;
  /** The request's message texts, masked out of logged details. */
  secrets: readonly string[];
}

/**
 * The demo's OpenAI-compatible multi-tenant server on `node:http`: `POST /v1/chat/completions`
 * (with and without `stream: true`), `POST /v1/ui/chat` (an AI SDK `useChat` front end: UI messages in,
 * UI message stream v1 out), `GET /v1/models`, `GET /v1/usage`. Each API key belongs to a
 * user profile, and the whole pipeline (profile, limits, guardrails, cascade) runs per tenant.
 *
 * Hardened for untrusted clients: failed authentications are throttled per address before any key is
 * looked at; a body is read only after authentication and within the tenant's parse budget, its nesting
 * and size are checked in one linear pass before `JSON.parse`; every error body is the code and a message written
 * for the tenant (`toTenantError`), the internal detail goes to the log only.
 */
export function createDemoServer(options: DemoServerOptions): DemoServer {
  const { demo, keys } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const maxJsonDepth = options.maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
  const maxJsonValues = options.maxJsonValues ?? DEFAULT_MAX_JSON_VALUES;
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  const log = options.log ?? (() => undefined);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const now = options.now ?? Date.now;
  const budget = options.bodyBudget ?? { burstBytes: 16 * maxBodyBytes, bytesPerSecond: 4 * maxBodyBytes };
  const bodyBudget = new TokenBucketMap({ capacity: budget.burstBytes, refillPerSecond: budget.bytesPerSecond, maxKeys: 10_000 }, now);
  const throttle = options.authThrottle ?? { burst: 20, perMinute: 10 };
  const authFailures = new TokenBucketMap({ capacity: throttle.burst, refillPerSecond: throttle.perMinute / 60, maxKeys: 10_000 }, now);
  const authFailureLog = createAuthFailureLog(log, { ...options.authFailureLog, now });
  const shutdown = new AbortController();
  let closing = false;
  const inFlight = new Set<Promise<void>>();
  const openResponses = new Set<ServerResponse>();

  /**
   * Reads and validates a body within the tenant's parse budget: a valid body costs its size, a
   * refused one (oversized, malformed, invalid) a whole `maxBodyBytes`.
   */
  async function readBody<Body>(request: IncomingMessage, tenant: Tenant, parse: (value: unknown) => Body): Promise<Body> {
    const waitMs = bodyBudget.retryAfterMs(tenant.userId);
    if (waitMs > 0) {
      throw new HttpError(429, 'rate_limit_error', 'parse_budget_exceeded', `Too many large, malformed or invalid request bodies; retry in ${Math.ceil(waitMs / 1000)} s.`, { 'retry-after': String(Math.ceil(waitMs / 1000)) });
    }
    try {
      const { value, bytes } = await readJsonBody(request, { maxBytes: maxBodyBytes, maxDepth: maxJsonDepth, maxValues: maxJsonValues });
      const body = parse(value);
      bodyBudget.charge(tenant.userId, bytes);
      return body;
    } catch (error) {
      bodyBudget.charge(tenant.userId, maxBodyBytes);
      throw error;
    }
  }

  /**
   * Starts a streamed answer, buffered (neither OpenAI clients nor a chat UI can take back text, so they
   * never receive a rejected draft). A refusal before any model call is thrown, to be answered as JSON.
   */
  async function openStream(chatRequest: ChatRequest, tenant: Tenant, runOptions: StreamCascadeOptions): Promise<CascadeStream> {
    const opened = await openTenantStream(streamCascade(demo.agent, chatRequest, { ...runOptions, streamMode: 'buffered' }), () => ({ shuttingDown: shutdown.signal.aborted }));
    if ('refused' in opened) throw opened.refused;
    opened.stream.result.then((result) => options.observer?.answered(tenant.userId, result), () => undefined);
    return opened.stream;
  }

  const secretsOf = (chatRequest: ChatRequest): string[] => chatRequest.messages.map((message) => (typeof message.content === 'string' ? message.content : ''));

  async function chatCompletions(request: IncomingMessage, response: ServerResponse, tenant: Tenant, state: RequestState, signal: AbortSignal): Promise<void> {
    const body: ChatCompletionRequest = await readBody(request, tenant, parseChatCompletionRequest);
    const chatRequest = toChatRequest(body);
    state.secrets = secretsOf(chatRequest);
    let policy: AgentPolicy | undefined;
    if (body.model !== CASCADE_MODEL_ID) {
      const profile = await demo.profiles.get(tenant.userId, { abortSignal: signal });
      // Only models the tenant's tier may use are named: the rest of the catalogue is not its business.
      const usable = [CASCADE_MODEL_ID, ...demo.modelIds.filter((id) => profile.canUseModel(id, demo.modelIds))];
      if (!demo.modelIds.includes(body.model)) {
        throw new HttpError(404, 'invalid_request_error', 'model_not_found', `The model "${body.model}" does not exist. Use one of: ${usable.join(', ')} ("${CASCADE_MODEL_ID}" lets the cascade choose).`, {}, 'model');
      }
      if (!profile.canUseModel(body.model, demo.modelIds)) {
        throw new HttpError(403, 'permission_error', 'MODEL_NOT_ALLOWED', `The model "${body.model}" is not available on your tier. Use one of: ${usable.join(', ')}.`, {}, 'model');
      }
      policy = { allowedModels: [body.model] };
    }
    const runOptions = { userId: tenant.userId, abortSignal: signal, timeoutMs: requestTimeoutMs, ...(policy ? { policy } : {}) };
    if (body.stream) {
      const stream = await openStream(chatRequest, tenant, runOptions);
      // Heartbeat: the buffered draft writes nothing for seconds, and a proxy would cut the idle connection.
      await writeSseToNodeResponse(stream, response, { format: 'openai', heartbeatMs, openai: { includeUsage: body.stream_options?.include_usage === true } });
      return;
    }
    const result = await demo.agent.run(chatRequest, runOptions);
    options.observer?.answered(tenant.userId, result);
    json(response, 200, toChatCompletion(result));
  }

  /** `useChat`'s endpoint: the same tenant pipeline as a streamed completion, the cascade choosing the model. */
  async function uiChat(request: IncomingMessage, response: ServerResponse, tenant: Tenant, state: RequestState, signal: AbortSignal): Promise<void> {
    const chatRequest = await readBody(request, tenant, parseUIChatRequest);
    state.secrets = secretsOf(chatRequest);
    const stream = await openStream(chatRequest, tenant, { userId: tenant.userId, abortSignal: signal, timeoutMs: requestTimeoutMs }).catch((error: unknown) => {
      // The shared message tells a completions client to drop `stream: true`, which a useChat client cannot do.
      if (CascadeError.isInstance(error) && error.code === 'FEATURE_NOT_ALLOWED' && error.details?.feature === 'streaming') {
        throw new HttpError(403, 'permission_error', 'FEATURE_NOT_ALLOWED', 'Your tier does not include streaming, which a useChat front end needs; use POST /v1/chat/completions without "stream": true.');
      }
      throw error;
    });
    await writeWebResponse(await stream.toUIMessageStreamResponse({ heartbeatMs }), response);
  }

  async function models(response: ServerResponse, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const profile = await demo.profiles.get(tenant.userId, { abortSignal: signal });
    const created = Math.floor(Date.now() / 1000);
    const ids = [CASCADE_MODEL_ID, ...demo.modelIds.filter((id) => profile.canUseModel(id, demo.modelIds))];
    json(response, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: id === CASCADE_MODEL_ID ? 'cascade' : 'upstream' })) });
  }

  async function usage(response: ServerResponse, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const profile = await demo.profiles.get(tenant.userId, { abortSignal: signal });
    const spend = await demo.usage.summary(tenant.userId);
    json(response, 200, {
      object: 'usage',
      user: tenant.userId,
      tier: profile.tier.name,
      requests: spend.requests,
      spend_usd: { daily: spend.dailyUsd, weekly: spend.weeklyUsd, monthly: spend.monthlyUsd, total: spend.totalUsd },
      by_model: Object.fromEntries(Object.entries(spend.byModel).map(([id, model]) => [id, { calls: model.calls, cost_usd: model.costUsd, input_tokens: model.inputTokens, output_tokens: model.outputTokens }])),
      limits: { budget_usd: profile.effectiveBudget(), rate: profile.effectiveRateLimits() },
    });
  }

  /** Authenticates, unless the address failed too often: then a 429 before any key is looked at. */
  async function authenticateThrottled(request: IncomingMessage, state: RequestState): Promise<Tenant> {
    const waitMs = authFailures.retryAfterMs(state.address);
    if (waitMs > 0) {
      state.authFailed = true;
      const seconds = Math.ceil(waitMs / 1000);
      throw new HttpError(429, 'rate_limit_error', 'too_many_failed_authentications', `Too many failed authentications from your address; retry in ${seconds} s.`, { 'retry-after': String(seconds) });
    }
    try {
      // Awaited: a lookup that becomes asynchronous (a profile check) still counts its failures here.
      return await authenticate(request, keys);
    } catch (error) {
      state.authFailed = true;
      authFailures.charge(state.address, 1);
      throw error;
    }
  }

  async function route(request: IncomingMessage, response: ServerResponse, signal: AbortSignal, state: RequestState): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const routes: Record<string, string> = { '/v1/chat/completions': 'POST', '/v1/ui/chat': 'POST', '/v1/models': 'GET', '/v1/usage': 'GET' };
    if (!(path in routes) && (await options.observer?.handle(request, response, path))) return;
    const method = routes[path];
    if (!method) throw new HttpError(404, 'not_found_error', 'not_found', `No route ${request.method ?? ''} ${path}. Routes: POST /v1/chat/completions, POST /v1/ui/chat, GET /v1/models, GET /v1/usage.`);
    if (request.method !== method) throw new HttpError(405, 'invalid_request_error', 'method_not_allowed', `Use ${method} ${path}.`, { allow: method });
    const tenant = await authenticateThrottled(request, state);
    state.userId = tenant.userId;
    if (path === '/v1/chat/completions') await chatCompletions(request, response, tenant, state, signal);
    else if (path === '/v1/ui/chat') await uiChat(request, response, tenant, state, signal);
    else if (path === '/v1/models') await models(response, tenant, signal);
    else await usage(response, tenant, signal);
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const started = performance.now();
    const client = new AbortController();
    // The client going away cancels its request (down to the model's HTTP call), as does shutdown.
    const onClose = (): void => {
      if (!response.writableFinished) client.abort(new CascadeError('ABORTED', 'The client closed the connection.'));
    };
    response.once('close', onClose);
    const signal = AbortSignal.any([client.signal, shutdown.signal]);
    const state: RequestState = { address: clientAddressKey(request.socket.remoteAddress), userId: undefined, authFailed: false, secrets: [] };
    let answer: TenantErrorResponse | undefined;
    openResponses.add(response);
    try {
      if (closing) throw new HttpError(503, 'server_error', 'server_shutting_down', SHUTTING_DOWN_MESSAGE, { 'retry-after': '1', connection: 'close' });
      await route(request, response, signal, state);
    } catch (error) {
      answer = toTenantError(error, { shuttingDown: shutdown.signal.aborted && !client.signal.aborted, secrets: state.secrets });
      if (!response.headersSent) {
        json(response, answer.status, answer.body, answer.headers);
      } else {
        response.end();
      }
      if (!request.complete) discardBody(request, 4 * maxBodyBytes);
    } finally {
      openResponses.delete(response);
      response.off('close', onClose);
      // A client gone before the first byte got nothing: 499, not the 200 `statusCode` still holds.
      const gone = !response.headersSent && client.signal.aborted;
      const code = answer?.body.error.code ?? (client.signal.aborted ? 'client_closed' : undefined);
      const entry: AccessLogEntry = {
        method: request.method ?? '', path: (request.url ?? '').split('?')[0]!, status: gone ? 499 : response.statusCode, userId: state.userId, ms: performance.now() - started,
        ...(code ? { code } : {}), ...(answer?.detail ? { detail: answer.detail } : {}),
      };
      if (state.authFailed) authFailureLog.record({ ...entry, address: state.address });
      else log(entry);
      options.observer?.served(entry);
    }
  }

  const server = createServer((request, response) => {
    const task = handle(request, response).finally(() => inFlight.delete(task));
    inFlight.add(task);
  });
  server.headersTimeout = 30_000;
  server.requestTimeout = requestTimeoutMs + 10_000;

  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          resolve(server.address() as AddressInfo);
        });
      });
    },
    async close(graceMs = 10_000) {
      closing = true;
      // Answers still to come tell their client to reconnect (elsewhere) rather than reuse this connection.
      for (const response of openResponses) if (!response.headersSent) response.shouldKeepAlive = false;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, graceMs);
        timer.unref();
      });
      await Promise.race([Promise.allSettled([...inFlight]), deadline]);
      clearTimeout(timer);
      shutdown.abort(new CascadeError('ABORTED', 'The server is shutting down.'));
      await Promise.allSettled([...inFlight]);
      authFailureLog.flush();
      server.closeAllConnections();
      await closed;
    },
  };
}

/**
 * Reads and drops what is left of a refused body so the connection can be reused, up to `limit`
 * bytes: past it, the connection is closed instead of reading a flood to the end.
 */
function discardBody(request: IncomingMessage, limit: number): void {
  let dropped = 0;
  request.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limit) request.socket.destroy();
  });
  request.resume();
}
