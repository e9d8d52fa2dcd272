import { z } from 'zod';
import { CascadeError, abortErrorFrom, parseConfig } from '@cascade/core';
import type { CounterLayout, EvaluateRequest, EvaluateResult, KeyOperation, LimitStore } from '../counter/counter';
import { undoRequestOf, wasApplied } from '../decision/undo-request';
import { LIMIT_SCRIPT, LIMIT_SCRIPT_SHA } from './limit-script';

/**
 * The part of an ioredis client (`Redis` or `Cluster`) the store uses. Any client with these two
 * methods works.
 */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number | Buffer)[]): Promise<unknown>;
  /** `true` on an ioredis `Cluster`. */
  readonly isCluster?: boolean;
}

/** Configuration of {@link createRedisStore}. */
export const redisStoreConfigSchema = z.strictObject({
  /**
   * Longest wait for Redis per decision, in ms; beyond it the decision follows `failMode`.
   * @default 100
   */
  timeoutMs: z.number().int().positive().max(60_000).default(100),
  /**
   * When Redis is down or slow: `closed` denies (safe for money and hard quotas), `open` allows
   * (availability first). Either way the decision says `reason: 'store-unavailable'`.
   * @default 'closed'
   */
  failMode: z.enum(['open', 'closed']).default('closed'),
  /**
   * Redis Cluster: decisions over keys of different hash slots run one script per key and undo
   * the earlier keys when a later one denies (never over-admits; a concurrent request may see a
   * brief false denial). `auto` reads the client's `isCluster`. @default 'auto'
   */
  cluster: z.union([z.boolean(), z.literal('auto')]).default('auto'),
});

/** What callers write to configure the Redis store. */
export type RedisStoreConfig = z.input<typeof redisStoreConfigSchema>;

/** Dependencies of the Redis store. */
export interface RedisStoreDependencies {
  /** A connected ioredis `Redis` or `Cluster` (the caller owns it and closes it). */
  client: RedisScriptClient;
  /**
   * Called when undoing an abandoned decision fails (Redis went away before the undo ran): that
   * decision's hold then lapses after its reservation lease. @default ignore
   */
  onError?: (error: unknown) => void;
}

/** The Redis store: one script round trip per decision. */
export interface RedisStore extends LimitStore {
  readonly kind: 'redis';
  /**
   * Decides on Redis within `timeoutMs`. When the caller gives up first (timeout → fail mode, or
   * abort → `ABORTED`) and the script still runs later, its effect is undone as soon as its answer
   * arrives: a refused or cancelled admission leaves no hold and no counted request.
   */
  evaluate(request: EvaluateRequest, options?: { abortSignal?: AbortSignal }): Promise<EvaluateResult>;
  /**
   * Resolves once every abandoned decision still running on Redis has answered and been undone.
   * Await it before closing the client (graceful shutdown), so no undo is lost.
   */
  drain(): Promise<void>;
}

const HEADER = 4;

/** A decision waiting for Redis. */
interface Waiting {
  readonly deadline: number;
  done: boolean;
  fail(error: unknown): void;
}

/** Redis key of a limiter key: the key in a hash tag, so every counter of a key shares one slot. */
export function redisKeyOf(namespace: string, key: string): string {
  return `${namespace}{${key}}`;
}

/** Redis key of a limiter key's open reservations (a hash; same hash tag, same slot). */
export function redisHoldsKeyOf(namespace: string, key: string): string {
  return `${namespace}{${key}}:h`;
}

/** One double per counter: the held amounts (opening a hold) or the amounts once it lapsed (settling). */
function doublesOf(values: readonly number[] | undefined, count: number): Buffer {
  const buffer = Buffer.alloc(count * 8);
  if (values) for (let index = 0; index < count; index++) buffer.writeDoubleLE(values[index] ?? 0, index * 8);
  return buffer;
}

/** The per-layout arguments that never change. */
interface LayoutArguments {
  readonly signature: string;
  readonly count: string;
  /** Doubles per call: 4 per counter, +1 for a token bucket, +3 for a calendar counter. */
  readonly doubles: number;
}

