import { z } from 'zod';
import { parseConfig } from '../errors/config-error';
import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import { checkArithmetic } from './arithmetic-check';
import { assessQueryComplexity } from './complexity';
import { countNumbers, countUnusedNumbers, extractFinalAnswer, isQuantitativeQuestion, maxDecimals, mentionsNumber } from './final-answer';
import { checkJson, jsonExpectation } from './json-check';
import type { ComplexityVerdict, PartialVerdict, QualityInput, QualitySignal, QualityValidator, QualityVerdict } from './quality-validator';
import {
  countHedges,
  endsAbruptly,
  hasRepetitionLoop,
  isLanguageMismatch,
  isRefusal,
  looksCutOff,
  requestedLength,
  violatesLength,
} from './text-signals';

/** Config of the default validator. Every check can be switched off; weights are log-odds. */
export const defaultValidatorConfigSchema = z.strictObject({
  /**
   * Log-odds that a draft with no warning signal is good enough. The score is
   * `sigmoid(prior + Σ impacts)`. @default 1.6 (a clean draft scores about 0.83)
   */
  prior: z.number().min(-6).max(6).default(1.6),
  /** Check arithmetic in worked solutions ("16 - 3 = 13"). @default true */
  arithmetic: z.boolean().default(true),
  /** Check JSON when JSON is required (responseFormat) or asked for in the prompt. @default true */
  json: z.boolean().default(true),
  /** Penalize refusals and hedging. @default true */
  hedging: z.boolean().default(true),
  /** Penalize repetition loops, language mismatch and ignored length requests. @default true */
  form: z.boolean().default(true),
  /** Use token logprobs when the provider returns them. @default true */
  logprobs: z.boolean().default(true),
  /** Let the query's difficulty (numbers to combine, length) lower the prior. @default true */
  difficulty: z.boolean().default(true),
  /**
   * Complexity score at or above which `assessComplexity` sends a query past the cheapest tier,
   * at the default quality target of 0.7 (a higher target lowers the bar). 1 disables routing. @default 0.85
   */
  routeAboveComplexity: z.number().min(0).max(1).default(0.85),
});
export type DefaultValidatorConfig = z.input<typeof defaultValidatorConfigSchema>;
type ResolvedConfig = z.output<typeof defaultValidatorConfigSchema>;

/** Impact, in log-odds, of each signal. Chosen from what each fact says about an answer in general. */
const IMPACT = {
  arithmeticFirst: -3.0,
  arithmeticMore: -0.6,
  missingFinal: -1.5,
  finalMismatch: -1.2,
  strongHedge: -1.6,
  softHedgeQuantitative: -1.2,
  softHedgeOther: -0.15,
  abruptEnd: -1.0,
  lengthIgnored: -1.6,
  jsonPrompted: -3.5,
  languageMismatch: -3.5,
  perExtraNumber: -0.15,
  verifiedSolution: 0.5,
  quantitativeTask: -1.0,
  longPrompt: -0.4,
  verboseSolution: -0.8,
  fractionalCount: -2.0,
  excessPrecision: -1.5,
  unusedNumber: -1.0,
  alteredFinal: -1.0,
  coercion: -1.0,
} as const;

