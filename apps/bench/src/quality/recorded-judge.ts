import { CascadeError, type ChatMessage, type ChatRequest, type Pricing, countMessageTokens, lastUserText, throwIfAborted } from '@cascade/core';
import { type Trace, promptKey } from '@cascade/core/replay';

/** What a judge call is asked: the instruction a real LLM judge would get (counted for its price). */
export const JUDGE_INSTRUCTION =
  'You are an impartial judge. Rate each of the two answers below to the user question for helpfulness, correctness, depth and clarity, ' +
  'on a scale of 1 to 10. Reply with two lines only: "A: <score>" and "B: <score>".';

/** Output tokens of one verdict ("A: 7\nB: 9" and the end of turn). */
export const JUDGE_OUTPUT_TOKENS = 8;

/** One judge call: scores 0..1 of the draft and of the reference, and its price. */
export interface RecordedVerdict {
  draftScore: number;
  referenceScore: number;
  costUsd: number;
}

/** The recorded judge of a `score`-labelled trace file (structurally core's `QualityJudge`). */
export interface RecordedJudge {
  judge(input: { request: ChatRequest; draft: string; reference: string; abortSignal?: AbortSignal }): Promise<RecordedVerdict>;
  /** Calls made and their total price, for the report. */
  readonly calls: number;
  readonly costUsd: number;
}

/** The messages a real judge would be sent for one comparison; their tokens price the call. */
export function judgeMessages(prompt: string, draft: string, reference: string): ChatMessage[] {
  return [
    { role: 'system', content: JUDGE_INSTRUCTION },
    { role: 'user', content: `[Question]\n${prompt}\n\n[Answer A]\n${draft}\n\n[Answer B]\n${reference}` },
  ];
}

/**
 * A `QualityJudge` for replayed `score`-labelled traces: it returns the recorded judge scores of the two
 * answers (the file's `score` labels are GPT-4 judge scores) and prices the call as what it stands
 * for — a call of `judgeModelId` on the prompt, both answers and a judge instruction, with a few output
 * tokens. The agent only ever learns a score through this paid call; it never reads the labels.
 *
 * @throws Error naming the prompt when an answer is not one of the recorded ones (the bench is wired wrong).
 */
export function createRecordedJudge(options: { traces: readonly Trace[]; judgeModelId: string; pricing: Pricing }): RecordedJudge {
  const byPrompt = new Map(options.traces.map((trace) => [promptKey(trace.prompt), trace]));
  let calls = 0;
  let spent = 0;

  const scoreOf = (trace: Trace, text: string): number => {
    for (const response of Object.values(trace.responses)) {
      if (response.text === text && typeof response.score === 'number') return response.score;
    }
    throw new CascadeError('INVALID_INPUT', `Trace ${trace.id} has no recorded score for the answer "${text.slice(0, 60)}…": the recorded judge only scores replayed answers.`);
  };

  return {
    get calls() {
      return calls;
    },
    get costUsd() {
      return spent;
    },
    judge({ request, draft, reference, abortSignal }) {
      throwIfAborted(abortSignal, 'Judge call');
      const prompt = lastUserText(request.messages);
      const trace = byPrompt.get(promptKey(prompt));
      if (!trace) return Promise.reject(new CascadeError('INVALID_INPUT', `No trace for the prompt "${prompt.slice(0, 60)}…": the recorded judge only scores replayed prompts.`));
      try {
        const draftScore = scoreOf(trace, draft);
        const referenceScore = scoreOf(trace, reference);
        const inputTokens = countMessageTokens(judgeMessages(prompt, draft, reference));
        const costUsd = options.pricing.costOf(options.judgeModelId, { inputTokens, outputTokens: JUDGE_OUTPUT_TOKENS, source: 'estimated' });
        calls++;
        spent += costUsd;
        return Promise.resolve({ draftScore, referenceScore, costUsd });
      } catch (error) {
        return Promise.reject(error instanceof Error ? error : new Error(String(error)));
      }
    },
  };
}
