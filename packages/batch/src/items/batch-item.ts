import {
  type AgentPolicy, type CascadeInput, type ChatRequest, type Principal, agentPolicySchema, normalizeInput, parseInput, principalSchema, timeoutMsSchema,
} from '@cascade/core';
import { z } from 'zod';

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

/** The fields of a {@link BatchRequest} besides `input` (checked by `normalizeInput`); unknown fields are refused. */
const batchRequestSchema = z.strictObject({
  id: z.string().min(1).optional(),
  input: z.unknown(),
  userId: z.string().min(1).optional(),
  principal: principalSchema.optional(),
  policy: agentPolicySchema.optional(),
  timeoutMs: timeoutMsSchema.optional(),
});

const isBatchRequest = (item: BatchItem): item is BatchRequest =>
  typeof item === 'object' && item !== null && !Array.isArray(item) && 'input' in item && !('messages' in item);

/**
 * Normalizes one batch item. Bad input (a bad or unknown field, a timeout over 2³¹−1 ms, a policy out of range)
 * throws `INVALID_INPUT` naming the field (the batch records it as a failed item).
 *
 * @example
 * normalizeBatchItem('What is 2 + 2?', 0); // { index: 0, id: '0', request: { messages: [...] }, ... }
 */
export function normalizeBatchItem(item: BatchItem, index: number): NormalizedBatchItem {
  if (isBatchRequest(item)) {
    const parsed = parseInput(batchRequestSchema, item, `batch item ${rawItemId(item, index)}`);
    return {
      index,
      id: parsed.id ?? String(index),
      request: normalizeInput(item.input),
      userId: parsed.userId ?? parsed.principal?.userId,
      principal: parsed.principal,
      policy: parsed.policy,
      timeoutMs: parsed.timeoutMs,
    };
  }
  return { index, id: String(index), request: normalizeInput(item), userId: undefined, principal: undefined, policy: undefined, timeoutMs: undefined };
}

/** The id of an item that could not be normalized (its own id when it has one, else its index). */
export function rawItemId(item: BatchItem, index: number): string {
  if (isBatchRequest(item) && typeof item.id === 'string' && item.id.length > 0) return item.id;
  return String(index);
}
