/**
 * One-pass scans that stand in for regexes the heuristic detector ran over every text, with the
 * same answers: a regex that must try each start position of a short run again and again was among
 * the detector's costliest steps on ordinary text.
 */

/** `\s` of a JavaScript regex (WhiteSpace and LineTerminator). */
export function isRegexSpace(code: number): boolean {
  if (code < 128) return code === 32 || (code >= 9 && code <= 13);
  return code === 0xa0 || code === 0x1680 || (code >= 0x2000 && code <= 0x200a) || code === 0x2028 || code === 0x2029 || code === 0x202f || code === 0x205f || code === 0x3000 || code === 0xfeff;
}

/** `\w` of a JavaScript regex without the `i` flag. */
const isWordCode = (code: number): boolean => (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95;

/**
 * Whether one word (1–20 `\w` characters) occurs 20 times in a row, separated only by whitespace or
 * commas: `/(\b\w{1,20}\b)(?:[\s,]+\1\b){19}/u.test(text)`.
 */
export function hasRepeatedToken(text: string): boolean {
  let count = 0;
  let previousStart = -1;
  let previousLength = 0;
  let cleanGap = false;
  let index = 0;
  while (index < text.length) {
    if (!isWordCode(text.charCodeAt(index))) {
      const code = text.charCodeAt(index);
      if (code !== 44 && !isRegexSpace(code)) cleanGap = false;
      index++;
      continue;
    }
    let end = index + 1;
    while (end < text.length && isWordCode(text.charCodeAt(end))) end++;
    const length = end - index;
    if (length <= 20 && cleanGap && length === previousLength && sameUnits(text, previousStart, index, length)) {
      if (++count >= 20) return true;
    } else count = length <= 20 ? 1 : 0;
    previousStart = index;
    previousLength = length;
    cleanGap = true;
    index = end;
  }
  return false;
}

function sameUnits(text: string, first: number, second: number, length: number): boolean {
  for (let offset = 0; offset < length; offset++) if (text.charCodeAt(first + offset) !== text.charCodeAt(second + offset)) return false;
  return true;
}

/** A character of `(?:0x)?[0-9a-fA-F]{2}[\s,]?`: a hex digit, `x`, whitespace or a comma. */
const isHexRunCode = (code: number): boolean => (code >= 48 && code <= 57) || (code >= 97 && code <= 102) || (code >= 65 && code <= 70) || code === 120 || code === 44 || isRegexSpace(code);

/**
 * Whether `text` holds `min` characters in a row that a hex-byte run is made of: a match of
 * `/\b(?:(?:0x)?[0-9a-fA-F]{2}[\s,]?){12,}\b/` holds 24 or more (most text holds none, so the
 * regex need not run).
 */
export function hasHexRun(text: string, min: number): boolean {
  let run = 0;
  for (let index = 0; index < text.length; index++) {
    if (!isHexRunCode(text.charCodeAt(index))) run = 0;
    else if (++run >= min) return true;
  }
  return false;
}

/** Whether `text` holds eight `0`/`1` characters in a row (what `/\b(?:[01]{8}[\s,]+){6,}[01]{8}\b/` needs first). */
export function hasBinaryByte(text: string): boolean {
  let run = 0;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code !== 48 && code !== 49) run = 0;
    else if (++run >= 8) return true;
  }
  return false;
}
