/** Character-class helpers shared by the scanners. All O(1), ASCII-based by design. */

/** True for `0`–`9`. */
export function isDigitCode(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** True for ASCII letters. */
export function isAsciiLetterCode(code: number): boolean {
  return (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
}

/** True for ASCII letters and digits. */
export function isAlnumCode(code: number): boolean {
  return isDigitCode(code) || isAsciiLetterCode(code);
}

/** True for a character that continues a word: ASCII alnum, `_`, or any non-ASCII letter/digit. */
export function isWordCode(code: number): boolean {
  if (isAlnumCode(code) || code === 95) return true;
  if (code < 128 || Number.isNaN(code)) return false;
  return /[\p{L}\p{N}]/u.test(String.fromCharCode(code));
}

/** True for hexadecimal digits. */
export function isHexCode(code: number): boolean {
  return isDigitCode(code) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

/** True for the base64url alphabet (`A-Z a-z 0-9 - _`). */
export function isBase64UrlCode(code: number): boolean {
  return isAlnumCode(code) || code === 45 || code === 95;
}

/** True for whitespace (space, tab, CR, LF, form feed, vertical tab, NBSP). */
export function isSpaceCode(code: number): boolean {
  return code === 32 || (code >= 9 && code <= 13) || code === 160;
}
