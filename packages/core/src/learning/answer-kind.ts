import { lastUserText } from '../model/chat-message';
import type { ChatRequest } from '../model/chat-request';
import { countNumbers, isQuantitativeQuestion } from '../quality/final-answer';
import { jsonExpectation } from '../quality/json-check';

/**
 * The format a request expects its answer in, read from the request alone: an option letter, a
 * final number, a JSON value, code, or free text. The comparator and the learner key on it.
 */
export type AnswerKind = 'choice' | 'number' | 'json' | 'code' | 'text';

/** Every kind, in a fixed order (state export, stats). */
export const ANSWER_KINDS: readonly AnswerKind[] = ['choice', 'number', 'json', 'code', 'text'];

/** One option line of a multiple-choice question: "A) …", "(B) …", "C. …", "D: …". */
const OPTION_LINE = /^[ \t]*\(?([A-J])[).:][ \t]+\S/gm;
const ASKS_FOR_CODE =
  /\b(?:write|implement|create|complete|fix|refactor)\b[^.\n]{0,80}\b(?:function|program|script|class|method|code|query|regex|snippet)\b|```[a-z]*\n/i;

const ASKS_HOW_MUCH = /\bhow (?:many|much|old|long|far|fast)\b/i;

/** The option letters of the closing multiple-choice question of `prompt` (in its last 1,500 characters), or undefined. */
export function optionLetters(prompt: string): string | undefined {
  const tail = prompt.length > 1500 ? prompt.slice(prompt.length - 1500) : prompt;
  // The last question: its options are the last run of option lines.
  let letters = '';
  OPTION_LINE.lastIndex = 0;
  for (let match = OPTION_LINE.exec(tail); match !== null; match = OPTION_LINE.exec(tail)) {
    const letter = match[1]!;
    if (letter === 'A') letters = 'A';
    else if (letters.length > 0 && letter.charCodeAt(0) === letters.charCodeAt(letters.length - 1) + 1) letters += letter;
  }
  return letters.length >= 2 ? letters : undefined;
}

/**
 * The kind of answer a request expects, from the request only (never from an answer): JSON when
 * the response format or the prompt asks for it, a letter for a closing multiple-choice question,
 * code when the prompt asks to write some, a number for a quantitative question, text otherwise.
 *
 * @example
 * requestKind({ messages: [{ role: 'user', content: 'Tom has 16 eggs and eats 3. How many are left?' }] }); // 'number'
 */
export function requestKind(request: ChatRequest): AnswerKind {
  const prompt = lastUserText(request.messages);
  if (jsonExpectation(request, prompt) !== 'none') return 'json';
  if (optionLetters(prompt) !== undefined) return 'choice';
  const tail = prompt.length > 2000 ? prompt.slice(prompt.length - 2000) : prompt;
  if (ASKS_FOR_CODE.test(tail)) return 'code';
  // Also quantity questions whose numbers are partly in words ("twice as many", "one-third").
  if (isQuantitativeQuestion(prompt) || (countNumbers(tail) >= 1 && ASKS_HOW_MUCH.test(tail))) return 'number';
  return 'text';
}
