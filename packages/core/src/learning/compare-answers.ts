import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import type { ChatResult } from '../model/chat-result';
import { extractFinalAnswer } from '../quality/final-answer';
import { jsonCandidate } from '../quality/json-check';
import { type AnswerKind, optionLetters, requestKind } from './answer-kind';

const TOOL_CALLS_PREFIX = '\u0000tool-calls\u0000';

/**
 * What the learner keeps of an answer to compare it later: its text, or, when it called tools, its
 * calls (names and arguments, ids left out) behind a marker that no text answer starts with.
 */
export function answerEvidence(answer: Pick<ChatResult, 'text' | 'toolCalls'>): string {
  if (!answer.toolCalls || answer.toolCalls.length === 0) return answer.text;
  return TOOL_CALLS_PREFIX + JSON.stringify(answer.toolCalls.map((call) => [call.function.name, call.function.arguments]));
}

function parseToolCallEvidence(evidence: string): { name: string; args: unknown }[] | undefined {
  if (!evidence.startsWith(TOOL_CALLS_PREFIX)) return undefined;
  const pairs = JSON.parse(evidence.slice(TOOL_CALLS_PREFIX.length)) as [string, string][];
  return pairs.map(([name, args]) => {
    try {
      return { name, args: JSON.parse(args === '' ? '{}' : args) as unknown };
    } catch {
      return { name, args: { unparsed: args } };
    }
  });
}

/**
 * Tool-call answers agree when they call the same tools with equivalent arguments (JSON values equal,
 * key order ignored, numbers within 1e-6), in any order. A tool call against a text answer disagrees.
 */
function compareToolCallEvidence(kind: AnswerKind, draft: string, reference: string): Comparison {
  const left = parseToolCallEvidence(draft);
  const right = parseToolCallEvidence(reference);
  if (!left || !right) return { verdict: 'disagree', kind, detail: left ? 'the draft called a tool; the reference answered in text' : 'the reference called a tool; the draft answered in text' };
  if (left.length !== right.length) return { verdict: 'disagree', kind, detail: `${left.length} vs ${right.length} tool calls` };
  const unmatched = [...right];
  for (const call of left) {
    const at = unmatched.findIndex((other) => other.name === call.name && sameJson(call.args, other.args));
    if (at < 0) return { verdict: 'disagree', kind, detail: `no matching call for ${call.name}` };
    unmatched.splice(at, 1);
  }
  return { verdict: 'agree', kind, detail: `same tool calls: ${left.map((call) => call.name).join(', ')}` };
}

/** Whether two answers to one request say the same thing. `undecidable` when the comparator cannot tell: it never guesses. */
export interface Comparison {
  verdict: 'agree' | 'disagree' | 'undecidable';
  kind: AnswerKind;
  detail?: string;
}

const MARKED_LETTER = /\b(?:answer(?: is)?|option|choice)\s*(?:is|:)?\s*\(?([A-J])\b/gi;

/** The option letter an answer picks: a bare leading letter ("C", "(B) east", "D."), else the last "answer is X". */
export function extractChoice(text: string, letters: string): string | undefined {
  const trimmed = text.trim();
  const lead = /^\(?([A-J])(?:[).:,\s]|$)/.exec(trimmed);
  if (lead && letters.includes(lead[1]!)) return lead[1];
  MARKED_LETTER.lastIndex = 0;
  let found: string | undefined;
  for (let match = MARKED_LETTER.exec(trimmed); match !== null; match = MARKED_LETTER.exec(trimmed)) {
    if (letters.includes(match[1]!.toUpperCase())) found = match[1]!.toUpperCase();
  }
  return found;
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const candidate = jsonCandidate(text, false);
  if (candidate === undefined) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(candidate) as unknown };
  } catch {
    return { ok: false };
  }
}

/** Deep equality of parsed JSON values; key order does not matter, array order does. */
function sameJson(left: unknown, right: unknown): boolean {
  if (left === right) return true;
  if (typeof left === 'number' && typeof right === 'number') return sameNumber(left, right);
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left) !== Array.isArray(right)) return false;
  if (Array.isArray(left)) {
    const other = right as unknown[];
    return left.length === other.length && left.every((item, index) => sameJson(item, other[index]));
  }
  const leftKeys = Object.keys(left);
  const rightRecord = right as Record<string, unknown>;
  if (leftKeys.length !== Object.keys(rightRecord).length) return false;
  return leftKeys.every((key) => Object.prototype.hasOwnProperty.call(rightRecord, key) && sameJson((left as Record<string, unknown>)[key], rightRecord[key]));
}

function sameNumber(left: number, right: number): boolean {
  return Math.abs(left - right) <= 1e-6 * Math.max(1, Math.abs(left), Math.abs(right));
}

/** The fenced code blocks of an answer joined, or the whole answer when it has none. */
function codeOf(text: string): string {
  if (!text.includes('```')) return text;
  const blocks: string[] = [];
  const fence = /```[^\n]*\n([\s\S]*?)```/g;
  for (let match = fence.exec(text); match !== null; match = fence.exec(text)) blocks.push(match[1]!);
  return blocks.length > 0 ? blocks.join('\n') : text;
}

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 160;