const layoutArguments = new WeakMap<CounterLayout, LayoutArguments>();

function argumentsOf(layout: CounterLayout): LayoutArguments {
  let cached = layoutArguments.get(layout);
  if (!cached) {
    let doubles = 0;
    for (const code of layout.codes) doubles += code === 2 ? 5 : code === 4 ? 7 : 4;
    cached = { signature: layout.signature, count: String(layout.counters.length), doubles };
    layoutArguments.set(layout, cached);
  }
  return cached;
}

/** One operation's numbers as little-endian doubles (exact, and one `struct.unpack` in the script). */
function numbersOf(operation: KeyOperation, doubles: number): Buffer {
  const { layout, capacity, amounts, refill, periods, refundPeriodStarts } = operation;
  const { codes, windows } = layout;
  const buffer = Buffer.allocUnsafe(doubles * 8);
  let at = 0;
  for (let counter = 0; counter < codes.length; counter++) {
    const code = codes[counter]!;
    at = buffer.writeDoubleLE(code, at);
    at = buffer.writeDoubleLE(windows[counter]!, at);
    at = buffer.writeDoubleLE(capacity[counter]!, at);
    at = buffer.writeDoubleLE(amounts[counter]!, at);
    if (code === 2) at = buffer.writeDoubleLE(refill[counter]!, at);
    else if (code === 4) {
      const period = periods?.[counter];
      at = buffer.writeDoubleLE(period ? period.start : 0, at);
      at = buffer.writeDoubleLE(period && Number.isFinite(period.end) ? period.end : -1, at);
      at = buffer.writeDoubleLE(refundPeriodStarts?.[counter] ?? -1, at);
    }
  }
  return buffer;
}

/** The last encoded numbers of a layout, with the values they were encoded from. */
interface EncodedNumbers {
  readonly values: Float64Array;
  readonly buffer: Buffer;
}

const encodedNumbers = new WeakMap<CounterLayout, EncodedNumbers>();

function sameValues(values: Float64Array, at: number, numbers: readonly number[], count: number): boolean {
  for (let index = 0; index < count; index++) if (!Object.is(values[at + index], numbers[index])) return false;
  return true;
}

/**
 * {@link numbersOf}, reused while an operation without calendar periods repeats the previous
 * capacity, refill and amounts of its layout (compared by value). A sent buffer is never written again.
 */
function cachedNumbersOf(operation: KeyOperation, doubles: number): Buffer {
  if (operation.periods !== undefined || operation.refundPeriodStarts !== undefined) return numbersOf(operation, doubles);
  const count = operation.layout.codes.length;
  const cached = encodedNumbers.get(operation.layout);
  if (
    cached &&
    sameValues(cached.values, 0, operation.capacity, count) &&
    sameValues(cached.values, count, operation.refill, count) &&
    sameValues(cached.values, 2 * count, operation.amounts, count)
  ) {
    return cached.buffer;
  }
  const buffer = numbersOf(operation, doubles);
  const values = new Float64Array(3 * count);
  for (let index = 0; index < count; index++) {
    values[index] = operation.capacity[index]!;
    values[count + index] = operation.refill[index]!;
    values[2 * count + index] = operation.amounts[index]!;
  }
  encodedNumbers.set(operation.layout, { values, buffer });
  return buffer;
}

