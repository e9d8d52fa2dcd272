/**
 * Decoders for text obfuscated by hand (Caesar/ROT13 shifts, reversed text, pig latin, Morse code):
 * each returns plain text only when the decoded form reads clearly more like English than the input.
 * Every decoder is linear and reads at most {@link MAX_DECODE_CHARS} characters of its input.
 */

/** Upper bound on the characters a decoder looks at. */
export const MAX_DECODE_CHARS = 4_000;

/** Very common English function words: a decoded text made of them is readable text. */
const COMMON = new Set(
  'the an is are was were be of to in on at for and or but not what who where when why how which do does did can could would should will you your me my we our it this that these those with from as by about tell give show say there their they he she his her him them is if then than so all any please'.split(' '),
);

/** The longest common word: longer words never count (whatever the shift, for Caesar). */
const LONGEST_COMMON = Math.max(...[...COMMON].map((word) => word.length));

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}

/** Share of words that are common English function words (0 when fewer than 3 words). */
export function englishScore(text: string): number {
  // The words of `words(text)`, read in place: no array, and no string for a word too long to be common.
  const lower = text.toLowerCase();
  return scoreOfRange(lower, 0, lower.length);
}

function scoreOfWords(list: readonly string[]): number {
  if (list.length < 4) return 0;
  let common = 0;
  for (const word of list) if (COMMON.has(word)) common++;
  return common / list.length;
}

/** The text reads as English after decoding and did not before. */
function readable(decoded: string, original: string): boolean {
  return englishScore(decoded) >= 0.3 && englishScore(original) < 0.12;
}

function shift(text: string, by: number): string {
  let out = '';
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    if (code >= 65 && code <= 90) out += String.fromCharCode(((code - 65 + by) % 26) + 65);
    else if (code >= 97 && code <= 122) out += String.fromCharCode(((code - 97 + by) % 26) + 97);
    else out += text[index];
  }
  return out;
}

/** The only characters whose lower case holds an ASCII letter (`İ` → `i̇`, Kelvin `K` → `k`): a shift or a reversal moves them differently from the letters around them. */
const LOWERS_TO_ASCII = /[\u0130\u212A]/u;

/**
 * A word's letters up to a shift: its length and the steps between its letters, as one number
 * (a word of `LONGEST_COMMON` letters or fewer).
 */
function shape(word: string): number {
  let key = word.length;
  for (let index = 1; index < word.length; index++) key = key * 26 + ((word.charCodeAt(index) - word.charCodeAt(index - 1) + 26) % 26);
  return key;
}

/** Per shape: the first letters (0–25) of the common words of that shape. */
const COMMON_SHAPES = new Map<number, number[]>();
for (const word of COMMON) {
  const starts = COMMON_SHAPES.get(shape(word)) ?? [];
  starts.push(word.charCodeAt(0) - 97);
  COMMON_SHAPES.set(shape(word), starts);
}
/** The common words written backwards. */
const COMMON_REVERSED = new Set([...COMMON].map((word) => [...word].reverse().join('')));

/** Caesar shifts (ROT13 included): the first shift that turns gibberish into English. */
export function decodeCaesar(text: string): string | undefined {
  const sample = text.slice(0, MAX_DECODE_CHARS);
  const list = words(sample);
  if (scoreOfWords(list) >= 0.12 || list.length < 3) return undefined;
  if (LOWERS_TO_ASCII.test(sample)) {
    for (let by = 1; by < 26; by++) {
      const decoded = shift(sample, by);
      if (englishScore(decoded) >= 0.3) return decoded;
    }
    return undefined;
  }
  // A shift maps the words of the sample one to one onto the words of the shifted text (letters stay
  // letters), and a word becomes a common word under exactly the shifts that move its first letter
  // onto the first letter of a common word of the same shape: the score of every shift, read from the
  // sample's words without building 25 shifted texts.
  if (list.length < 4) return undefined;
  const common = new Int32Array(26);
  for (const word of list) {
    if (word.length > LONGEST_COMMON || word.includes("'")) continue;
    const starts = COMMON_SHAPES.get(shape(word));
    if (starts === undefined) continue;
    for (const start of starts) common[(start - (word.charCodeAt(0) - 97) + 26) % 26]!++;
  }
  for (let by = 1; by < 26; by++) if (common[by]! / list.length >= 0.3) return shift(sample, by);
  return undefined;
}

