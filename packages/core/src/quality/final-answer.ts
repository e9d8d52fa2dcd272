/**
 * Reading the question and the final answer of quantitative tasks (word problems, calculations).
 * Linear scans and flat regular expressions only.
 */

const ASKS_FOR_QUANTITY =
  /\b(?:how (?:many|much|long|far|old|fast|often)|what (?:is|was|are|were|will) the (?:total|number|amount|cost|price|sum|difference|average|percentage|area|value)|calculate|compute|what percent(?:age)?|total (?:number|amount|cost))\b/i;

/** Counts the numbers written in `text` with digits ("16", "$2.50", "80,000" count once each). */
export function countNumbers(text: string): number {
  let count = 0;
  let inNumber = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    const digit = code >= 48 && code <= 57;
    const joiner: boolean = (code === 44 || code === 46) && inNumber;
    if (digit && !inNumber) count++;
    inNumber = digit || (joiner && index + 1 < text.length && text.charCodeAt(index + 1) >= 48 && text.charCodeAt(index + 1) <= 57);
  }
  return count;
}

/** True for a question that asks for a quantity and gives numbers to compute it from. */
export function isQuantitativeQuestion(prompt: string): boolean {
  return countNumbers(prompt) >= 2 && ASKS_FOR_QUANTITY.test(prompt.length > 4000 ? prompt.slice(prompt.length - 4000) : prompt);
}

/** The final answer of a worked solution. */
export interface FinalAnswer {
  value: number;
  /** True when stated explicitly ("#### 18", "The answer is 18", "\boxed{18}", "Answer: 18"). */
  marked: boolean;
}

const MARKED_ANSWER = /(?:####|answer is|answer:|answer =|\\boxed\{)[\s*:$€£]{0,6}(-?\d[\d,]*(?:\.\d+)?)/gi;

function toNumber(raw: string): number {
  return Number(raw.replace(/,/g, ''));
}

/**
 * The final answer: the last explicitly marked one, else the last number in the closing 200
 * characters, else undefined.
 *
 * @example
 * extractFinalAnswer('9 * $2 = $18.\n#### 18'); // { value: 18, marked: true }
 */
export function extractFinalAnswer(text: string): FinalAnswer | undefined {
  MARKED_ANSWER.lastIndex = 0;
  let marked: string | undefined;
  for (let match = MARKED_ANSWER.exec(text); match !== null; match = MARKED_ANSWER.exec(text)) marked = match[1];
  if (marked !== undefined) {
    const value = toNumber(marked);
    if (Number.isFinite(value)) return { value, marked: true };
  }
  // The last number in the tail, read backwards.
  const stop = Math.max(0, text.length - 200);
  let cursor = text.length - 1;
  while (cursor >= stop) {
    const code = text.charCodeAt(cursor);
    if (code >= 48 && code <= 57) break;
    cursor--;
  }
  if (cursor < stop) return undefined;
  let start = cursor;
  while (start > 0) {
    const code = text.charCodeAt(start - 1);
    const isPart = (code >= 48 && code <= 57) || ((code === 44 || code === 46) && start - 2 >= 0 && text.charCodeAt(start - 2) >= 48 && text.charCodeAt(start - 2) <= 57);
    if (!isPart) break;
    start--;
  }
  if (start > 0 && text.charCodeAt(start - 1) === 45) start--;
  const value = toNumber(text.slice(start, cursor + 1));
  return Number.isFinite(value) ? { value, marked: false } : undefined;
}

/** Calls `visit` with each number written in digits in `text` (commas removed), in order. */
function forEachNumber(text: string, visit: (value: number, hasDecimals: boolean) => boolean | void): void {
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) {
      index++;
      continue;
    }
    let value = 0;
    let hasDecimals = false;
    while (index < length) {
      const digit = text.charCodeAt(index);
      if (digit >= 48 && digit <= 57) value = value * 10 + (digit - 48);
      else if (digit === 44 && isDigitAt(text, index + 1) && isDigitAt(text, index + 2) && isDigitAt(text, index + 3)) {
        /* thousands separator */
      } else break;
      index++;
    }
    if (text.charCodeAt(index) === 46 && isDigitAt(text, index + 1)) {
      index++;
      let scale = 0.1;
      while (index < length && isDigitAt(text, index)) {
        value += (text.charCodeAt(index) - 48) * scale;
        scale /= 10;
        index++;
      }
      hasDecimals = true;
    }
    if (visit(value, hasDecimals) === false) return;
  }
}

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

/** True when every number of `text` is whole ("3 apples at $2" but not "$2.50"). */
export function allWholeNumbers(text: string): boolean {
  let whole = true;
  forEachNumber(text, (_value, hasDecimals) => {
    if (hasDecimals) whole = false;
    return whole;
  });
  return whole;
}

/**
 * How many distinct numbers of the question (at most 16 looked at) never appear in the answer, also
 * as a percent's fraction or the reverse ("150%" used as 1.5). Linear: answer numbers go in a set once.
 */
export function countUnusedNumbers(question: string, answer: string): number {
  const asked = new Set<number>();
  forEachNumber(question, (value) => {
    asked.add(value);
    return asked.size < 16;
  });
  if (asked.size === 0) return 0;
  const used = new Set<number>();
  forEachNumber(answer, (value) => {
    used.add(value);
    return used.size < 4096;
  });
  let unused = 0;
  for (const value of asked) {
    if (used.has(value) || used.has(Math.round(value * 1e6) / 1e8) || used.has(Math.round(value * 1e8) / 1e6)) continue;
    unused++;
  }
  return unused;
}