function scriptArguments(request: EvaluateRequest, operations: readonly KeyOperation[], refundAtMs: number): (string | number | Buffer)[] {
  const args: (string | number | Buffer)[] = [LIMIT_SCRIPT_SHA, 2 * operations.length];
  for (let index = 0; index < operations.length; index++) {
    const { namespace, key } = operations[index]!;
    args.push(redisKeyOf(namespace, key), redisHoldsKeyOf(namespace, key));
  }
  const mode = request.settle !== undefined ? 2 : request.hold !== undefined ? 1 : 0;
  args.push(request.nowMs, (request.force ? 1 : 0) + 2 * mode, refundAtMs, operations.length);
  for (let index = 0; index < operations.length; index++) {
    const operation = operations[index]!;
    const { signature, count, doubles } = argumentsOf(operation.layout);
    args.push(signature, count, cachedNumbersOf(operation, doubles));
    if (mode !== 0) args.push(doublesOf(mode === 1 ? operation.held : (operation.lateAmounts ?? operation.amounts), operation.layout.codes.length));
  }
  if (mode === 2) args.push(request.settle!);
  else if (mode === 1) args.push(request.hold!.id, request.hold!.expiresAt);
  return args;
}

function parseReply(reply: unknown, settling: boolean): EvaluateResult {
  if (!Array.isArray(reply) || reply.length < HEADER) throw new Error(`unexpected script reply ${JSON.stringify(reply)}`);
  const lapsedHolds = settling ? Number(reply.pop()) : undefined;
  const count = (reply.length - HEADER) >> 1;
  const remaining = new Array<number>(count);
  const resetAt = new Array<number>(count);
  for (let index = 0; index < count; index++) {
    remaining[index] = Number(reply[HEADER + 2 * index]);
    const reset = Number(reply[HEADER + 2 * index + 1]);
    resetAt[index] = reset === -2 ? Number.POSITIVE_INFINITY : reset;
  }
  const retry = Number(reply[3]);
  // ≤ -1001: held by reservations, wait = -retry - 1000 (see LIMIT_SCRIPT).
  const held = retry <= -1001;
  const result: { -readonly [K in keyof EvaluateResult]: EvaluateResult[K] } = {
    allowed: Number(reply[0]) === 1,
    failedOperation: Number(reply[1]),
    failedCounter: Number(reply[2]),
    retryAfterMs: retry === -2 ? Number.POSITIVE_INFINITY : held ? -retry - 1000 : retry,
    remaining,
    resetAt,
  };
  if (lapsedHolds !== undefined) result.lapsedHolds = lapsedHolds;
  if (held) result.heldByReservations = true;
  return result;
}

const parseUsual = (reply: unknown): EvaluateResult => parseReply(reply, false);

/**
 * Creates the Redis store (ioredis): every decision is one EVALSHA of one Lua script (loaded on
 * first NOSCRIPT), atomic over all windows and — outside Cluster — all keys. Keys are
 * `<prefix>{<key>}`, hash-tagged for Cluster. A slow or failing Redis yields a decision per
 * `failMode` with `reason: 'store-unavailable'` instead of an exception. Time comes from the
 * caller's clock (keep hosts NTP-synced).
 *
 * @example
 * import Redis from 'ioredis';
 * const store = createRedisStore({ timeoutMs: 50, failMode: 'open' }, { client: new Redis(process.env.REDIS_URL!) });
 * const limiter = createRateLimiter({ limits: [slidingWindow(100, '1 m')] }, { store });
 */
