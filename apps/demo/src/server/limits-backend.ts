import { CascadeError } from '@cascade/core';
import { type LimitStore, createMemoryStore } from '@cascade/limits';
import { createRedisStore } from '@cascade/limits/redis';
import { Redis } from 'ioredis';

/** The line `serve` prints without Redis. */
export const IN_MEMORY_LIMITS_LINE = 'limits: in-memory (this process only); set REDIS_URL to share across processes';

/** Where the server's rate-limit, token and budget counters live. */
export interface LimitsBackend {
  readonly kind: 'memory' | 'redis';
  readonly store: LimitStore;
  /** Key prefix of every counter (the Redis key prefix). */
  readonly prefix: string;
  /** One line for the startup log (a Redis password is never shown). */
  readonly description: string;
  /** Closes the Redis connection (after the server stopped); nothing for memory. */
  close(): Promise<void>;
}

/** Options of {@link openLimitsBackend}. */
export interface LimitsBackendOptions {
  /** `redis://` or `rediss://` URL; without it, counters stay in this process. */
  redisUrl?: string | undefined;
  /** @default 'cascade:demo:limits' */
  prefix?: string | undefined;
  /** Longest wait for the first connection. @default 3000 */
  connectTimeoutMs?: number;
  /** Longest wait for Redis per decision; beyond it the request is refused (fail closed). @default 1000 */
  decisionTimeoutMs?: number;
  /** Hears when Redis becomes unreachable and reachable again while serving. */
  onEvent?: (message: string) => void;
}

export const DEFAULT_LIMITS_PREFIX = 'cascade:demo:limits';

/** The URL with its password masked, for logs and errors. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return '<unparsable REDIS_URL>';
  }
}

/**
 * Opens the limits store of `serve`. With a Redis URL: connects (and PINGs) before the server
 * listens, so an unreachable Redis is a clear `STORE_FAILED` at start and the process exits
 * non-zero; while serving, the store fails closed (the limits could not be checked: the server
 * answers 503 with `Retry-After`) until ioredis has reconnected: money and quotas are never admitted unchecked.
 * Without one: `@cascade/limits`' memory store, this process only.
 */
export async function openLimitsBackend(options: LimitsBackendOptions = {}): Promise<LimitsBackend> {
  const prefix = options.prefix ?? DEFAULT_LIMITS_PREFIX;
  if (!options.redisUrl) {
    return { kind: 'memory', store: createMemoryStore(), prefix, description: IN_MEMORY_LIMITS_LINE, close: async () => undefined };
  }
  const shown = redactRedisUrl(options.redisUrl);
  if (!/^rediss?:\/\//.test(options.redisUrl)) {
    throw new CascadeError('INVALID_INPUT', `REDIS_URL / --redis must be a redis:// or rediss:// URL; got ${shown}.`);
  }
  const onEvent = options.onEvent ?? (() => undefined);
  const client = new Redis(options.redisUrl, {
    lazyConnect: true,
    connectTimeout: options.connectTimeoutMs ?? 3_000,
    maxRetriesPerRequest: 1,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2_000),
  });
  let lastError: Error | undefined;
  let down = false;
  let ready = false;
  client.on('error', (error: Error) => {
    lastError = error;
    if (ready && !down) {
      down = true;
      onEvent(`Redis ${shown} unreachable (${error.message}): requests are refused with 503 until it is back`);
    }
  });
  client.on('ready', () => {
    if (down) onEvent(`Redis ${shown} reachable again`);
    down = false;
  });
  try {
    await client.connect();
    await client.ping();
  } catch (error) {
    client.disconnect();
    const reason = lastError?.message ?? (error as Error).message;
    throw new CascadeError(
      'STORE_FAILED',
      `Cannot reach Redis at ${shown} (${reason}). Start Redis, fix REDIS_URL / --redis, or unset it to keep limits in this process only.`,
      { cause: lastError ?? error },
    );
  }
  ready = true;
  const store = createRedisStore({ timeoutMs: options.decisionTimeoutMs ?? 1_000, failMode: 'closed' }, { client });
  let closing: Promise<void> | undefined;
  return {
    kind: 'redis',
    store,
    prefix,
    description: `limits: Redis ${shown} (prefix ${prefix}), shared by every server on it; refused with 503 while Redis is unreachable`,
    close() {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        try {
          // QUIT lets queued commands (late settles) finish; never wait on a dead connection for long.
          // Undos of abandoned admissions still pending must reach Redis before QUIT.
          const drainThenQuit = store.drain().catch(() => undefined).then(() => client.quit()).catch(() => undefined);
          await Promise.race([drainThenQuit, new Promise<void>((resolve) => (timer = setTimeout(resolve, 2_000)))]);
        } finally {
          clearTimeout(timer);
          client.disconnect();
        }
      })();
      return closing;
    },
  };
}
