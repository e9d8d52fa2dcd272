import { type ChatRequest, type QualityValidator, type TokenUsage } from '@cascade/core';
import type { Trace } from '@cascade/core/replay';
import type { TraceSet } from '../data/trace-set';

/** The questions of each tour step. */
export interface TourQuestions {
  /** Streamed live; in replay, one whose cheap draft the validator rejects, to show an escalation. */
  stream: string;
  /** The batch. */
  batch: readonly string[];
  /** FREE users' questions (rate limit and budget). */
  free: readonly string[];
  /** Asked with PII around it. */
  pii: string;
}

const LIVE_QUESTIONS = [
  'A train leaves at 3:40 pm and the trip takes 2 hours 35 minutes. When does it arrive?',
  'What is 17 * 23?',
  'Name three prime numbers greater than 50.',
  'Write a haiku about autumn rain.',
  'Explain in two sentences why the sky is blue.',
  'If a shirt costs $25 after a 20% discount, what was the original price?',
  'Summarize the plot of Romeo and Juliet in one sentence.',
  'Convert 72 degrees Fahrenheit to Celsius.',
];

const request = (prompt: string): ChatRequest => ({ messages: [{ role: 'user', content: prompt }] });
const usage: TokenUsage = { inputTokens: 0, outputTokens: 0, source: 'estimated' };

/**
 * Picks the tour's questions. In replay, the streamed question is the first GSM8K query whose
 * recorded cheap draft the validator (not the labels) rejects, so the stream shows an escalation.
 */
export async function pickTourQuestions(traceSet: TraceSet | undefined, validator: QualityValidator, threshold: number): Promise<TourQuestions> {
  if (!traceSet) {
    return { stream: LIVE_QUESTIONS[0]!, batch: LIVE_QUESTIONS, free: [...LIVE_QUESTIONS, ...LIVE_QUESTIONS].slice(0, 12), pii: LIVE_QUESTIONS[1]! };
  }
  const cheap = traceSet.modelIds[0]!;
  const tierCount = traceSet.modelIds.length;
  const gsm = traceSet.traces.filter((trace) => trace.dataset === 'gsm8k');
  const pool = gsm.length >= 20 ? gsm : traceSet.traces;
  const startsCheap = (trace: Trace): boolean => (validator.assessComplexity?.(request(trace.prompt), tierCount, threshold).startTier ?? 0) === 0;
  let stream: Trace | undefined;
  for (const trace of pool) {
    const text = trace.responses[cheap]?.text;
    if (text === undefined || !startsCheap(trace)) continue;
    const verdict = await validator.validate({ request: request(trace.prompt), draft: { text, finishReason: 'stop', usage }, modelId: cheap, threshold });
    if (!verdict.passed) {
      stream = trace;
      break;
    }
  }
  stream ??= pool[0]!;
  const rest = traceSet.traces.filter((trace) => trace !== stream);
  const others = rest.filter((trace) => trace.dataset !== 'gsm8k');
  const gsmRest = rest.filter((trace) => trace.dataset === 'gsm8k');
  // FREE users and PII take short GSM8K questions; the batch takes the rest (GSM8K and MT-bench).
  const free = gsmRest.slice(0, 12).map((trace) => trace.prompt);
  const pii = gsmRest[12]?.prompt ?? stream.prompt;
  const batch = [...gsmRest.slice(13), ...others].slice(0, 60).map((trace) => trace.prompt);
  return { stream: stream.prompt, batch, free, pii };
}
