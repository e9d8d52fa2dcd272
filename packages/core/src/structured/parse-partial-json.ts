type Open = '{' | '[';

/**
 * The value of a JSON text cut off mid-way (a structured answer still streaming): open strings,
 * arrays and objects are closed; a dangling key, and a number or literal that may be unfinished, are
 * left out until the next delimiter arrives. Text before the first `{` or `[` (a code fence) is
 * skipped. Returns `undefined` when nothing usable has arrived yet. One linear pass over the text.
 *
 * @example
 * parsePartialJson('{"name":"Ada","langs":["en","f'); // { name: 'Ada', langs: ['en', 'f'] }
 */
export function parsePartialJson(text: string): unknown {
  const start = text.search(/[{[]/);
  if (start < 0) return undefined;
  const stack: Open[] = [];
  let inString = false;
  let stringIsKey = false;
  let escaped = false;
  let lastSignificant = '';
  // The closers of the open containers, innermost first (strings are immutable: copies are cheap).
  let closes = '';
  let safeEnd = -1;
  let safeCloses = '';
  let safeInString = false;
  const mark = (end: number, inValueString: boolean): void => {
    safeEnd = end;
    safeCloses = closes;
    safeInString = inValueString;
  };
  let index = start;
  for (; index < text.length; index++) {
    const char = text[index]!;
    if (inString) {
      if (escaped) {
        escaped = false;
      } else if (char === '\\') {
        escaped = true;
        continue;
      } else if (char === '"') {
        inString = false;
        lastSignificant = '"';
        if (!stringIsKey) mark(index + 1, false);
        continue;
      }
      if (!stringIsKey) mark(index + 1, true);
      continue;
    }
    switch (char) {
      case '"':
        inString = true;
        stringIsKey = stack[stack.length - 1] === '{' && (lastSignificant === '{' || lastSignificant === ',');
        if (!stringIsKey) mark(index, false);
        break;
      case '{':
      case '[':
        stack.push(char);
        closes = (char === '{' ? '}' : ']') + closes;
        mark(index + 1, false);
        break;
      case '}':
      case ']':
        stack.pop();
        closes = closes.slice(1);
        mark(index + 1, false);
        break;
      case ',':
        mark(index, false);
        break;
      default:
        break;
    }
    if (char !== ' ' && char !== '\n' && char !== '\r' && char !== '\t') lastSignificant = char;
    if (stack.length === 0) break;
  }
  if (safeEnd < 0) return undefined;
  let candidate = text.slice(start, safeEnd);
  if (safeInString) candidate += '"';
  // An object cut right after `{"key":` (value not started) would be left with a dangling key: drop it.
  candidate = candidate.replace(/[,{]\s*"(?:[^"\\]|\\.)*"\s*:\s*$/, (match) => match[0] === '{' ? '{' : '');
  try {
    return JSON.parse(candidate + safeCloses) as unknown;
  } catch {
    return undefined;
  }
}
