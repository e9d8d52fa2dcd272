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

function words(text: string): string[] {
  return text.toLowerCase().match(/[a-z']+/g) ?? [];
}

/** Share of words that are common English function words (0 when fewer than 3 words). */
export function englishScore(text: string): number {
  return scoreOfWords(words(text));
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

/** The longest common word: longer words never count, whatever the shift. */
const LONGEST_COMMON = Math.max(...[...COMMON].map((word) => word.length));
/** The only characters whose lower case holds an ASCII letter (`İ` → `i̇`, Kelvin `K` → `k`): a shift leaves them, so the words of the shifted text differ. */
const LOWERS_TO_ASCII = /[İK]/u;

/** Shifts a lower-case ASCII word (`'` stays). */
function shiftWord(word: string, by: number): string {
  let out = '';
  for (let index = 0; index < word.length; index++) {
    const code = word.charCodeAt(index);
    out += code >= 97 && code <= 122 ? String.fromCharCode(((code - 97 + by) % 26) + 97) : word[index];
  }
  return out;
}

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
  // letters), so the shifted text's score is read from the sample's words without building it.
  if (list.length < 4) return undefined;
  const short = list.filter((word) => word.length <= LONGEST_COMMON && !word.includes("'"));
  for (let by = 1; by < 26; by++) {
    let common = 0;
    for (const word of short) if (COMMON.has(shiftWord(word, by))) common++;
    if (common / list.length >= 0.3) return shift(sample, by);
  }
  return undefined;
}

/** Text written backwards (by characters). */
export function decodeReversed(text: string): string | undefined {
  const sample = text.slice(0, MAX_DECODE_CHARS);
  // The input's score first: readable text is not reversed (and the reversal is not built).
  if (englishScore(sample) >= 0.12) return undefined;
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

/** Quoted passages (and the whole text) worth trying a decoder on. */
export function decodeCandidates(text: string): string[] {
  const sample = text.slice(0, MAX_DECODE_CHARS);
  const candidates = [sample];
  for (const match of sample.matchAll(/["'“‘`]([^"'”’`\n]{12,400})["'”’`]/g)) candidates.push(match[1]!);
  // Sentences too: a ciphered sentence inside otherwise plain text.
  for (const match of sample.matchAll(/[^.!?:\n<>]{12,400}/g)) candidates.push(match[0]);
  return candidates;
}

/** Decoders of a candidate, tried only when the candidate does not read as English already. */
const DECODERS = [decodeCaesar, decodeReversed, decodePigLatin] as const;

/** Plain text hidden in `text` by a Caesar shift, reversal, pig latin or Morse code. */
export function decodeObfuscated(text: string): string[] {
  const found: string[] = [];
  for (const candidate of decodeCandidates(text)) {
    // Each decoder returns nothing for a candidate that already reads as English (score ≥ 0.12):
    // one score per candidate spares the three decodings (most text is plain).
    if (englishScore(candidate.slice(0, MAX_DECODE_CHARS)) >= 0.12) continue;
    for (const decoder of DECODERS) {
      const decoded = decoder(candidate);
      if (decoded !== undefined) found.push(decoded);
    }
  }
  found.push(...decodeMorse(text));
  return found;
}
