/**
 * Reading the question and the final answer of quantitative tasks (word problems, calculations).
 * Linear scans and flat regular expressions only.
 */

const ASKS_FOR_QUANTITY =
  /\b(?:how (?:many|much|long|far|old|fast|often)|what (?:is|was|are|were|will) the (?:total|number|amount|cost|price|sum|difference|average|percentage|area|value)|calculate|compute|what percent(?:age)?|total (?:number|amount|cost))\b/i;

/**
 * A closing question asking what or how (tall, soon…): with numbers given, it asks for a computed value.
 * "How" before a verb ("How does the painting reflect…?") asks for an explanation and does not count.
 */
const ASKS_WHAT_OR_HOW =
  /\b(?:what(?:'s|’s)?|how(?! (?:do|does|did|can|could|would|should|will|might|may|is|are|was|were|has|have|had)\b)|find|determine)\b[^.!?\n]{0,240}\?\s*$/i;

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

/**
 * True for a question that gives numbers to compute from and asks for a quantity: a quantity phrase
 * ("how many", "what is the total") anywhere, or a closing what/how question ("What floor is he on?").
 */
export function isQuantitativeQuestion(prompt: string): boolean {
  if (countNumbers(prompt) < 2) return false;
  const tail = prompt.length > 4000 ? prompt.slice(prompt.length - 4000) : prompt;
  return ASKS_FOR_QUANTITY.test(tail) || ASKS_WHAT_OR_HOW.test(tail.length > 300 ? tail.slice(tail.length - 300) : tail);
}

/** The final answer of a worked solution. */
export interface FinalAnswer {
  value: number;
  /** True when stated explicitly ("#### 18", "The answer is 18", "\boxed{18}", "Answer: 18"). */
  marked: boolean;
  /** Decimal places written, trailing zeros aside ("12.50" has 1, "18" has 0). */
  decimals: number;
}

const MARKED_ANSWER = /(?:####|answer is|answer:|answer =|\\boxed\{)[\s*:$€£]{0,6}(-?\d[\d,]*(?:\.\d+)?)/gi;

function toNumber(raw: string): number {
  return Number(raw.replace(/,/g, ''));
}

/** Decimal places of a written number, trailing zeros aside. */
function decimalsOf(raw: string): number {
  const point = raw.indexOf('.');
  if (point < 0) return 0;
  let last = raw.length - 1;
  while (last > point && raw.charCodeAt(last) === 48) last--;
  return last - point;
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
    if (Number.isFinite(value)) return { value, marked: true, decimals: decimalsOf(marked) };
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
  const raw = text.slice(start, cursor + 1);
  const value = toNumber(raw);
  return Number.isFinite(value) ? { value, marked: false, decimals: decimalsOf(raw) } : undefined;
}

/** Calls `visit` with each number written in digits in `text` (commas removed), in order. */
function forEachNumber(text: string, visit: (value: number, decimals: number) => boolean | void): void {
  let index = 0;
  const length = text.length;
  while (index < length) {
    const code = text.charCodeAt(index);
    if (code < 48 || code > 57) {
      index++;
      continue;
    }
    let value = 0;
    let decimals = 0;
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
      let places = 0;
      while (index < length && isDigitAt(text, index)) {
        const digit = text.charCodeAt(index) - 48;
        value += digit * scale;
        scale /= 10;
        places++;
        if (digit !== 0) decimals = places;
        index++;
      }
    }
    if (visit(value, decimals) === false) return;
  }
}

function isDigitAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  return code >= 48 && code <= 57;
}

/** The most decimal places of any number in `text`, trailing zeros aside ("3 apples at $2.50" gives 1). */
export function maxDecimals(text: string): number {
  let most = 0;
  forEachNumber(text, (_value, decimals) => {
    if (decimals > most) most = decimals;
  });
  return most;
}

/** True when `text` writes `value` in digits, also as a percent's fraction or the reverse (25 and 0.25). */
export function mentionsNumber(text: string, value: number): boolean {
  let found = false;
  const close = (left: number, right: number): boolean => Math.abs(left - right) <= 1e-6 * Math.max(1, Math.abs(left), Math.abs(right));
  const magnitude = Math.abs(value);
  forEachNumber(text, (written) => {
    found = close(written, magnitude) || close(written * 100, magnitude) || close(written, magnitude * 100);
    return !found;
  });
  return found;
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
