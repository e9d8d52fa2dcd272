import { CascadeError } from '@cascade/core';
import type { CounterDimension, EvaluateRequest, EvaluateResult, LimitStore } from '../counter/counter';

/**
 * Why a decision came out as it did.
 * - `allowed`: every limit had room.
 * - `limit-exceeded`: a limit had no room; denied (block mode).
 * - `warned`: a limit had no room but the mode is `warn`: allowed and counted.
 * - `exceeds-capacity`: the request alone is larger than a limit (e.g. its worst-case cost estimate
 *   is above a daily budget); waiting will not help, asking for less will (a lower max output).
 * - `reservations-in-flight`: the room is taken by reservations of requests still in flight; it
 *   frees when they settle, so `retryAfterMs` is short (at most `HOLD_RETRY_MS`, 1 s).
 * - `store-unavailable`: the store failed or timed out; `allowed` follows its fail mode.
 */
export type DecisionReason = 'allowed' | 'limit-exceeded' | 'warned' | 'exceeds-capacity' | 'reservations-in-flight' | 'store-unavailable';

/** Which limit decided (the one that denied, or the tightest one). */
export interface LimitInfo {
  /** The limited key, e.g. a user id. */
  key: string;
  dimension: CounterDimension;
  /** e.g. `per minute`, `daily`, `in flight`. */
  label: string;
  /** The limit in its own units (USD for `cost`). */
  limit: number;
  /** What this request asked of it, in the same units (tokens, USD estimate, requests). */
  requested: number;
}

/** A limiter's answer, as data. Denials are not errors. */
export interface LimitDecision {
  allowed: boolean;
  /** Units left in the tightest limit of the primary dimension (requests; tokens; USD for budgets). */
  remaining: number;
  /** Epoch ms when that limit frees room (or, when denied, when to retry). `Infinity` = never. */
  resetAt: number;
  /** 0 when allowed; when denied, how long to wait (`Infinity` when waiting will not help). */
  retryAfterMs: number;
  reason: DecisionReason;
  /** The limit that denied (or warned); absent on plain allowed decisions. */
  limit?: LimitInfo;
  /** The store error, when `reason` is `store-unavailable`. */
  error?: Error;
}

/** How warn mode and units apply when turning a store result into a decision. */
export interface DecisionContext {
  readonly mode: 'block' | 'warn';
  /** Divides `cost` counters (micro-USD) into USD. */
  readonly costScale: number;
}

/** Micro-USD per USD: budgets count integer micro-dollars so every store does exact integer math. */
export const MICRO_USD = 1_000_000;

/** Normalizes what a store threw into `STORE_FAILED` (typed errors pass through). */
export function toStoreError(store: LimitStore, error: unknown): CascadeError {
  if (CascadeError.isInstance(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new CascadeError('STORE_FAILED', `The ${store.kind} limit store failed: ${message}. Check the store, or give it a fail mode.`, { cause: error, retryable: true });
}

/** Runs one evaluation; a store that throws becomes `STORE_FAILED` with the original as cause. */
export async function evaluateOnStore(store: LimitStore, request: EvaluateRequest, abortSignal: AbortSignal | undefined): Promise<EvaluateResult> {
  try {
    return await store.evaluate(request, abortSignal ? { abortSignal } : undefined);
  } catch (error) {
    throw toStoreError(store, error);
  }
}

/** Turns a store result into a {@link LimitDecision}. */
export function toDecision(result: EvaluateResult, request: EvaluateRequest, context: DecisionContext): LimitDecision {
  if (result.unavailable) {
    return {
      allowed: result.unavailable.failMode === 'open',
      remaining: 0,
      resetAt: request.nowMs,
      retryAfterMs: result.unavailable.failMode === 'open' ? 0 : 1_000,
      reason: 'store-unavailable',
      error: result.unavailable.error,
    };
  }
  const operations = request.operations;
  // Tightest counter of the primary dimension (the first counter's dimension).
  const primary = operations[0]?.layout.counters[0]?.dimension;
  let best = -1;
  let flat = 0;
  for (let index = 0; index < operations.length; index++) {
    const counters = operations[index]!.layout.counters;
    for (let counter = 0; counter < counters.length; counter++, flat++) {
      if (counters[counter]!.dimension !== primary) continue;
      if (best === -1 || result.remaining[flat]! < result.remaining[best]!) {
        best = flat;
      }
    }
  }
  const scale = primary === 'cost' ? context.costScale : 1;
  const remaining = best === -1 ? 0 : result.remaining[best]! / scale;
  if (result.allowed) {
    return { allowed: true, remaining, resetAt: best === -1 ? request.nowMs : result.resetAt[best]!, retryAfterMs: 0, reason: 'allowed' };
  }
  const failed = limitInfo(request, result.failedOperation, result.failedCounter, context);
  const unknown = result.retryAfterMs < 0;
  const retryAfterMs = unknown ? 1_000 : result.retryAfterMs;
  if (context.mode === 'warn') {
    return { allowed: true, remaining, resetAt: request.nowMs + retryAfterMs, retryAfterMs: 0, reason: 'warned', limit: failed };
  }
  return {
    allowed: false,
    remaining,
    resetAt: request.nowMs + retryAfterMs,
    retryAfterMs,
    // The request alone above the limit (waiting will not help) vs. room taken by others' holds vs. used up.
    reason: failed.requested > failed.limit ? 'exceeds-capacity' : result.heldByReservations ? 'reservations-in-flight' : 'limit-exceeded',
    limit: failed,
  };
}

function limitInfo(request: EvaluateRequest, operationIndex: number, counterIndex: number, context: DecisionContext): LimitInfo {
  const operation = request.operations[operationIndex]!;
  const spec = operation.layout.counters[counterIndex]!;
  const capacity = operation.capacity[counterIndex]!;
  const amount = operation.amounts[counterIndex]!;
  const scale = spec.dimension === 'cost' ? context.costScale : 1;
  return { key: operation.key, dimension: spec.dimension, label: spec.label, limit: capacity / scale, requested: amount / scale };
}

/**
 * The `Retry-After` header value (whole seconds, rounded up) for a denied decision, or `undefined`
 * when it was allowed or waiting will not help.
 *
 * @example
 * const header = retryAfterHeader(decision); if (header) response.setHeader('Retry-After', header);
 */
export function retryAfterHeader(decision: LimitDecision): string | undefined {
  if (decision.allowed || !Number.isFinite(decision.retryAfterMs)) return undefined;
  return String(Math.max(1, Math.ceil(decision.retryAfterMs / 1000)));
}

/** Names a window for people: `per second`, `per minute`, `per 10 seconds`, `per day`. */
export function describeWindow(windowMs: number): string {
  const units: readonly [number, string][] = [
    [86_400_000, 'day'],
    [3_600_000, 'hour'],
    [60_000, 'minute'],
    [1_000, 'second'],
    [1, 'millisecond'],
  ];
  for (const [size, name] of units) {
    if (windowMs % size === 0) {
      const count = windowMs / size;
      return count === 1 ? `per ${name}` : `per ${count} ${name}s`;
    }
  }
  return `per ${windowMs} ms`;
}
