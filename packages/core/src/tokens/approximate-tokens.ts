/**
 * Token count of `text[start, end)` without a tokenizer, in one linear pass: words count one token
 * per 4 UTF-8 bytes (at least one), digits one per 3 (o200k groups digits by three), each
 * punctuation or symbol character one, a whitespace run one unless it is the single space that
 * o200k glues to the next word or symbol. Used when `gpt-tokenizer` is not installed. On ordinary English
 * it reads about 1–2× the o200k count (it leans high, so budgets stay conservative); it is no
 * substitute for provider-reported usage.
 *
 * @example
 * approximateTokens('Hello, world!'); // 6 (o200k: 4)
 */
export function approximateTokens(text: string, start = 0, end = text.length): number {
  let tokens = 0;
  let wordBytes = 0;
  let digits = 0;
  let spaces = 0;
  const flushWord = (): void => {
    if (wordBytes > 0) tokens += Math.ceil(wordBytes / 4);
    wordBytes = 0;
  };
  const flushDigits = (): void => {
    if (digits > 0) tokens += Math.ceil(digits / 3);
    digits = 0;
  };
  for (let index = start; index < end; index++) {
    const code = text.charCodeAt(index);
    const isSpace = code === 32 || (code >= 9 && code <= 13);
    if (isSpace) {
      flushWord();
      flushDigits();
      spaces++;
      continue;
    }
    if (spaces > 0) {
      // One space before a word or a symbol is part of its first token (not before digits, which o200k
      // splits off); any other whitespace run is a token of its own.
      const gluedToNext = spaces === 1 && text.charCodeAt(index - 1) === 32 && !(code >= 48 && code <= 57);
      if (!gluedToNext) tokens += 1;
      spaces = 0;
    }
    if (code >= 48 && code <= 57) {
      flushWord();
      digits++;
    } else if ((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 39) {
      flushDigits();
      wordBytes += 1;
    } else if (code < 128) {
      flushWord();
      flushDigits();
      tokens += 1;
    } else {
      flushDigits();
      if (code >= 0xd800 && code <= 0xdbff) {
        wordBytes += 4;
        index++;
      } else wordBytes += code < 0x800 ? 2 : 3;
    }
  }
  flushWord();
  flushDigits();
  if (spaces > 0) tokens += 1;
  return tokens;
}

