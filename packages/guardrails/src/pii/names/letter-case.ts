/**
 * Letter and case tables for the name scanner, built once on first use for the Basic Multilingual
 * Plane below U+2000 (Latin, Greek, Cyrillic, Armenian, Hebrew, Arabic, Indic scripts, …): O(1)
 * lookups instead of a Unicode regex per character.
 */

const TABLE_SIZE = 0x2000;
/** 0 = not a letter, 1 = lower-case or caseless letter, 2 = upper-case letter. */
let letterKind: Uint8Array | undefined;
/** Lower-case code of each code unit in the table range. */
let lowerCode: Uint16Array | undefined;

function build(): void {
  const kinds = new Uint8Array(TABLE_SIZE);
  const lower = new Uint16Array(TABLE_SIZE);
  for (let code = 0; code < TABLE_SIZE; code++) {
    const char = String.fromCharCode(code);
    const lowered = char.toLowerCase();
    lower[code] = lowered.length === 1 ? lowered.charCodeAt(0) : code;
    if (code < 128) {
      kinds[code] = code >= 65 && code <= 90 ? 2 : code >= 97 && code <= 122 ? 1 : 0;
      continue;
    }
    if (!/\p{L}/u.test(char)) continue;
    kinds[code] = lowered !== char ? 2 : 1;
  }
  letterKind = kinds;
  lowerCode = lower;
}

/** 0 not a letter, 1 lower-case (or caseless) letter, 2 upper-case letter. Code units ≥ U+2000 count as caseless letters when they are CJK/Hangul, else not letters. */
export function letterKindOf(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? 2 : code >= 97 && code <= 122 ? 1 : 0;
  if (code < TABLE_SIZE) {
    if (letterKind === undefined) build();
    return letterKind![code]!;
  }
  // CJK, kana, Hangul: letters without case (names in these scripts are not detected by case).
  return (code >= 0x3040 && code <= 0x9fff) || (code >= 0xac00 && code <= 0xd7a3) ? 1 : 0;
}

/** The lower-case code unit of `code` (unchanged outside the table range). */
export function lowerCodeOf(code: number): number {
  if (code < 128) return code >= 65 && code <= 90 ? code + 32 : code;
  if (code < TABLE_SIZE) {
    if (lowerCode === undefined) build();
    return lowerCode![code]!;
  }
  return code;
}

/** The tables for code units below U+2000 (built on first call): letter kind and lower-case code. Hot loops read them directly. */
export function letterTables(): { kind: Uint8Array; lower: Uint16Array } {
  if (letterKind === undefined) build();
  return { kind: letterKind!, lower: lowerCode! };
}
