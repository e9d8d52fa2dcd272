import { CascadeError, abortErrorFrom } from '@cascade/core';
import type { EvaluateRequest, EvaluateResult, LimitStore } from '../counter/counter';
import { evaluateOnStore, toStoreError } from './limit-decision';
import { undoRequestOf, wasApplied } from './undo-request';

/**
 * Runs an admission (a decision that takes something) so that a caller who gives up leaves nothing
 * behind: an already aborted signal decides nothing, and an abort that lands while the store
 * decides (or between its answer and this return) undoes what the admission took — its request
 * count, its tokens, cost and concurrency slot, its hold — then rejects with `ABORTED`/`TIMEOUT`.
 * Plain promise chaining, no `async`: this is on the path of every asynchronous decision.
 */
export function admitOnStore(store: LimitStore, request: EvaluateRequest, abortSignal: AbortSignal | undefined): Promise<EvaluateResult>;
/**
 * {@link admitOnStore} mapping the result in the same step (one promise hop and no closure per call
 * on the hot path: pass a `map` made once).
 */
export function admitOnStore<T>(store: LimitStore, request: EvaluateRequest, abortSignal: AbortSignal | undefined, map: (result: EvaluateResult, request: EvaluateRequest) => T): Promise<T>;
export function admitOnStore<T>(store: LimitStore, request: EvaluateRequest, abortSignal: AbortSignal | undefined, map?: (result: EvaluateResult, request: EvaluateRequest) => T): Promise<T | EvaluateResult> {
  if (abortSignal?.aborted) return Promise.reject(abortErrorFrom(abortSignal, 'The limit check'));
  let answer: EvaluateResult | Promise<EvaluateResult>;
  try {
    answer = store.evaluate(request, abortSignal ? { abortSignal } : undefined);
  } catch (error) {
    return Promise.reject(toStoreError(store, error));
  }
  return Promise.resolve(answer).then(
    (result) => {
      if (abortSignal?.aborted) return giveUp(store, request, result, abortSignal);
      return map ? map(result, request) : result;
    },
    (error: unknown) => {
      throw toStoreError(store, error);
    },
  );
}

/** The caller aborted after the store decided: undo what the decision took, then reject. */
async function giveUp(store: LimitStore, request: EvaluateRequest, result: EvaluateResult, abortSignal: AbortSignal): Promise<never> {
  const undo = wasApplied(request, result) ? undoRequestOf(request) : undefined;
  if (undo) {
    try {
      await evaluateOnStore(store, undo, undefined);
    } catch (error) {
      throw new CascadeError('STORE_FAILED', `The limit check was aborted and undoing its admission failed; its hold lapses after the reservation lease. Check the ${store.kind} store.`, {
        cause: error,
        retryable: true,
      });
    }
  }
  throw abortErrorFrom(abortSignal, 'The limit check');
}