/** Index of the next character to compare: whitespace skipped, and in code `#` / `//` comments to the end of the line. */
function skip(text: string, index: number, comments: boolean): number {
  while (index < text.length) {
    const code = text.charCodeAt(index);
    if (isSpace(code)) {
      index++;
      continue;
    }
    const startsComment = comments && (code === 35 || (code === 47 && text.charCodeAt(index + 1) === 47)) && (index === 0 || isSpace(text.charCodeAt(index - 1)));
    if (!startsComment) break;
    while (index < text.length && text.charCodeAt(index) !== 10) index++;
  }
  return index;
}

/**
 * True when two texts are the same once whitespace (and, for code, comments) is ignored — case too
 * for prose, and a closing period. One pass without copies, stopping at the first difference.
 */
function sameModuloSpace(left: string, right: string, code: boolean): boolean {
  let i = skip(left, 0, code);
  let j = skip(right, 0, code);
  while (i < left.length && j < right.length) {
    let a = left.charCodeAt(i);
    let b = right.charCodeAt(j);
    if (!code) {
      if (a >= 65 && a <= 90) a += 32;
      if (b >= 65 && b <= 90) b += 32;
    }
    if (a !== b) return false;
    i = skip(left, i + 1, code);
    j = skip(right, j + 1, code);
  }
  const rest = (text: string, index: number): boolean => {
    // Only closing punctuation may remain in prose ("Paris." vs "Paris").
    for (let at = index; at < text.length; at = skip(text, at + 1, code)) if (code || (text.charCodeAt(at) !== 46 && text.charCodeAt(at) !== 33)) return false;
    return true;
  };
  return rest(left, i) && rest(right, j);
}

/** Lengths too far apart for the texts to be the same after normalising whitespace and case: skip the work. */
function clearlyDifferent(left: string, right: string): boolean {
  return Math.abs(left.length - right.length) > 16 + 0.25 * Math.min(left.length, right.length);
}

/**
 * Compares a draft with a reference answer (the strongest tier's) by what the request asks for:
 * the option letter of a multiple-choice question, the final number of a quantitative one, the
 * JSON value, and code or text only when they are the same after normalising. Where equivalence
 * cannot be decided, `undecidable`: a judge or user feedback must give that label.
 * A reference without an answer of the kind makes it undecidable; a draft without one disagrees.
 *
 * @example
 * compareAnswers(request, '#### 18', 'She makes $18 a day.'); // { verdict: 'agree', kind: 'number' }
 */
export function compareAnswers(request: ChatRequest, draft: string, reference: string): Comparison {
  const kind = requestKind(request);
  if (draft.startsWith(TOOL_CALLS_PREFIX) || reference.startsWith(TOOL_CALLS_PREFIX)) return compareToolCallEvidence(kind, draft, reference);
  switch (kind) {
    case 'choice': {
      const letters = optionLetters(lastUserText(request.messages)) ?? 'ABCD';
      const right = extractChoice(reference, letters);
      if (right === undefined) return { verdict: 'undecidable', kind, detail: 'the reference picks no option' };
      const left = extractChoice(draft, letters);
      if (left === undefined) return { verdict: 'disagree', kind, detail: `the draft picks no option (reference ${right})` };
      return left === right ? { verdict: 'agree', kind, detail: left } : { verdict: 'disagree', kind, detail: `${left} vs ${right}` };
    }
    case 'number': {
      const right = extractFinalAnswer(reference);
      if (!right) return { verdict: 'undecidable', kind, detail: 'the reference states no number' };
      const left = extractFinalAnswer(draft);
      if (!left) return { verdict: 'disagree', kind, detail: `the draft states no number (reference ${right.value})` };
      return sameNumber(left.value, right.value) ? { verdict: 'agree', kind, detail: String(left.value) } : { verdict: 'disagree', kind, detail: `${left.value} vs ${right.value}` };
    }
    case 'json': {
      const right = parseJson(reference);
      if (!right.ok) return { verdict: 'undecidable', kind, detail: 'the reference holds no valid JSON' };
      const left = parseJson(draft);
      if (!left.ok) return { verdict: 'disagree', kind, detail: 'the draft holds no valid JSON' };
      return sameJson(left.value, right.value) ? { verdict: 'agree', kind } : { verdict: 'disagree', kind, detail: 'different JSON values' };
    }
    case 'code':
      return sameModuloSpace(codeOf(draft), codeOf(reference), true) ? { verdict: 'agree', kind, detail: 'same code' } : { verdict: 'undecidable', kind, detail: 'different code: equivalence is not decidable here' };
    default:
      return !clearlyDifferent(draft, reference) && sameModuloSpace(draft, reference, false) ? { verdict: 'agree', kind, detail: 'same text' } : { verdict: 'undecidable', kind, detail: 'different text: needs a judge or feedback' };
  }
}
