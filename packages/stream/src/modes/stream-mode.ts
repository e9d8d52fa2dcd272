import { type AgentPolicy, isFeatureEnabled } from '@cascade/core';
import type { StreamMode } from '../options/stream-options';

/** How one attempt is streamed. */
export interface AttemptStrategy {
  /** Call `doStream` (true) or `doGenerate` (false: the policy switched streaming off). */
  stream: boolean;
  /** Hold the attempt's text until its draft is accepted (the client never sees a rejected draft). */
  hold: boolean;
  /** Check the partial draft while it streams and abandon it as soon as it is clearly failing. */
  partialChecks: boolean;
}

/** The mode a request runs in: the call's, else the policy's `streamMode`, else `buffered` (never shows a rejected draft). */
export function resolveStreamMode(callMode: StreamMode | undefined, policy: AgentPolicy): StreamMode {
  return callMode ?? policy.streamMode ?? 'buffered';
}

/**
 * Decides how to stream one attempt. Only drafts that will be validated are held or checked: the last
 * tier (and any tier when validation is off) streams live in every mode. A policy that switches the
 * `streaming` feature off runs `doGenerate` and holds everything until the answer is chosen.
 */
export function attemptStrategy(mode: StreamMode, policy: AgentPolicy, willValidate: boolean): AttemptStrategy {
  if (!isFeatureEnabled(policy, 'streaming')) return { stream: false, hold: true, partialChecks: false };
  return {
    stream: true,
    hold: mode === 'buffered' && willValidate,
    partialChecks: mode === 'early-escalation' && willValidate,
  };
}
