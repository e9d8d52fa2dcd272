/**
 * Finds arithmetic in free text ("16 - 3 = 13", "9 * $2 = $18", "<<9*2=18>>", "150/100 * $50,000 = $75,000")
 * and checks that each equality holds.
 *
 * Design, for speed and safety on untrusted text of any length:
 * - one left-to-right pass over char codes, no regular expressions, no backtracking;
 * - tokens of the current expression run go into fixed typed buffers (no per-token objects);
 * - a run is evaluated when it ends (newline, words, punctuation) by a recursive-descent parser whose
 *   depth is capped, so the whole check is O(n) time and O(1) extra memory.
 *
 * It only reports an error it can stand behind: an equality is checked only when both sides parse
 * completely, the left side holds an operator, and units on both sides agree; rounding to the shown
 * precision, truncation and rounded inputs (0.33 for 1/3) are tolerated.
 */

const KIND_NUMBER = 1;
const KIND_PLUS = 2;
const KIND_MINUS = 3;
const KIND_TIMES = 4;
const KIND_DIVIDE = 5;
const KIND_OPEN = 6;
const KIND_CLOSE = 7;
const KIND_EQUALS = 8;
/** A token that spoils the part it is in (a number glued to letters, an unsupported operator). */
const KIND_INVALID = 9;

const FLAG_PERCENT = 1;
/** A decimal with 2+ digits that is not a round money amount: probably a rounded repeating value (0.33). */
const FLAG_APPROXIMATE = 2;
/** A minus sign glued to the number that follows ("-5"), as opposed to a spaced binary minus. */
const FLAG_GLUED_MINUS = 4;

const MAX_TOKENS = 128;
const MAX_DEPTH = 16;
/** Computed results kept for the report. */
const MAX_RESULTS = 64;
/** Longest unit word skipped between a number and an operator ("16 eggs - 3"). */
const MAX_UNIT_LENGTH = 14;

const kinds = new Uint8Array(MAX_TOKENS);
const values = new Float64Array(MAX_TOKENS);
const flags = new Uint8Array(MAX_TOKENS);
const decimalsOf = new Uint8Array(MAX_TOKENS);
/** Hash of the unit word after a number (0 = none), so "120 minutes = 2 hours" is not compared. */
const unitHash = new Int32Array(MAX_TOKENS);

/** What {@link checkArithmetic} found. */
export interface ArithmeticReport {
  /** Equalities checked. */
  checked: number;
  /** Equalities that do not hold. */
  errors: number;
  /** The first wrong equality, as written, for the verdict's detail. */
  firstError?: string;
  /** The value of the right-hand side of the last checked equality (the last computed result). */
  lastResult?: number;
  /** The right-hand sides of the checked equalities in order (the computed results), at most 64. */
  results: number[];
}

interface ScanState {
  count: number;
  /** Spoiled when the run overflowed the buffers. */
  overflow: boolean;
  start: number;
  checked: number;
  errors: number;
  firstError: string | undefined;
  lastResult: number | undefined;
  results: number[];
}

// Parser state over the token buffers (module-level: the checker is synchronous and not re-entrant).
let position = 0;
let end = 0;
let failed = false;
let percentRelative = false;
let sawApproximate = false;
let sawPercent = false;

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

function isLetter(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || (code >= 0xc0 && code <= 0x24f);
}

function isSpace(code: number): boolean {
  return code === 32 || code === 9 || code === 0xa0;
}

function isCurrency(code: number): boolean {
  // $ € £ ¥ ₹
  return code === 36 || code === 0x20ac || code === 0xa3 || code === 0xa5 || code === 0x20b9;
}

function operatorKind(code: number): number {
  switch (code) {
    case 43:
      return KIND_PLUS;
    case 45:
    case 0x2212: // − minus sign
      return KIND_MINUS;
    case 42:
    case 0xd7: // ×
    case 0xb7: // ·
    case 0x22c5: // ⋅
      return KIND_TIMES;
    case 47:
    case 0xf7: // ÷
      return KIND_DIVIDE;
    default:
      return 0;
  }
}

