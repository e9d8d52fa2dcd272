import { CascadeError, abortErrorFrom } from '@cascade/core';
import type { EvaluateRequest, EvaluateResult, LimitStore } from '../counter/counter';
import { evaluateOnStore } from './limit-decision';
import { undoRequestOf, wasApplied } from './undo-request';

/**
 * Runs an admission (a decision that takes something) so that a caller who gives up leaves nothing
 * behind: an already aborted signal decides nothing, and an abort that lands while the store
 * decides (or between its answer and this return) undoes what the admission took — its request
 * count, its tokens, cost and concurrency slot, its hold — then throws `ABORTED`/`TIMEOUT`.
 */
export async function admitOnStore(store: LimitStore, request: EvaluateRequest, abortSignal: AbortSignal | undefined): Promise<EvaluateResult> {
  if (abortSignal?.aborted) throw abortErrorFrom(abortSignal, 'The limit check');
  const result = await evaluateOnStore(store, request, abortSignal);
  if (!abortSignal?.aborted) return result;
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
