/**
 * A fault the fake OpenAI server applies to one request. Fields combine: `{ latencyMs: 50, status: 503 }`
 * waits, then answers 503. Every wait honours the client closing the connection.
 *
 * @example
 * server.injectFault({ status: 429, retryAfterSeconds: 2 });          // next request only
 * server.injectFault({ cutAfterChunks: 3 }, { times: 2 });             // the next two requests
 * server.injectFault({ latencyMs: 10_000 }, { path: '/v1/chat/completions' });
 */
export interface FakeFault {
  /** Wait this long before sending headers. The wait ends early (and the request is counted as closed by the client) when the client disconnects. */
  latencyMs?: number;
  /** Answer this HTTP status with an OpenAI-shaped error body instead of the normal response. */
  status?: number;
  /** `Retry-After` header (seconds) on the error response. */
  retryAfterSeconds?: number;
  /** `retry-after-ms` header on the error response. */
  retryAfterMs?: number;
  /** Error message of the error body. @default a message naming the status */
  errorMessage?: string;
  /** Answer 200 with this non-JSON body (or an HTML gateway page when `true`). For streams, a malformed SSE event. */
  malformedBody?: string | true;
  /** Destroy the socket after this many SSE chunks (after the headers for a non-streaming answer). */
  cutAfterChunks?: number;
  /** Delay between SSE chunks. */
  chunkDelayMs?: number;
}

/** Which requests an injected fault applies to. */
export interface FakeFaultOptions {
  /** How many matching requests receive the fault. @default 1 */
  times?: number;
  /** Only requests whose path starts with this (e.g. `/v1/chat/completions`). @default every path */
  path?: string;
}