function parsePrimary(depth: number): number {
  if (position >= end) {
    failed = true;
    return 0;
  }
  const kind = kinds[position]!;
  if (kind === KIND_NUMBER) {
    const index = position++;
    const flag = flags[index]!;
    if (flag & FLAG_APPROXIMATE) sawApproximate = true;
    let value = values[index]!;
    if (flag & FLAG_PERCENT) {
      sawPercent = true;
      value /= 100;
    }
    // Implicit multiplication: "2(3 + 4)".
    if (position < end && kinds[position] === KIND_OPEN) return value * parsePrimary(depth);
    return value;
  }
  if (kind === KIND_OPEN) {
    if (depth >= MAX_DEPTH) {
      failed = true;
      return 0;
    }
    position++;
    const value = parseSum(depth + 1);
    if (position >= end || kinds[position] !== KIND_CLOSE) {
      failed = true;
      return 0;
    }
    position++;
    if (position < end && kinds[position] === KIND_OPEN) return value * parsePrimary(depth);
    return value;
  }
  if (kind === KIND_MINUS) {
    position++;
    return -parsePrimary(depth);
  }
  failed = true;
  return 0;
}

function parseProduct(depth: number): number {
  let value = parsePrimary(depth);
  while (!failed && position < end) {
    const kind = kinds[position]!;
    if (kind === KIND_TIMES) {
      position++;
      value *= parsePrimary(depth);
    } else if (kind === KIND_DIVIDE) {
      position++;
      const divisor = parsePrimary(depth);
      if (divisor === 0) failed = true;
      else value /= divisor;
    } else break;
  }
  return value;
}

function parseSum(depth: number): number {
  let value = parseProduct(depth);
  while (!failed && position < end) {
    const kind = kinds[position]!;
    if (kind !== KIND_PLUS && kind !== KIND_MINUS) break;
    position++;
    // "$50 - 20%" is often written for 50 × (1 − 0.2): the relative reading is tried as an alternative.
    const lonePercent =
      percentRelative && position + 1 <= end && kinds[position] === KIND_NUMBER && (flags[position]! & FLAG_PERCENT) !== 0 &&
      (position + 1 === end || kinds[position + 1] === KIND_PLUS || kinds[position + 1] === KIND_MINUS || kinds[position + 1] === KIND_CLOSE);
    const term = parseProduct(depth);
    const delta = lonePercent ? value * term : term;
    value = kind === KIND_PLUS ? value + delta : value - delta;
  }
  return value;
}

/** Evaluates tokens [from, to); NaN when they are not one complete expression. */
function evaluate(from: number, to: number, relative: boolean): number {
  position = from;
  end = to;
  failed = false;
  percentRelative = relative;
  const value = parseSum(0);
  return failed || position !== to || !Number.isFinite(value) ? Number.NaN : value;
}

/** True when `shown` is `exact` written with rounding, truncation or a rounded input. */
function agrees(exact: number, shown: number, decimals: number, approximate: boolean): boolean {
  const difference = Math.abs(exact - shown);
  const scale = Math.max(Math.abs(exact), Math.abs(shown));
  if (difference <= 1e-9 * Math.max(1, scale)) return true;
  // Rounded, floored or truncated to the precision shown: "10 / 3 = 3.33", "7 / 2 = 3 whole boxes".
  if (difference < Math.pow(10, -decimals) - 1e-9) return true;
  // Rounded inputs (0.33 standing for 1/3) carry their error through the computation.
  return approximate && difference <= 0.02 * scale;
}

function partHasOperator(from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const kind = kinds[index]!;
    if (kind !== KIND_NUMBER && kind !== KIND_INVALID) {
      // A leading glued minus ("-5") is a sign, not an operation.
      if (kind === KIND_MINUS && index === from) continue;
      return true;
    }
  }
  return false;
}

function partUnit(from: number, to: number): number {
  return to > from && kinds[to - 1] === KIND_NUMBER ? unitHash[to - 1]! : 0;
}

/** Checks every consecutive pair of `=`-separated parts of the buffered run. */
function flushRun(text: string, state: ScanState, runEnd: number): void {
  const count = state.count;
  state.count = 0;
  if (state.overflow) {
    state.overflow = false;
    return;
  }
  let equalsCount = 0;
  for (let index = 0; index < count; index++) if (kinds[index] === KIND_EQUALS) equalsCount++;
  if (equalsCount === 0) return;

  let leftFrom = 0;
  let leftTo = -1;
  for (let index = 0; index <= count; index++) {
    if (index < count && kinds[index] !== KIND_EQUALS) continue;
    if (leftTo < 0) {
      leftTo = index;
      continue;
    }
    const rightFrom = leftTo + 1;
    const rightTo = index;
    checkPair(text, state, leftFrom, leftTo, rightFrom, rightTo, runEnd);
    leftFrom = rightFrom;
    leftTo = rightTo;
  }
}

