/**
 * Cheap facts about a draft's text. Every regular expression here is a flat alternation of literal
 * phrases or a single bounded character class (no nested or overlapping quantifiers), so matching is
 * linear in the text; long inputs are only scanned where the signal lives (head, tail).
 */

const REFUSAL_HEAD =
  /^\W{0,8}(?:i'?m sorry,? but|i am sorry,? but|i'?m sorry,? i (?:can(?:no|')?t|am unable|won'?t)|i apologi[sz]e,? but i|i (?:can(?:no|')?t|can not|am unable to|'m unable to|won'?t be able to|must decline to) (?:help|assist|provide|answer|do|comply|fulfil|fulfill|create|write|generate|complete|support|engage)|as an ai(?: language model)?,? i (?:can(?:no|')?t|do not|don'?t|am not able))/i;

/** Doubt about the answer itself: rare in good answers of any kind. */
const STRONG_HEDGE =
  /\b(?:i'?m not (?:sure|certain)|i am not (?:sure|certain)|i don'?t know|i do not know|cannot be determined|can'?t be determined|not enough information|insufficient information|does(?:n'?t| not) make sense|my mistake|my apologies|i made a mistake|let me correct|let'?s correct|re-?evaluate|reconsider|contradiction|not possible to (?:determine|answer|calculate)|there (?:seems to be|is) (?:an error|a mistake)|wait,)/gi;

/** Patches to a worked solution ("however", "assuming", "approximately"): meaningful where numbers are computed. */
const SOFT_HEDGE = /\b(?:however|assum(?:e|ing|ption)|approximately|roughly|it seems|might be|probably|round(?:ed|ing)? (?:up|down)|can'?t have (?:a )?(?:half|fraction)|cannot have (?:a )?(?:half|fraction)|actually)\b/gi;

/** Counts matches of a global regex without allocating match arrays. */
function countMatches(pattern: RegExp, text: string, cap: number): number {
  pattern.lastIndex = 0;
  let count = 0;
  while (count < cap && pattern.test(text)) count++;
  pattern.lastIndex = 0;
  return count;
}

/** True when the draft opens with a refusal ("I'm sorry, but I can't help with that"). */
export function isRefusal(text: string): boolean {
  return REFUSAL_HEAD.test(text.length > 300 ? text.slice(0, 300) : text);
}

/** Counts hedges: strong (doubt about the answer) and soft (patches in a worked solution). */
export function countHedges(text: string): { strong: number; soft: number } {
  return { strong: countMatches(STRONG_HEDGE, text, 4), soft: countMatches(SOFT_HEDGE, text, 4) };
}

/**
 * True when the text visibly stops mid-way even though the provider may report a normal stop:
 * it ends on an operator, an open bracket or an unclosed `<<calc` annotation, or inside a code fence.
 */
export function looksCutOff(text: string): boolean {
  let last = text.length - 1;
  while (last >= 0 && text.charCodeAt(last) <= 32) last--;
  if (last < 0) return false;
  const code = text.charCodeAt(last);
  // = + - * / ( [ { < , : and an unclosed annotation are unfinished thoughts.
  if (code === 61 || code === 43 || code === 42 || code === 47 || code === 40 || code === 91 || code === 123 || code === 60 || code === 44) return true;
  if (code === 45 && last > 0 && text.charCodeAt(last - 1) === 32) return true;
  const tailStart = Math.max(0, last - 60);
  const open = text.lastIndexOf('<<', last);
  if (open >= tailStart && text.indexOf('>>', open) < 0) return true;
  let fences = 0;
  let at = text.indexOf('```');
  while (at >= 0) {
    fences++;
    at = text.indexOf('```', at + 3);
  }
  return fences % 2 === 1;
}

/** True when the text has no sentence-ending mark at its end (ends mid-word or mid-number). */
export function endsAbruptly(text: string): boolean {
  let last = text.length - 1;
  while (last >= 0 && text.charCodeAt(last) <= 32) last--;
  if (last < 0) return false;
  const code = text.charCodeAt(last);
  const isWordChar = (code >= 48 && code <= 57) || (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
  return isWordChar;
}

/**
 * Degeneration: the tail repeats itself (a loop until the token limit), or one substantial line
 * appears many times. Linear: `indexOf` scans and one bounded map of line hashes.
 */
export function hasRepetitionLoop(text: string): boolean {
  const length = text.length;
  if (length >= 300) {
    const probe = text.slice(length - 40);
    let occurrences = 0;
    let at = text.indexOf(probe);
    while (at >= 0 && occurrences < 4) {
      occurrences++;
      at = text.indexOf(probe, at + probe.length);
    }
    if (occurrences >= 4) return true;
  }
  // Same substantial line 4+ times, counted by hash to avoid building strings.
  const counts = new Map<number, number>();
  let hash = 0;
  let significant = 0;
  for (let index = 0; index <= length; index++) {
    const code = index < length ? text.charCodeAt(index) : 10;
    if (code === 10) {
      if (significant >= 24) {
        const seen = (counts.get(hash) ?? 0) + 1;
        if (seen >= 4) return true;
        if (counts.size < 4096) counts.set(hash, seen);
      }
      hash = 0;
      significant = 0;
      continue;
    }
    if (code > 32) {
      hash = (Math.imul(hash, 31) + code) | 0;
      significant++;
    }
  }
  return false;
}

/** Writing systems told apart by the language check. */
export type Script = 'latin' | 'cyrillic' | 'greek' | 'arabic' | 'hebrew' | 'devanagari' | 'thai' | 'cjk' | 'hangul' | 'none';

/** The dominant script of the letters in `text` (first 4,000 chars), or `none` with too few letters. */
export function dominantScript(text: string): Script {
  const counts = new Int32Array(9);
  const limit = Math.min(text.length, 4000);
  let letters = 0;
  for (let index = 0; index < limit; index++) {
    const code = text.charCodeAt(index);
    let slot = -1;
    if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || (code >= 0xc0 && code <= 0x24f)) slot = 0;
    else if (code < 0x370) continue;
    else if (code >= 0x400 && code <= 0x4ff) slot = 1;
    else if (code >= 0x370 && code <= 0x3ff) slot = 2;
    else if (code >= 0x600 && code <= 0x6ff) slot = 3;
    else if (code >= 0x590 && code <= 0x5ff) slot = 4;
    else if (code >= 0x900 && code <= 0x97f) slot = 5;
    else if (code >= 0xe00 && code <= 0xe7f) slot = 6;
    else if ((code >= 0x3040 && code <= 0x30ff) || (code >= 0x4e00 && code <= 0x9fff)) slot = 7;
    else if (code >= 0xac00 && code <= 0xd7af) slot = 8;
    if (slot < 0) continue;
    // CJK characters carry a word each; weigh them like a short word of Latin letters.
    counts[slot] = counts[slot]! + (slot >= 7 ? 3 : 1);
    letters += slot >= 7 ? 3 : 1;
  }
  if (letters < 20) return 'none';
  let best = 0;
  for (let slot = 1; slot < 9; slot++) if (counts[slot]! > counts[best]!) best = slot;
  if (counts[best]! < letters * 0.6) return 'none';
  const names: readonly Script[] = ['latin', 'cyrillic', 'greek', 'arabic', 'hebrew', 'devanagari', 'thai', 'cjk', 'hangul'];
  return names[best]!;
}

const MENTIONS_LANGUAGE = /translat|language|english|chinese|japanese|korean|russian|arabic|hindi|greek|hebrew|thai|french|spanish|german|ukrainian/i;

/** True when the answer is written in another script than the prompt and the prompt asks for no translation. */
export function isLanguageMismatch(prompt: string, answer: string): boolean {
  const asked = dominantScript(prompt);
  if (asked === 'none') return false;
  const answered = dominantScript(answer);
  if (answered === 'none' || answered === asked) return false;
  return !MENTIONS_LANGUAGE.test(prompt.length > 4000 ? prompt.slice(0, 4000) : prompt);
}

const NUMBER_WORDS: Readonly<Record<string, number>> = {
  one: 1, two: 2, three: 3, four: 4, five: 5, six: 6, seven: 7, eight: 8, nine: 9, ten: 10,
  twelve: 12, fifteen: 15, twenty: 20, thirty: 30, fifty: 50, hundred: 100,
};

const UPPER_LIMIT = /\b(?:in|under|within|at most|no more than|not more than|less than|fewer than|maximum of|up to|limited to|exactly|only)\s+(\d{1,4}|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred)\s+(words?|sentences?|paragraphs?|bullet points?|bullets?|lines?)\b/i;
const SINGLE_UNIT = /\b(?:(?:in|with|using|as) (?:one|a single)|one-) ?(word|sentence|paragraph|line)\b/i;
const LOWER_LIMIT = /\b(?:at least|minimum of|more than|no less than|no fewer than)\s+(\d{1,4}|one|two|three|four|five|six|seven|eight|nine|ten|twelve|fifteen|twenty|thirty|fifty|hundred)\s+(words?|sentences?|paragraphs?)\b/i;

/** A length the prompt asks for, read from phrases like "in 50 words" or "at least 3 paragraphs". */
export interface LengthRequest {
  unit: 'word' | 'sentence' | 'paragraph' | 'line';
  max?: number;
  min?: number;
}

function unitOf(raw: string): LengthRequest['unit'] {
  const lower = raw.toLowerCase();
  if (lower.startsWith('word')) return 'word';
  if (lower.startsWith('sentence')) return 'sentence';
  if (lower.startsWith('paragraph')) return 'paragraph';
  return 'line';
}

/** Reads a requested answer length from the prompt, if any. */
export function requestedLength(prompt: string): LengthRequest | undefined {
  const head = prompt.length > 2000 ? prompt.slice(prompt.length - 2000) : prompt;
  const upper = UPPER_LIMIT.exec(head);
  if (upper) {
    const amount = NUMBER_WORDS[upper[1]!.toLowerCase()] ?? Number(upper[1]);
    if (Number.isFinite(amount) && amount > 0) return { unit: unitOf(upper[2]!), max: amount };
  }
  const single = SINGLE_UNIT.exec(head);
  if (single) return { unit: unitOf(single[1]!), max: 1 };
  const lower = LOWER_LIMIT.exec(head);
  if (lower) {
    const amount = NUMBER_WORDS[lower[1]!.toLowerCase()] ?? Number(lower[1]);
    if (Number.isFinite(amount) && amount > 0) return { unit: unitOf(lower[2]!), min: amount };
  }
  return undefined;
}

/** Counts words, sentences, paragraphs and non-empty lines in one pass. */
export function measureText(text: string): { words: number; sentences: number; paragraphs: number; lines: number } {
  let words = 0;
  let sentences = 0;
  let paragraphs = 0;
  let lines = 0;
  let inWord = false;
  let lineHasText = false;
  let blankRun = 1;
  let sentenceOpen = false;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code === 10) {
      if (lineHasText) lines++;
      else blankRun++;
      lineHasText = false;
      inWord = false;
      continue;
    }
    if (code <= 32) {
      inWord = false;
      continue;
    }
    if (!lineHasText) {
      if (blankRun > 0) paragraphs++;
      blankRun = 0;
      lineHasText = true;
    }
    if (code === 46 || code === 33 || code === 63) {
      const next = text.charCodeAt(index + 1);
      if (sentenceOpen && (Number.isNaN(next) || next <= 32)) {
        sentences++;
        sentenceOpen = false;
      }
    } else sentenceOpen = true;
    if (!inWord) {
      words++;
      inWord = true;
    }
  }
  if (lineHasText) lines++;
  if (sentenceOpen) sentences++;
  return { words, sentences, paragraphs, lines };
}

/** True when the draft clearly ignores a requested length (with slack for how people count). */
export function violatesLength(request: LengthRequest, text: string): boolean {
  const measured = measureText(text);
  const actual =
    request.unit === 'word' ? measured.words : request.unit === 'sentence' ? measured.sentences : request.unit === 'paragraph' ? measured.paragraphs : measured.lines;
  if (request.max !== undefined) {
    const slack = request.unit === 'word' ? Math.max(10, request.max * 0.5) : Math.max(1, request.max * 0.5);
    if (actual > request.max + slack) return true;
  }
  if (request.min !== undefined && actual < request.min * 0.6) return true;
  return false;
}