export function createRedisStore(config: RedisStoreConfig, dependencies: RedisStoreDependencies): RedisStore {
  const options = parseConfig(redisStoreConfigSchema, config, 'createRedisStore config');
  const client = dependencies?.client;
  const missing = ['evalsha', 'eval'].filter((method) => typeof (client as unknown as Record<string, unknown> | undefined)?.[method] !== 'function');
  if (typeof client !== 'object' || client === null || missing.length > 0) {
    throw new CascadeError(
      'INVALID_CONFIG',
      `createRedisStore needs { client }: a connected ioredis Redis or Cluster instance${client ? ` (the given client has no ${missing.join(', ')} method)` : ''}.`,
    );
  }
  const onError = dependencies.onError;
  if (onError !== undefined && typeof onError !== 'function') {
    throw new CascadeError('INVALID_CONFIG', `createRedisStore dependencies.onError must be a function; got ${typeof onError}.`);
  }
  const cluster = options.cluster === 'auto' ? client.isCluster === true : options.cluster;

  function runScript(operations: readonly KeyOperation[], request: EvaluateRequest, refundAtMs: number): Promise<EvaluateResult> {
    const args = scriptArguments(request, operations, refundAtMs);
    const settling = request.settle !== undefined;
    const parse = settling ? (reply: unknown) => parseReply(reply, true) : parseUsual;
    return client.evalsha(...(args as [string, number, ...(string | number | Buffer)[]])).then(parse, (error: unknown) => {
      if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
      args[0] = LIMIT_SCRIPT;
      return client.eval(...(args as [string, number, ...(string | number | Buffer)[]])).then(parse);
    });
  }

  async function runPerKey(request: EvaluateRequest, refundAtMs: number): Promise<EvaluateResult> {
    const remaining: number[] = [];
    const resetAt: number[] = [];
    const applied: number[] = [];
    let allowed = true;
    let retryAfterMs = 0;
    let failedOperation = -1;
    let failedCounter = -1;
    let heldByReservations = false;
    let lapsedHolds = 0;
    for (let index = 0; index < request.operations.length; index++) {
      const operation = request.operations[index]!;
      const result = await runScript([operation], request, refundAtMs);
      lapsedHolds += result.lapsedHolds ?? 0;
      for (let counter = 0; counter < result.remaining.length; counter++) {
        remaining.push(result.remaining[counter]!);
        resetAt.push(result.resetAt[counter]!);
      }
      if (!result.allowed && (allowed || result.retryAfterMs > retryAfterMs)) {
        retryAfterMs = result.retryAfterMs;
        failedOperation = index;
        failedCounter = result.failedCounter;
        heldByReservations = result.heldByReservations === true;
      }
      allowed &&= result.allowed;
      if (result.allowed || request.force) applied.push(index);
      else break;
    }
    if (!allowed && !request.force) {
      // Undo the keys that had room: nothing is consumed unless everything is.
      for (const index of applied) {
        const operation = request.operations[index]!;
        const undoAmounts = operation.amounts.map((amount) => (amount > 0 ? -amount : 0));
        const undo: KeyOperation = { ...operation, amounts: undoAmounts, lateAmounts: undoAmounts.map(() => 0) };
        // Closes the hold the request opened on this key, if any.
        const undoRequest: EvaluateRequest = request.hold ? { nowMs: request.nowMs, force: true, settle: request.hold.id, operations: [undo] } : { nowMs: request.nowMs, force: true, operations: [undo] };
        await runScript([undo], undoRequest, request.nowMs);
      }
      for (let index = failedOperation + 1; index < request.operations.length; index++) {
        for (let counter = 0; counter < request.operations[index]!.layout.counters.length; counter++) {
          remaining.push(0);
          resetAt.push(request.nowMs);
        }
      }
    }
    return {
      allowed,
      failedOperation,
      failedCounter,
      retryAfterMs,
      remaining,
      resetAt,
      ...(request.settle === undefined ? {} : { lapsedHolds }),
      ...(heldByReservations ? { heldByReservations } : {}),
    };
  }

  /**
   * Calls waiting for Redis, oldest first. Every call of this store has the same timeout, so
   * deadlines grow in queue order and one timer (at the oldest deadline) serves them all; it is
   * cleared as soon as nothing waits, so no timer outlives the calls.
   */
  const waiting: (Waiting | undefined)[] = [];
  let waitingHead = 0;
  let pending = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;

  function armTimer(deadline: number): void {
    timer = setTimeout(expire, Math.max(1, Math.ceil(deadline - performance.now())));
    timer.unref?.();
  }

  function expire(): void {
    timer = undefined;
    const nowMs = performance.now();
    let expired: Waiting[] | undefined;
    while (waitingHead < waiting.length) {
      const call = waiting[waitingHead]!;
      if (!call.done) {
        if (call.deadline > nowMs) break;
        (expired ??= []).push(call);
      }
      waiting[waitingHead++] = undefined;
    }
    compact();
    if (waitingHead < waiting.length) armTimer(waiting[waitingHead]!.deadline);
    if (expired) {
      for (const call of expired) call.fail(new CascadeError('TIMEOUT', `Redis did not answer the limit check within ${options.timeoutMs} ms.`, { retryable: true }));
    }
  }

  /** Drops answered calls from the front of the queue. */
  function compact(): void {
    while (waitingHead < waiting.length && waiting[waitingHead]!.done) waiting[waitingHead++] = undefined;
    if (waitingHead === waiting.length) {
      waiting.length = 0;
      waitingHead = 0;
    } else if (waitingHead > 1024 && waitingHead * 2 > waiting.length) {
      waiting.splice(0, waitingHead);
      waitingHead = 0;
    }
  }

  function dispatch(request: EvaluateRequest, refundAtMs: number): Promise<EvaluateResult> {
    return cluster && request.operations.length > 1 ? runPerKey(request, refundAtMs) : runScript(request.operations, request, refundAtMs);
  }

  /** Abandoned decisions still running on Redis, with their undo. */
  const abandoned = new Set<Promise<void>>();

  /**
   * The caller gave up on `request` (timeout or abort) while its script may still run: once its
   * answer arrives, undo what it applied (an error leaves it unknown: undo what its hold proves).
   * Commands on one connection run in order, so the undo always runs after the script.
   */
  function abandon(request: EvaluateRequest, work: Promise<EvaluateResult>): void {
    const settled = work
      .then(
        (result) => (wasApplied(request, result) ? undoRequestOf(request) : undefined),
        () => undoRequestOf(request, 'unknown'),
      )
      .then((undo) => (undo ? dispatch(undo, undo.refundAtMs ?? undo.nowMs) : undefined))
      .then(
        () => undefined,
        (error: unknown) => onError?.(error),
      )
      .finally(() => abandoned.delete(settled));
    abandoned.add(settled);
  }

  function unavailable(error: unknown): EvaluateResult {
    const failure = error instanceof Error ? error : new Error(String(error));
    return {
      allowed: options.failMode === 'open',
      failedOperation: -1,
      failedCounter: -1,
      retryAfterMs: 0,
      remaining: [],
      resetAt: [],
      unavailable: { failMode: options.failMode, error: failure },
    };
  }

  return {
    kind: 'redis',
    async drain() {
      while (abandoned.size > 0) await Promise.all(abandoned);
    },
    evaluate(request, evaluateOptions) {
      const abortSignal = evaluateOptions?.abortSignal;
      if (abortSignal?.aborted) return Promise.reject(abortErrorFrom(abortSignal, 'The limit check'));
      const refundAtMs = request.refundAtMs ?? request.nowMs;
      let work: Promise<EvaluateResult>;
      try {
        work = dispatch(request, refundAtMs);
      } catch (error) {
        work = Promise.reject(error);
      }
      return new Promise<EvaluateResult>((resolve, reject) => {
        let onAbort: (() => void) | undefined;
        const call: Waiting = {
          deadline: performance.now() + options.timeoutMs,
          done: false,
          fail(error) {
            if (call.done) return;
            finish();
            abandon(request, work);
            if (abortSignal?.aborted) reject(abortErrorFrom(abortSignal, 'The limit check'));
            else resolve(unavailable(error));
          },
        };
        function finish(): void {
          call.done = true;
          pending -= 1;
          if (onAbort) abortSignal!.removeEventListener('abort', onAbort);
          if (waiting[waitingHead] === call) compact();
          if (pending === 0 && timer) {
            clearTimeout(timer);
            timer = undefined;
          }
        }
        pending += 1;
        waiting.push(call);
        if (!timer) armTimer(call.deadline);
        if (abortSignal) {
          onAbort = () => call.fail(undefined);
          abortSignal.addEventListener('abort', onAbort, { once: true });
        }
        work.then(
          (value) => {
            if (call.done) return;
            finish();
            resolve(value);
          },
          (error: unknown) => call.fail(error),
        );
      });
    },
  };
}