/** Text written backwards (by characters). */
export function decodeReversed(text: string): string | undefined {
  const sample = text.slice(0, MAX_DECODE_CHARS);
  // The input's score first: readable text is not reversed (and the reversal is not built).
  const list = words(sample);
  if (scoreOfWords(list) >= 0.12) return undefined;
  if (!LOWERS_TO_ASCII.test(sample)) {
    // The words of the reversed text are the sample's words reversed: its score without building it.
    if (list.length < 4) return undefined;
    let common = 0;
    for (const word of list) if (COMMON_REVERSED.has(word)) common++;
    if (common / list.length < 0.3) return undefined;
  }
  const decoded = [...sample].reverse().join('');
  return readable(decoded, sample) ? decoded : undefined;
}

/** Pig latin (`ethay asswordpay` → `the password`), when most words end in `ay`. */
export function decodePigLatin(text: string): string | undefined {
  const sample = text.slice(0, MAX_DECODE_CHARS);
  const list = sample.toLowerCase().match(/[a-z]+/g) ?? [];
  if (list.length < 3) return undefined;
  const latin = list.filter((word) => word.length > 3 && word.endsWith('ay'));
  if (latin.length / list.length < 0.6) return undefined;
  const decoded = list
    .map((word) => {
      if (word.length <= 3 || !word.endsWith('ay')) return word;
      if (word.endsWith('yay') || word.endsWith('way')) {
        const stem = word.slice(0, -3);
        if (/^[aeiou]/.test(stem)) return stem;
      }
      const stem = word.slice(0, -2);
      // Move the trailing consonant cluster (y counts as a vowel here) back to the front.
      let cut = stem.length;
      while (cut > 1 && !/[aeiouy]/.test(stem[cut - 1]!)) cut--;
      return stem.slice(cut) + stem.slice(0, cut);
    })
    .join(' ');
  return readable(decoded, sample) ? decoded : undefined;
}

const MORSE: Readonly<Record<string, string>> = {
  '.-': 'a', '-...': 'b', '-.-.': 'c', '-..': 'd', '.': 'e', '..-.': 'f', '--.': 'g', '....': 'h', '..': 'i', '.---': 'j', '-.-': 'k', '.-..': 'l', '--': 'm',
  '-.': 'n', '---': 'o', '.--.': 'p', '--.-': 'q', '.-.': 'r', '...': 's', '-': 't', '..-': 'u', '...-': 'v', '.--': 'w', '-..-': 'x', '-.--': 'y', '--..': 'z',
  '-----': '0', '.----': '1', '..---': '2', '...--': '3', '....-': '4', '.....': '5', '-....': '6', '--...': '7', '---..': '8', '----.': '9',
};

/** Every run of 8+ Morse letters (`.-` groups separated by spaces, `/` between words), decoded. */
export function decodeMorse(text: string): string[] {
  const decoded: string[] = [];
  for (const match of text.slice(0, MAX_DECODE_CHARS).matchAll(/[.-]{1,6}(?:[ \t]+(?:\/[ \t]+)?[.-]{1,6}){7,}/g)) {
    let out = '';
    for (const token of match[0].split(/[ \t]+/)) out += token === '/' ? ' ' : (MORSE[token] ?? '?');
    if (!out.includes('?')) decoded.push(out);
  }
  return decoded;
}

/** What ends a sentence candidate: `.`, `!`, `?`, `:`, a line break, `<` or `>`. */
const SENTENCE_END = new Uint8Array(128);
for (const char of '.!?:\n<>') SENTENCE_END[char.charCodeAt(0)] = 1;
const endsSentence = (code: number): boolean => code < 128 && SENTENCE_END[code] === 1;

