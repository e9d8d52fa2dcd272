import { type CascadeResult, type Pricing, countTokens } from '@cascade/core';
import type { TraceSet } from '../data/trace-set';

/** One answered request, as the report needs it. */
export interface LedgerEntry {
  userId: string;
  tier: string;
  modelId: string;
  escalated: boolean;
  /** Drafts the validator judged (accepted or escalated). */
  validatedDrafts: number;
  /** Drafts the validator accepted. */
  acceptedDrafts: number;
  /** Cheap drafts skipped: by adaptive routing (they would not have paid at the user's target) or by the learner routing past the drafter. */
  draftsSkipped: number;
  /** The answer came from the cheapest configured model. */
  cheapestAnswered: boolean;
  costUsd: number;
  /** What answering with the strongest model alone costs (its recorded answer in replay, else core's baseline). */
  strongCostUsd: number;
  latencyMs: number;
  /** Label of the returned answer (replay only). */
  quality: number | undefined;
  /** Label of the strongest model's answer to the same query (replay only). */
  strongQuality: number | undefined;
  /** The drafter whose learned estimate decided this request (`result.learning.drafterId`), if the learner did. */
  drafterId: string | undefined;
}

/** Denials and blocks seen along the way. */
export interface LedgerDenial {
  userId: string;
  tier: string;
  code: string;
  retryAfterMs: number | undefined;
}

/** Collects every result and denial of a run for the closing report. */
export interface RunLedger {
  /** Records a result; `prompt` (the last user message) links it to its trace for the labels. */
  record(result: CascadeResult, request: { userId: string; prompt: string | undefined }): LedgerEntry;
  deny(denial: LedgerDenial): void;
  readonly entries: readonly LedgerEntry[];
  readonly denials: readonly LedgerDenial[];
}

/**
 * Creates a ledger. In replay mode the trace labels give quality (the validator never sees them):
 * the label of the answer the cascade returned, and the label of the strong model's answer.
 */
export function createRunLedger(options: { traceSet: TraceSet | undefined; pricing: Pricing; strongModelId: string }): RunLedger {
  const entries: LedgerEntry[] = [];
  const denials: LedgerDenial[] = [];
  const { traceSet, pricing, strongModelId } = options;

  function strongCost(result: CascadeResult, prompt: string | undefined): number {
    const trace = prompt === undefined ? undefined : traceSet?.traceOfPrompt(prompt);
    const strongText = trace?.responses[strongModelId]?.text;
    if (strongText === undefined) return result.baselineCostUsd;
    const inputTokens = result.attempts[0]?.usage.inputTokens ?? 0;
    return pricing.costOf(strongModelId, { inputTokens, outputTokens: countTokens(strongText), source: 'estimated' });
  }

  return {
    entries,
    denials,
    record(result, { userId, prompt }) {
      const trace = prompt === undefined ? undefined : traceSet?.traceOfPrompt(prompt);
      const entry: LedgerEntry = {
        userId,
        tier: result.principal?.tier ?? 'none',
        modelId: result.modelId,
        escalated: result.escalated,
        validatedDrafts: result.attempts.filter((attempt) => attempt.status === 'accepted' || attempt.status === 'escalated').length,
        acceptedDrafts: result.attempts.filter((attempt) => attempt.status === 'accepted').length,
        // Adaptive routing's skips, or the learner routing past the drafter (route, explore).
        draftsSkipped: (result.routing.adaptive?.skipped.length ?? 0) + (result.learning?.decision === 'route' || result.learning?.decision === 'explore' ? 1 : 0),
        cheapestAnswered: result.tier === 0,
        costUsd: result.costUsd,
        strongCostUsd: strongCost(result, prompt),
        latencyMs: result.latencyMs,
        quality: trace ? traceSet?.label(trace.id, result.modelId)?.quality : undefined,
        strongQuality: trace ? traceSet?.label(trace.id, strongModelId)?.quality : undefined,
        drafterId: result.learning?.drafterId,
      };
      entries.push(entry);
      return entry;
    },
    deny(denial) {
      denials.push(denial);
    },
  };
}