function checkPair(text: string, state: ScanState, leftFrom: number, leftTo: number, rightFrom: number, rightTo: number, runEnd: number): void {
  if (leftTo <= leftFrom || rightTo <= rightFrom) return;
  // The left side must compute something; "3 groups of 4 = 12" leaves a lone "4" that proves nothing.
  if (!partHasOperator(leftFrom, leftTo)) return;
  // A run that starts with a spaced binary operator began mid-expression ("apples - 60 = 40").
  const first = kinds[leftFrom]!;
  if (first !== KIND_NUMBER && first !== KIND_OPEN && !(first === KIND_MINUS && (flags[leftFrom]! & FLAG_GLUED_MINUS) !== 0)) return;
  const leftUnit = partUnit(leftFrom, leftTo);
  const rightUnit = partUnit(rightFrom, rightTo);
  if (leftUnit !== 0 && rightUnit !== 0 && leftUnit !== rightUnit) return;

  sawApproximate = false;
  sawPercent = false;
  const literal = evaluate(leftFrom, leftTo, false);
  if (Number.isNaN(literal)) return;
  const leftApproximate = sawApproximate;
  const leftPercent = sawPercent;
  const relative = leftPercent ? evaluate(leftFrom, leftTo, true) : literal;

  sawPercent = false;
  const right = evaluate(rightFrom, rightTo, false);
  if (Number.isNaN(right)) return;
  const rightPercent = sawPercent;
  let decimals = 0;
  for (let index = rightFrom; index < rightTo; index++) if (kinds[index] === KIND_NUMBER) decimals = Math.max(decimals, decimalsOf[index]!);
  // "25/100 = 25%" and "0.25 = 25%" are both common: a percent on the right may mean either scale.
  const rightAlternative = rightPercent ? right * 100 : right;
  const approximate = leftApproximate;
  // A percent's shown precision is two places finer on the fraction scale ("25%" is 0.25).
  const fractionDecimals = rightPercent ? decimals + 2 : decimals;
  const holds =
    agrees(literal, right, fractionDecimals, approximate) ||
    agrees(relative, right, fractionDecimals, approximate) ||
    (rightPercent && (agrees(literal, rightAlternative, decimals, approximate) || agrees(literal * 100, rightAlternative, decimals, approximate)));
  state.checked++;
  state.lastResult = right;
  if (state.results.length < MAX_RESULTS) state.results.push(right);
  if (!holds) {
    state.errors++;
    if (state.firstError === undefined) state.firstError = text.slice(state.start, runEnd).trim().slice(0, 120);
  }
}

function push(state: ScanState, kind: number, value: number, flag: number, decimals: number): void {
  if (state.count >= MAX_TOKENS) {
    state.overflow = true;
    return;
  }
  const index = state.count++;
  kinds[index] = kind;
  values[index] = value;
  flags[index] = flag;
  decimalsOf[index] = decimals;
  unitHash[index] = 0;
}

function lastKind(state: ScanState): number {
  return state.count > 0 ? kinds[state.count - 1]! : 0;
}

/**
 * Checks the arithmetic written in `text`. Linear in the text length, allocation-free apart from
 * the report (and the detail string of the first error).
 *
 * @example
 * checkArithmetic('She has 16 - 3 = 13 eggs, sells 13 * $2 = $28.'); // { checked: 2, errors: 1, ... }
 */