/** Where the candidates of `sample` lie: `[start, end)` pairs, in the order {@link decodeCandidates} lists them. */
function candidateRanges(sample: string): number[] {
  const ranges = [0, sample.length];
  // The quote is one UTF-16 unit: the passage starts right after it.
  for (const match of sample.matchAll(/["'“‘`]([^"'”’`\n]{12,400})["'”’`]/g)) ranges.push(match.index + 1, match.index + 1 + match[1]!.length);
  // Sentences too: a ciphered sentence inside otherwise plain text. The matches of
  // /[^.!?:\n<>]{12,400}/g, read in one loop (the regex retried every position of a short fragment).
  let index = 0;
  while (index < sample.length) {
    if (endsSentence(sample.charCodeAt(index))) {
      index++;
      continue;
    }
    let end = index + 1;
    while (end < sample.length && !endsSentence(sample.charCodeAt(end))) end++;
    for (let start = index; end - start >= 12; start += 400) ranges.push(start, Math.min(end, start + 400));
    index = end;
  }
  return ranges;
}

/** Quoted passages (and the whole text) worth trying a decoder on. */
export function decodeCandidates(text: string): string[] {
  const sample = text.slice(0, MAX_DECODE_CHARS);
  const ranges = candidateRanges(sample);
  const candidates: string[] = [];
  for (let at = 0; at < ranges.length; at += 2) candidates.push(sample.slice(ranges[at], ranges[at + 1]));
  return candidates;
}

/** Words (`[a-z']+` runs) of the last {@link scoreOfRange} call: read by {@link decodeObfuscated}. */
let lastWordCount = 0;

/** `englishScore(lower.slice(start, end))` where `lower` is already lower case, without the slice. */
function scoreOfRange(lower: string, start: number, end: number): number {
  let count = 0;
  let common = 0;
  let wordStart = -1;
  for (let index = start; index <= end; index++) {
    const code = index < end ? lower.charCodeAt(index) : 0;
    if ((code >= 97 && code <= 122) || code === 39) {
      if (wordStart === -1) wordStart = index;
    } else if (wordStart !== -1) {
      count++;
      if (index - wordStart <= LONGEST_COMMON && COMMON.has(lower.slice(wordStart, index))) common++;
      wordStart = -1;
    }
  }
  lastWordCount = count;
  return count < 4 ? 0 : common / count;
}

/** Decoders of a candidate, tried only when the candidate does not read as English already. */
const DECODERS = [decodeCaesar, decodeReversed, decodePigLatin] as const;

function tryDecoders(candidate: string, found: string[]): void {
  for (const decoder of DECODERS) {
    const decoded = decoder(candidate);
    if (decoded !== undefined) found.push(decoded);
  }
}

/** Plain text hidden in `text` by a Caesar shift, reversal, pig latin or Morse code. */
export function decodeObfuscated(text: string): string[] {
  const found: string[] = [];
  const sample = text.slice(0, MAX_DECODE_CHARS);
  const ranges = candidateRanges(sample);
  // One lower-case copy serves every candidate: lower case maps each unit to one unit (and looks at no
  // neighbour that could change an ASCII letter), except `İ`, which becomes two.
  const lower = sample.toLowerCase();
  const aligned = lower.length === sample.length;
  const hasLowersToAscii = LOWERS_TO_ASCII.test(sample);
  for (let at = 0; at < ranges.length; at += 2) {
    const start = ranges[at]!;
    const end = ranges[at + 1]!;
    // Each decoder returns nothing for a candidate that already reads as English (score ≥ 0.12):
    // one score per candidate spares the three decodings (most text is plain).
    if (!aligned) {
      const candidate = sample.slice(start, end);
      if (englishScore(candidate) < 0.12) tryDecoders(candidate, found);
      continue;
    }
    if (scoreOfRange(lower, start, end) >= 0.12) continue;
    // Under four words, no shift or reversal can reach four words (the words map one to one, barring
    // the `İ`/Kelvin-sign case), and pig latin needs words ending in "ay": most short fragments of
    // plain text need no decoding at all.
    if (lastWordCount < 4 && !hasLowersToAscii) {
      const pigLatin = lower.indexOf('ay', start);
      if (pigLatin !== -1 && pigLatin + 2 <= end) {
        const decoded = decodePigLatin(sample.slice(start, end));
        if (decoded !== undefined) found.push(decoded);
      }
      continue;
    }
    tryDecoders(sample.slice(start, end), found);
  }
  found.push(...decodeMorse(text));
  return found;
}
