import { type AgentPolicy, type CascadeInput, CascadeError, type ChatRequest, type Principal, normalizeInput } from '@cascade/core';

/** One item of a batch with its own id, user and options. */
export interface BatchRequest {
  /** Your id for the item, echoed on its result. @default its index as a string */
  id?: string;
  /** A prompt, messages, or a full `ChatRequest`. */
  input: CascadeInput;
  /** Who is asking (resolvers map it to a principal and a tier). */
  userId?: string;
  /** A principal resolved by the caller. */
  principal?: Principal;
  /** Narrows the policy for this item (models only ever narrow). */
  policy?: AgentPolicy;
  /** Overrides the batch's `itemTimeoutMs` for this item. */
  timeoutMs?: number;
}

/** What a batch accepts per item: a prompt, messages, a `ChatRequest`, or a {@link BatchRequest}. */
export type BatchItem = CascadeInput | BatchRequest;

/** An item after normalization: its index, id and request. */
export interface NormalizedBatchItem {
  index: number;
  id: string;
  request: ChatRequest;
  userId: string | undefined;
  principal: Principal | undefined;
  policy: AgentPolicy | undefined;
  timeoutMs: number | undefined;
}

const isBatchRequest = (item: BatchItem): item is BatchRequest =>
  typeof item === 'object' && item !== null && !Array.isArray(item) && 'input' in item && !('messages' in item);

/**
 * Normalizes one batch item. Bad input throws `INVALID_INPUT` (the batch records it as a failed item).
 *
 * @example
 * normalizeBatchItem('What is 2 + 2?', 0); // { index: 0, id: '0', request: { messages: [...] }, ... }
 */
export function normalizeBatchItem(item: BatchItem, index: number): NormalizedBatchItem {
  if (isBatchRequest(item)) {
    if (item.id !== undefined && (typeof item.id !== 'string' || item.id.length === 0)) {
      throw new CascadeError('INVALID_INPUT', `Batch item ${index}: id must be a non-empty string.`);
    }
    if (item.timeoutMs !== undefined && !(Number.isInteger(item.timeoutMs) && item.timeoutMs > 0)) {
      throw new CascadeError('INVALID_INPUT', `Batch item ${item.id ?? index}: timeoutMs must be a positive integer.`);
    }
    return {
      index,
      id: item.id ?? String(index),
      request: normalizeInput(item.input),
      userId: item.userId ?? item.principal?.userId,
      principal: item.principal,
      policy: item.policy,
      timeoutMs: item.timeoutMs,
    };
  }
  return { index, id: String(index), request: normalizeInput(item), userId: undefined, principal: undefined, policy: undefined, timeoutMs: undefined };
}

/** The id of an item that could not be normalized (its own id when it has one, else its index). */
export function rawItemId(item: BatchItem, index: number): string {
  if (isBatchRequest(item) && typeof item.id === 'string' && item.id.length > 0) return item.id;
  return String(index);
}