export function checkArithmetic(text: string): ArithmeticReport {
  const state: ScanState = { count: 0, overflow: false, start: 0, checked: 0, errors: 0, firstError: undefined, lastResult: undefined, results: [] };
  const length = text.length;
  let index = 0;
  let inFence = false;
  let lineStart = true;
  // Minus directly before a digit and after a space or opener is a sign ("= -5").
  while (index < length) {
    const code = text.charCodeAt(index);
    // Code blocks hold code, not worked arithmetic: "x = x + 1".
    if (code === 96 && text.charCodeAt(index + 1) === 96 && text.charCodeAt(index + 2) === 96) {
      flushRun(text, state, index);
      inFence = !inFence;
      index += 3;
      continue;
    }
    if (inFence) {
      index++;
      continue;
    }
    if (code === 10 || code === 13) {
      flushRun(text, state, index);
      lineStart = true;
      index++;
      continue;
    }
    if (isSpace(code) || isCurrency(code)) {
      index++;
      continue;
    }
    if (state.count === 0) state.start = index;
    const atLineStart = lineStart;
    lineStart = false;

    if (isDigit(code) || (code === 46 && isDigit(text.charCodeAt(index + 1)))) {
      // Glued to a preceding letter ("x2", "H2O", "v1.2"): an identifier, not a number.
      const previous = index > 0 ? text.charCodeAt(index - 1) : 32;
      let value = 0;
      let decimals = 0;
      let cursor = index;
      while (cursor < length) {
        const digit = text.charCodeAt(cursor);
        if (isDigit(digit)) {
          value = value * 10 + (digit - 48);
          cursor++;
        } else if (digit === 44 && isDigit(text.charCodeAt(cursor + 1)) && isDigit(text.charCodeAt(cursor + 2)) && isDigit(text.charCodeAt(cursor + 3)) && !isDigit(text.charCodeAt(cursor + 4))) {
          cursor++; // thousands separator: "130,000"
        } else break;
      }
      if (text.charCodeAt(cursor) === 46 && isDigit(text.charCodeAt(cursor + 1))) {
        cursor++;
        let scale = 0.1;
        while (cursor < length && isDigit(text.charCodeAt(cursor))) {
          value += (text.charCodeAt(cursor) - 48) * scale;
          scale /= 10;
          decimals++;
          cursor++;
        }
      }
      let flag = 0;
      if (decimals >= 2 && Math.abs(Math.round(value * 20) - value * 20) > 1e-6) flag |= FLAG_APPROXIMATE;
      if (text.charCodeAt(cursor) === 37) {
        flag |= FLAG_PERCENT;
        cursor++;
      }
      let kind = KIND_NUMBER;
      if (isLetter(previous) || isDigit(previous)) kind = KIND_INVALID;
      const next = text.charCodeAt(cursor);
      if (isLetter(next) || (next === 46 && isDigit(text.charCodeAt(cursor + 1)))) kind = KIND_INVALID; // "2B", "5th", "1.2.3"
      // A glued sign: "-5" right after "=", "(", an operator or the run start.
      if (lastKind(state) === KIND_MINUS && index > 0 && text.charCodeAt(index - 1) !== 32) {
        const before = state.count >= 2 ? kinds[state.count - 2]! : 0;
        if (before === 0 || before === KIND_EQUALS || before === KIND_OPEN) flags[state.count - 1] = flags[state.count - 1]! | FLAG_GLUED_MINUS;
      }
      if (kind === KIND_NUMBER && lastKind(state) === KIND_NUMBER) {
        // Two numbers in a row ("3 4"): not an expression; start over from this one.
        flushRun(text, state, index);
        state.start = index;
      }
      push(state, kind, value, flag, decimals);
      index = cursor;
      continue;
    }

    const operator = operatorKind(code);
    if (operator !== 0) {
      const next = text.charCodeAt(index + 1);
      // Markdown bullets and bold ("- ", "* ", "**") are not operators.
      if ((atLineStart && (code === 45 || code === 42 || code === 43) && isSpace(next)) || (code === 42 && next === 42)) {
        flushRun(text, state, index);
        index += code === 42 && next === 42 ? 2 : 1;
        continue;
      }
      if (code === 45 && next === 62) {
        flushRun(text, state, index); // "->"
        index += 2;
        continue;
      }
      push(state, operator, 0, 0, 0);
      index++;
      continue;
    }

    if (code === 61) {
      const next = text.charCodeAt(index + 1);
      const previous = index > 0 ? text.charCodeAt(index - 1) : 0;
      // "==", "=>", "<=", ">=", "!=": comparisons and arrows, not equalities.
      if (next === 61 || next === 62 || previous === 60 || previous === 62 || previous === 33 || previous === 61) {
        flushRun(text, state, index);
        index++;
        continue;
      }
      push(state, KIND_EQUALS, 0, 0, 0);
      index++;
      continue;
    }
    if (code === 40) {
      // "(her own books)": a parenthetical remark after a number is skipped when an operator follows.
      let cursor = index + 1;
      while (cursor < length && isSpace(text.charCodeAt(cursor))) cursor++;
      if (isLetter(text.charCodeAt(cursor))) {
        const limit = Math.min(length, index + 60);
        let close = -1;
        for (let scan = cursor; scan < limit; scan++) {
          const inner = text.charCodeAt(scan);
          if (inner === 41) {
            close = scan;
            break;
          }
          if (inner === 40 || inner === 10 || inner === 61 || isDigit(inner)) break;
        }
        if (close >= 0 && lastKind(state) === KIND_NUMBER) {
          let after = close + 1;
          while (after < length && isSpace(text.charCodeAt(after))) after++;
          const following = text.charCodeAt(after);
          if (operatorKind(following) !== 0 || following === 61) {
            index = close + 1;
            continue;
          }
        }
        flushRun(text, state, index);
        index = cursor;
        continue;
      }
      push(state, KIND_OPEN, 0, 0, 0);
      index++;
      continue;
    }
    if (code === 41) {
      push(state, KIND_CLOSE, 0, 0, 0);
      index++;
      continue;
    }
    if (code === 92) {
      // LaTeX: \times, \cdot, \div are operators; any other command ends the run.
      let cursor = index + 1;
      while (cursor < length && isLetter(text.charCodeAt(cursor))) cursor++;
      const command = text.slice(index + 1, Math.min(cursor, index + 7));
      if (command === 'times' || command === 'cdot') push(state, KIND_TIMES, 0, 0, 0);
      else if (command === 'div') push(state, KIND_DIVIDE, 0, 0, 0);
      else flushRun(text, state, index);
      index = Math.max(cursor, index + 1);
      continue;
    }
    if (isLetter(code)) {
      let cursor = index;
      let hash = 0;
      while (cursor < length && isLetter(text.charCodeAt(cursor))) {
        hash = (Math.imul(hash, 31) + (text.charCodeAt(cursor) | 32)) | 0;
        cursor++;
      }
      const wordLength = cursor - index;
      const previousKind = lastKind(state);
      // "3 x 60": x between two operands is multiplication.
      if (wordLength === 1 && (code === 120 || code === 88) && (previousKind === KIND_NUMBER || previousKind === KIND_CLOSE)) {
        let after = cursor;
        while (after < length && (isSpace(text.charCodeAt(after)) || isCurrency(text.charCodeAt(after)))) after++;
        const following = text.charCodeAt(after);
        if (isDigit(following) || following === 40 || following === 46) {
          push(state, KIND_TIMES, 0, 0, 0);
          index = cursor;
          continue;
        }
      }
      if (previousKind === KIND_NUMBER && index > 0 && isSpace(text.charCodeAt(index - 1)) && wordLength <= MAX_UNIT_LENGTH) {
        // Scale words multiply: "1.5 million".
        const word = wordLength >= 7 && wordLength <= 8 ? text.slice(index, cursor).toLowerCase() : '';
        const scale = word === 'thousand' ? 1e3 : word === 'million' ? 1e6 : word === 'billion' ? 1e9 : word === 'trillion' ? 1e12 : 0;
        if (scale !== 0) {
          values[state.count - 1] = values[state.count - 1]! * scale;
          decimalsOf[state.count - 1] = 0;
          index = cursor;
          continue;
        }
        // A unit word between a number and an operator or "=" is skipped: "16 eggs - 3 = 13 eggs".
        let after = cursor;
        while (after < length && isSpace(text.charCodeAt(after))) after++;
        const following = text.charCodeAt(after);
        const isOperatorNext = (operatorKind(following) !== 0 && !(following === 45 && isLetter(text.charCodeAt(after + 1)))) || (following === 61 && text.charCodeAt(after + 1) !== 61);
        unitHash[state.count - 1] = hash === 0 ? 1 : hash;
        if (isOperatorNext || after >= length || following === 10 || following === 46 || following === 44) {
          index = cursor;
          continue;
        }
      }
      flushRun(text, state, index);
      index = cursor;
      continue;
    }
    // Anything else (punctuation, "<<", ">>", ":", ";", "?", "≈") ends the run.
    flushRun(text, state, index);
    index++;
  }
  flushRun(text, state, length);
  const report: ArithmeticReport = { checked: state.checked, errors: state.errors, results: state.results };
  if (state.firstError !== undefined) report.firstError = state.firstError;
  if (state.lastResult !== undefined) report.lastResult = state.lastResult;
  return report;
}
