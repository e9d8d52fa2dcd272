import { type IncomingMessage, type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CascadeError, type AgentPolicy } from '@cascade/core';
import { streamCascade, writeSseToNodeResponse } from '@cascade/stream';
import type { DemoAgent } from '../agent/create-demo-agent';
import type { ApiKeyStore } from '../users/api-key-store';
import { type Tenant, authenticate } from './authenticate';
import { CASCADE_MODEL_ID, parseChatCompletionRequest, toChatRequest } from './chat-completion-request';
import { toChatCompletion } from './chat-completion-response';
import { HttpError, toErrorResponse } from './http-error';
import { readJsonBody } from './read-json-body';
import type { AccessLogger } from './request-log';

/** Options of {@link createDemoServer}. */
export interface DemoServerOptions {
  demo: DemoAgent;
  keys: ApiKeyStore;
  /** Largest accepted request body in bytes (413 above). @default 1 MiB */
  maxBodyBytes?: number;
  /** Time limit of one request, all tiers included. @default 120000 */
  requestTimeoutMs?: number;
  log?: AccessLogger;
  /** Streamed completions: an SSE comment (`: ping`) after this long without a write, so proxies keep the connection. 0: off. @default 15000 */
  heartbeatMs?: number;
}

/** A running server. */
export interface DemoServer {
  readonly server: Server;
  /** Starts listening; resolves with the bound address (port 0 picks a free port). */
  listen(port: number, host: string): Promise<AddressInfo>;
  /** Stops accepting, lets requests in flight finish for `graceMs`, then cancels them and closes every connection. */
  close(graceMs?: number): Promise<void>;
}

const json = (response: ServerResponse, status: number, body: unknown, headers: Readonly<Record<string, string>> = {}): void => {
  const text = JSON.stringify(body);
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(text)), ...headers });
  response.end(text);
};

/**
 * The demo's OpenAI-compatible multi-tenant server on `node:http`: `POST /v1/chat/completions`
 * (with and without `stream: true`), `GET /v1/models`, `GET /v1/usage`. Each API key belongs to a
 * user profile, and the whole pipeline (profile, limits, guardrails, cascade) runs per tenant.
 */
export function createDemoServer(options: DemoServerOptions): DemoServer {
  const { demo, keys } = options;
  const maxBodyBytes = options.maxBodyBytes ?? 1024 * 1024;
  const requestTimeoutMs = options.requestTimeoutMs ?? 120_000;
  const log = options.log ?? (() => undefined);
  const heartbeatMs = options.heartbeatMs ?? 15_000;
  const shutdown = new AbortController();
  const inFlight = new Set<Promise<void>>();

  async function chatCompletions(request: IncomingMessage, response: ServerResponse, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const body = parseChatCompletionRequest(await readJsonBody(request, maxBodyBytes));
    const chatRequest = toChatRequest(body);
    let policy: AgentPolicy | undefined;
    if (body.model !== CASCADE_MODEL_ID) {
      if (!demo.modelIds.includes(body.model)) {
        throw new HttpError(404, 'invalid_request_error', 'model_not_found', `The model "${body.model}" does not exist. Use "${CASCADE_MODEL_ID}" (the cascade chooses) or one of: ${demo.modelIds.join(', ')}.`, {}, 'model');
      }
      policy = { allowedModels: [body.model] };
    }
    const runOptions = { userId: tenant.userId, abortSignal: signal, timeoutMs: requestTimeoutMs, ...(policy ? { policy } : {}) };
    if (body.stream) {
      // Buffered: OpenAI clients cannot take back text, so they never receive a rejected draft.
      const stream = streamCascade(demo.agent, chatRequest, { ...runOptions, mode: 'buffered' });
      // Heartbeat: the buffered draft writes nothing for seconds, and a proxy would cut the idle connection.
      await writeSseToNodeResponse(stream, response, { format: 'openai', heartbeatMs, openai: { includeUsage: body.stream_options?.include_usage === true } });
      return;
    }
    const result = await demo.agent.run(chatRequest, runOptions);
    json(response, 200, toChatCompletion(result));
  }

  async function models(response: ServerResponse, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const profile = await demo.profiles.get(tenant.userId, { abortSignal: signal });
    const created = Math.floor(Date.now() / 1000);
    const ids = [CASCADE_MODEL_ID, ...demo.modelIds.filter((id) => profile.canUseModel(id))];
    json(response, 200, { object: 'list', data: ids.map((id) => ({ id, object: 'model', created, owned_by: id === CASCADE_MODEL_ID ? 'cascade' : 'upstream' })) });
  }

  async function usage(response: ServerResponse, tenant: Tenant, signal: AbortSignal): Promise<void> {
    const profile = await demo.profiles.get(tenant.userId, { abortSignal: signal });
    const spend = demo.usage.summary(tenant.userId);
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

  async function route(request: IncomingMessage, response: ServerResponse, signal: AbortSignal, onTenant: (tenant: Tenant) => void): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname.replace(/\/+$/, '');
    const routes: Record<string, string> = { '/v1/chat/completions': 'POST', '/v1/models': 'GET', '/v1/usage': 'GET' };
    const method = routes[path];
    if (!method) throw new HttpError(404, 'not_found_error', 'not_found', `No route ${request.method ?? ''} ${path}. Routes: POST /v1/chat/completions, GET /v1/models, GET /v1/usage.`);
    if (request.method !== method) throw new HttpError(405, 'invalid_request_error', 'method_not_allowed', `Use ${method} ${path}.`, { allow: method });
    const tenant = authenticate(request, keys);
    onTenant(tenant);
    if (path === '/v1/chat/completions') await chatCompletions(request, response, tenant, signal);
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
    let userId: string | undefined;
    let code: string | undefined;
    try {
      await route(request, response, signal, (tenant) => {
        userId = tenant.userId;
      });
    } catch (error) {
      const answer = toErrorResponse(error);
      code = answer.body.error.code;
      if (!response.headersSent) {
        json(response, answer.status, answer.body, answer.headers);
      } else {
        response.end();
      }
      // Drain what is left of a refused body so the connection can be reused.
      if (!request.complete) request.resume();
    } finally {
      response.off('close', onClose);
      log({ method: request.method ?? '', path: (request.url ?? '').split('?')[0]!, status: response.statusCode, userId, ms: performance.now() - started, ...(code ? { code } : {}) });
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
      server.closeAllConnections();
      await closed;
    },
  };
}
