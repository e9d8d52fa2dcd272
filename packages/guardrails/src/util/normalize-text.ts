const LEET: Readonly<Record<string, string>> = { '0': 'o', '1': 'i', '3': 'e', '4': 'a', '5': 's', '7': 't', '@': 'a', $: 's', '!': 'i', '|': 'l', '€': 'e' };

/** Zero-width and formatting characters that hide text from people but not from models. */
const INVISIBLE = /[\u00AD\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFEFF\uFFA0]|\u034F|\u17B4|\u17B5|\uFE00|\uFE01|\uFE02|\uFE03|\uFE04|\uFE05|\uFE06|\uFE07|\uFE08|\uFE09|\uFE0A|\uFE0B|\uFE0C|\uFE0D|\uFE0E|\uFE0F|\uDB40[\uDC00-\uDCFF]/g;

/**
 * Normalizes text for lexicon matching against obfuscation: NFKC (full-width, ligatures), lower
 * case, invisible characters removed, leetspeak inside words (`k1ll` → `kill`), letters spaced out
 * (`k i l l`, `k.i.l.l` → `kill`) joined, and runs of 3+ identical letters shortened to 2. Linear.
 */
export function normalizeForMatching(text: string): string {
  let value = text.normalize('NFKC').toLowerCase().replace(INVISIBLE, '');
  // Leetspeak only where the symbol sits before a letter, or after one (keeps "5 kids" as is); a
  // word-final "!" or "|" is punctuation, never a letter ("kill you!" must not become "kill youi").
  value = value.replace(/[013457@$!|€]+(?=\p{L})|(?<=\p{L})[013457@$€]+/gu, (symbols) => {
    let out = '';
    for (const symbol of symbols) out += LEET[symbol] ?? symbol;
    return out;
  });
  // Spaced-out letters: 3+ single letters separated by one space, dot, dash or underscore.
  value = value.replace(/(?<![\p{L}])\p{L}(?:[ ._-]\p{L}(?![\p{L}])){2,}/gu, (run) => run.replace(/[ ._-]/g, ''));
  value = value.replace(/(\p{L})\1{2,}/gu, '$1$1').replace(/[ \t]{2,}/g, ' ');
  return value;
}

/** Count of invisible/formatting characters (zero-width, bidi controls, tag characters) in `text`. */
export function countInvisible(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(INVISIBLE)) count++;
  return count;
}