/** The question itself asks for rounding or an estimate, so rounding in the answer is expected. */
const ASKS_TO_ROUND = /\b(?:round|nearest|whole|estimate|approximat)/i;
/** The answer forces a result into a whole number ("rounded up", "can't have half a bus"). */
const COERCION =
  /\b(?:round(?:ed|ing)? (?:up|down|off|to|it|this|that)|rounding|nearest (?:whole|integer|dollar|cent)|whole number|(?:can'?t|cannot|can not) (?:have|buy|sell|make|be|use|get) (?:a |an )?(?:half|fraction|partial|part of))\b/i;

const ASKS_FOR_COUNT = /\bhow many\b/i;

/** Score given to a draft a fatal signal proves unacceptable. */
const FATAL_SCORE = 0.02;
const DEFAULT_TARGET = 0.7;

function sigmoid(value: number): number {
  return 1 / (1 + Math.exp(-value));
}

/** Maps a mean token logprob to log-odds: confident text (p̄ ≥ 0.8) helps a little, unsure text hurts. */
function logprobImpact(result: ChatResult): { impact: number; detail: string } | undefined {
  const logprobs = result.logprobs;
  if (!logprobs || logprobs.length < 4) return undefined;
  let sum = 0;
  let low = 0;
  for (const item of logprobs) {
    sum += item.logprob;
    if (item.logprob < -2.3) low++; // below p = 0.1
  }
  const meanProbability = Math.exp(sum / logprobs.length);
  const lowShare = low / logprobs.length;
  const impact = Math.max(-3, Math.min(0.8, 5 * (meanProbability - 0.8) - 4 * Math.max(0, lowShare - 0.1)));
  return { impact, detail: `mean p ${meanProbability.toFixed(2)}, ${(lowShare * 100).toFixed(0)}% tokens under p 0.1` };
}

function finishSignal(result: ChatResult): QualitySignal | undefined {
  switch (result.finishReason) {
    case 'length':
      return { name: 'finish-reason', impact: -1, fatal: true, detail: 'truncated at the token limit' };
    case 'content-filter':
      return { name: 'finish-reason', impact: -1, fatal: true, detail: 'stopped by the content filter' };
    case 'error':
      return { name: 'finish-reason', impact: -1, fatal: true, detail: 'provider reported an error' };
    default:
      return undefined;
  }
}

/** Log-odds to a signal's reported impact in [-1, 1]. */
function scaled(logOdds: number): number {
  return Math.max(-1, Math.min(1, logOdds / 4));
}

function judge(config: ResolvedConfig, request: ChatRequest, draft: ChatResult, threshold: number): QualityVerdict {
  const signals: QualitySignal[] = [];
  let logOdds = config.prior;
  let fatal: QualitySignal | undefined;
  const add = (name: string, impact: number, detail?: string): void => {
    logOdds += impact;
    signals.push(detail === undefined ? { name, impact: scaled(impact) } : { name, impact: scaled(impact), detail });
  };
  const addFatal = (name: string, detail: string): void => {
    const signal: QualitySignal = { name, impact: -1, fatal: true, detail };
    signals.push(signal);
    fatal ??= signal;
  };

  const text = draft.text;
  const finish = finishSignal(draft);
  if (finish) {
    signals.push(finish);
    fatal = finish;
  }
  if (text.trim().length === 0) addFatal('empty', 'the draft has no text');
  const prompt = lastUserText(request.messages);

  if (fatal === undefined) {
    if (looksCutOff(text)) addFatal('truncation', 'the text stops mid-expression');
    if (config.hedging && isRefusal(text)) addFatal('refusal', 'the draft refuses to answer');
    if (config.json) {
      const expectation = jsonExpectation(request, prompt);
      if (expectation !== 'none') {
        const report = checkJson(request, text, expectation);
        if (!report.valid) {
          if (expectation === 'required') addFatal('json', report.detail ?? 'invalid JSON');
          else add('json', IMPACT.jsonPrompted, report.detail);
        }
      }
    }
    if (config.form && hasRepetitionLoop(text)) addFatal('repetition', 'the draft repeats itself in a loop');
  }

  if (fatal === undefined) {
    const quantitative = isQuantitativeQuestion(prompt);
    if (config.arithmetic) {
      const report = checkArithmetic(text);
      if (report.errors > 0) {
        add('arithmetic', IMPACT.arithmeticFirst + IMPACT.arithmeticMore * Math.min(3, report.errors - 1), `${report.errors}/${report.checked} wrong, e.g. "${report.firstError ?? ''}"`);
      }
      if (quantitative) {
        const final = extractFinalAnswer(text);
        if (final === undefined) add('final-answer', IMPACT.missingFinal, 'no final number');
        else {
          if (report.lastResult !== undefined && final.marked && !nearlyEqual(final.value, report.lastResult)) {
            add('final-answer', IMPACT.finalMismatch, `final ${final.value} ≠ last result ${report.lastResult}`);
          } else if (report.errors === 0 && report.checked >= 2 && report.lastResult !== undefined && nearlyEqual(final.value, report.lastResult)) {
            add('verified', IMPACT.verifiedSolution, `${report.checked} equalities hold, final answer is the last result`);
          }
          // A stated answer that no step computed and the question does not give, yet within the
          // mismatch tolerance of the last result, quietly rounds or alters what was computed.
          const mismatched = report.lastResult !== undefined && !nearlyEqual(final.value, report.lastResult);
          if (final.marked && !mismatched && report.results.length > 0 && !isAmong(final.value, report.results) && !mentionsNumber(prompt, final.value)) {
            add('final-answer', IMPACT.alteredFinal, `final ${final.value} alters the computed ${report.lastResult ?? ''}`);
          }
          if (!Number.isInteger(final.value)) {
            // Counts are whole; other answers may be fractional, but a result more precise than all
            // of its data ("3.33" from whole numbers, "3.125" from dollars and cents) is an inexact step.
            if (ASKS_FOR_COUNT.test(prompt)) add('final-answer', IMPACT.fractionalCount, `fractional count ${final.value}`);
            else if (final.decimals > maxDecimals(prompt)) add('final-answer', IMPACT.excessPrecision, `${final.value} is more precise than the question's numbers`);
          }
        }
      }
    }
    if (quantitative) {
      // A worked solution that never mentions a quantity of the question usually misread it.
      const unused = countUnusedNumbers(prompt, text);
      if (unused > 0) add('coverage', IMPACT.unusedNumber * Math.min(2, unused), `${unused} number(s) of the question unused`);
    }
    // Forcing a result to a whole number the question never asked for patches a setup that did not come out even.
    if (quantitative && config.hedging && COERCION.test(text) && !ASKS_TO_ROUND.test(prompt)) add('coercion', IMPACT.coercion, 'rounds a result to a whole number unasked');
    if (quantitative && endsAbruptly(text) && extractFinalAnswer(text)?.marked !== true) add('truncation', IMPACT.abruptEnd, 'ends without punctuation');
    if (config.hedging) {
      const hedges = countHedges(text);
      if (hedges.strong > 0) add('hedging', IMPACT.strongHedge * Math.min(2, hedges.strong), `${hedges.strong} expression(s) of doubt`);
      if (hedges.soft > 0) {
        const weight = quantitative ? IMPACT.softHedgeQuantitative : IMPACT.softHedgeOther;
        add('hedging', weight * Math.min(2, hedges.soft), `${hedges.soft} patch word(s)`);
      }
    }
    if (config.form) {
      if (isLanguageMismatch(prompt, text)) add('language', IMPACT.languageMismatch, 'answer in another script than the question');
      const length = requestedLength(prompt);
      if (length && violatesLength(length, text)) add('format', IMPACT.lengthIgnored, `ignores the requested ${length.unit} count`);
    }
    if (config.difficulty && quantitative) {
      // Each quantity beyond four is one more step to get wrong; long statements hide traps.
      const numbers = countNumbers(prompt);
      // Multi-step quantitative work is where drafting models fail most, against the same prior.
      let impact = IMPACT.quantitativeTask + IMPACT.perExtraNumber * Math.max(-2, Math.min(8, numbers - 4));
      impact += IMPACT.longPrompt * Math.max(-0.5, Math.min(1.5, (prompt.length - 250) / 250));
      // A solution much longer than the problem usually means the model is struggling with it.
      if (text.length > 2 * prompt.length + 200) impact += IMPACT.verboseSolution;
      add('difficulty', impact, `${numbers} numbers, ${prompt.length} chars`);
    }
    if (config.logprobs) {
      const confidence = logprobImpact(draft);
      if (confidence) add('logprob-confidence', confidence.impact, confidence.detail);
    }
  }

  const score = fatal ? Math.min(FATAL_SCORE, sigmoid(logOdds)) : sigmoid(logOdds);
  const passed = score >= threshold;
  let reason: string;
  if (fatal) reason = `${fatal.name}: ${fatal.detail ?? 'unacceptable'}`;
  else {
    let worst: QualitySignal | undefined;
    for (const signal of signals) if (signal.impact < 0 && (worst === undefined || signal.impact < worst.impact)) worst = signal;
    const because = worst ? ` (worst: ${worst.name}${worst.detail ? `, ${worst.detail}` : ''})` : '';
    reason = `score ${score.toFixed(2)} ${passed ? '≥' : '<'} target ${threshold.toFixed(2)}${because}`;
  }
  return { score, passed, signals, reason };
}

/** True when `value` is one of `results`, also as a percent's fraction or the reverse (0.25 and 25). */
function isAmong(value: number, results: readonly number[]): boolean {
  for (const result of results) {
    if (sameNumber(result, value) || sameNumber(result * 100, value) || sameNumber(result, value * 100)) return true;
  }
  return false;
}

function sameNumber(left: number, right: number): boolean {
  return Math.abs(left - right) <= 1e-6 * Math.max(1, Math.abs(left), Math.abs(right));
}

function nearlyEqual(left: number, right: number): boolean {
  return Math.abs(left - right) <= 1e-6 * Math.max(1, Math.abs(left), Math.abs(right)) || Math.abs(left - right) < 0.5;
}

/** Only complete lines are judged mid-stream: "16 - 3 = 1" may still become "= 13". */
function completeLines(text: string): string {
  const newline = text.lastIndexOf('\n');
  return newline < 0 ? '' : text.slice(0, newline);
}

/**
 * The default quality validator: judges a draft only from what a live system sees — the request
 * and the draft (text, finish reason, logprobs) — never from labels or another model's answer.
 *
 * How it decides: each fact moves the log-odds that the draft is good enough, starting from
 * `prior`; the score is their sigmoid, read as a probability, and the draft passes when
 * `score >= threshold` (the policy's quality target), so a higher target escalates more.
 * - Fatal (score ≤ 0.02): empty text, finish reason `length`/`content-filter`/`error`, text cut off
 *   mid-expression, a refusal, a repetition loop, invalid JSON when `responseFormat` requires it.
 * - Proofs of error: arithmetic that does not hold ("16 - 3 = 12", "<<9*2=20>>"), a marked final
 *   answer that differs from the last computed result, no final number to a quantitative question.
 * - Doubt: hedges ("I'm not sure", "cannot be determined"); in worked solutions also patches
 *   ("however", "assuming", "approximately") and rounding to a whole number the question never asked for.
 * - Unreliable final answers: one that quietly alters the computed result (2.33 stated as 2) and
 *   no step computed, one more precise than every number of the question (3.333 from whole data).
 * - Form: JSON asked in words but invalid, another script than the question, an ignored length.
 * - Confidence: mean token probability when logprobs are present.
 * - Difficulty of a quantitative question (many numbers, long statement, a rambling solution).
 *
 * Every check is linear in the text; see `checkArithmetic` for the expression scanner.
 *
 * @param config - switches and weights, see {@link defaultValidatorConfigSchema}.
 * @example
 * const validator = createDefaultValidator();
 * const verdict = validator.validate({
 *   request: { messages: [{ role: 'user', content: 'Tom has 16 eggs and eats 3. How many are left?' }] },
 *   draft: { text: '16 - 3 = 12. #### 12', finishReason: 'stop', usage: { inputTokens: 20, outputTokens: 8, source: 'provider' } },
 *   modelId: 'gpt-4o-mini',
 *   threshold: 0.7,
 * });
 * verdict.passed; // false: the arithmetic does not hold
 */
export function createDefaultValidator(config: DefaultValidatorConfig = {}): QualityValidator {
  const options = parseConfig(defaultValidatorConfigSchema, config, 'default validator config');
  return {
    name: 'default',
    validate: (input: QualityInput): QualityVerdict => judge(options, input.request, input.draft, input.threshold),
    assessComplexity(request: ChatRequest, tierCount: number, threshold: number): ComplexityVerdict {
      return assessQueryComplexity(request, tierCount, threshold, options.routeAboveComplexity, DEFAULT_TARGET);
    },
    checkPartial(request: ChatRequest, partialText: string): PartialVerdict {
      if (options.hedging && partialText.length >= 12 && isRefusal(partialText)) return { failing: true, reason: 'refusal' };
      const lines = completeLines(partialText);
      if (lines.length === 0) return { failing: false };
      if (options.form && hasRepetitionLoop(lines)) return { failing: true, reason: 'repetition loop' };
      if (options.arithmetic) {
        const report = checkArithmetic(lines);
        if (report.errors > 0) return { failing: true, reason: `arithmetic: ${report.firstError ?? ''}` };
      }
      if (options.form && lines.length >= 200 && isLanguageMismatch(lastUserText(request.messages), lines)) return { failing: true, reason: 'language mismatch' };
      return { failing: false };
    },
  };
}
