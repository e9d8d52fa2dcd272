import type { CallOptions, ChatModel } from '../model/chat-model';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import { type TokenUsage, ZERO_USAGE, addUsage } from '../model/token-usage';
import { answerEvidence } from './compare-answers';
import { type DraftAgreement, agreementOf } from './draft-signals';

/** The drafts of one drafter for one request and what they cost together. */
export interface SampledDrafts {
  /** The answer to judge and return: the majority draft (the only one when `samples` is 1). */
  draft: ChatResult;
  /** Usage of every call made for the samples (what the attempt costs). */
  usage: TokenUsage;
  /** How the samples agree; undefined with one sample. */
  agreement?: DraftAgreement;
  /** Drafts actually obtained (failed parallel calls are left out). */
  samples: number;
}

/**
 * Drafts `samples` answers: one call with `choiceCount` where the model supports it (topped up with
 * parallel calls when the provider returned fewer), else `samples` parallel calls. Failed parallel
 * calls are dropped as long as one draft came back; when all fail, the first error is thrown. Every
 * call's usage is summed, so the attempt is charged all of them.
 */
export async function sampleDrafts(model: ChatModel, request: ChatRequest, samples: number, callOptions: CallOptions | undefined): Promise<SampledDrafts> {
  if (samples <= 1) {
    const draft = await model.doGenerate(request, callOptions);
    return { draft, usage: draft.usage, samples: 1 };
  }
  const drafts: ChatResult[] = [];
  let usage: TokenUsage = ZERO_USAGE;
  if (model.supportsChoiceCount === true) {
    const result = await model.doGenerate({ ...request, choiceCount: samples }, callOptions);
    usage = result.usage;
    const choices = result.choices && result.choices.length > 0 ? result.choices : [result];
    // The provider bills the choices together: each draft reports an even share of the output.
    const share: TokenUsage = { ...result.usage, outputTokens: Math.round(result.usage.outputTokens / choices.length) };
    for (const choice of choices.slice(0, samples)) {
      drafts.push({ ...choice, usage: share, ...(result.responseId ? { responseId: result.responseId } : {}), ...(result.responseModelId ? { responseModelId: result.responseModelId } : {}) });
    }
  }
  const missing = samples - drafts.length;
  if (missing > 0) {
    const settled = await Promise.allSettled(Array.from({ length: missing }, () => model.doGenerate(request, callOptions)));
    let firstError: unknown;
    for (const outcome of settled) {
      if (outcome.status === 'fulfilled') {
        drafts.push(outcome.value);
        usage = addUsage(usage, outcome.value.usage);
      } else firstError ??= outcome.reason;
    }
    if (drafts.length === 0) throw firstError;
    // An abort fails every call: never answer from a request the caller stopped.
    if (callOptions?.abortSignal?.aborted) throw firstError ?? callOptions.abortSignal.reason;
  }
  if (drafts.length === 1) return { draft: drafts[0]!, usage, samples: 1 };
  const agreement = agreementOf(request, drafts.map(answerEvidence));
  return { draft: drafts[agreement.index]!, usage, agreement, samples: drafts.length };
}
