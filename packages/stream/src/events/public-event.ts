import { toPublicError } from '@cascade/core';
import type { SseStreamEvent } from './sse-source';

/**
 * An event as a browser may see it (`view: 'public'`, the default of the HTTP helpers): the text,
 * when to clear it, `streamObject`'s object snapshots, guardrail stops without offsets, the final
 * text, and public errors. No costs,
 * usage, validator scores, attempts, model ids, tiers or guardrail findings.
 */
export type PublicStreamEvent =
  | { type: 'text-delta'; text: string }
  | { type: 'switch'; discardText: boolean }
  | { type: 'partial-object'; object: unknown }
  | { type: 'guardrail'; action: 'redacted' | 'stopped' | 'warned' }
  | { type: 'finish'; text: string; finishReason: string }
  | { type: 'error'; error: ReturnType<ReturnType<typeof toPublicError>['toJSON']> };

/** The public view of one event, or `undefined` for events a browser is not sent (attempts, decisions, usage). */
export function toPublicEvent(event: SseStreamEvent): PublicStreamEvent | undefined {
  switch (event.type) {
    case 'text-delta':
      return { type: 'text-delta', text: event.text };
    case 'switch':
      return { type: 'switch', discardText: event.discardText };
    case 'partial-object':
      return { type: 'partial-object', object: event.object };
    case 'guardrail':
      return { type: 'guardrail', action: event.action };
    case 'finish':
      return { type: 'finish', text: event.result.text, finishReason: event.result.finishReason };
    case 'error':
      return { type: 'error', error: toPublicError(event.error).toJSON() };
    default:
      return undefined;
  }
}
