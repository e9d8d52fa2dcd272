import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import { countNumbers, isQuantitativeQuestion } from './final-answer';
import type { ComplexityVerdict, QualitySignal } from './quality-validator';

/** Tasks that small models fail far more often than large ones: proofs, algorithms with bounds, multi-step derivations. */
const HARD_TASK =
  /\b(?:prove|proof|derive|derivation|theorem|lemma|time complexity|space complexity|o\(1\) space|o\(n\)|dynamic programming|optimi[sz]e|np-hard|formal(?:ly)? verif|step[- ]by[- ]step reasoning|rigorous)\b/i;

/**
 * Judges a query before any draft. The score adds up, capped at 1:
 * - a hard task word (prove, derive, time complexity, dynamic programming…): +0.45;
 * - a long prompt: up to +0.25 (linear from 1,000 to 6,000 chars);
 * - a quantitative question with many numbers to combine: +0.05 per number beyond 4, up to +0.3;
 * - several questions in one message: +0.1 per extra `?`, up to +0.2.
 *
 * The query starts at tier 1 (skipping the cheapest draft) when the score reaches
 * `routeAbove - (threshold - defaultTarget)`: a stricter quality target routes more. It never skips
 * more than one tier, and never with a single tier.
 */
export function assessQueryComplexity(
  request: ChatRequest,
  tierCount: number,
  threshold: number,
  routeAbove: number,
  defaultTarget: number,
): ComplexityVerdict {
  const prompt = lastUserText(request.messages);
  const signals: QualitySignal[] = [];
  let score = 0;
  const head = prompt.length > 8000 ? prompt.slice(0, 8000) : prompt;
  if (HARD_TASK.test(head)) {
    score += 0.45;
    signals.push({ name: 'hard-task', impact: -0.45 });
  }
  if (prompt.length > 1000) {
    const impact = Math.min(0.25, ((prompt.length - 1000) / 5000) * 0.25);
    score += impact;
    signals.push({ name: 'long-prompt', impact: -impact, detail: `${prompt.length} chars` });
  }
  if (isQuantitativeQuestion(head)) {
    const numbers = countNumbers(head);
    const impact = Math.min(0.3, Math.max(0, numbers - 4) * 0.05);
    if (impact > 0) {
      score += impact;
      signals.push({ name: 'many-numbers', impact: -impact, detail: `${numbers} numbers` });
    }
  }
  let questions = 0;
  for (let index = head.indexOf('?'); index >= 0 && questions < 4; index = head.indexOf('?', index + 1)) questions++;
  if (questions > 1) {
    const impact = Math.min(0.2, (questions - 1) * 0.1);
    score += impact;
    signals.push({ name: 'several-questions', impact: -impact });
  }
  score = Math.min(1, score);
  const bar = routeAbove - (threshold - defaultTarget);
  const startTier = tierCount > 1 && routeAbove < 1 && score >= bar ? 1 : 0;
  return { score, startTier, signals };
}
