/**
 * Web and email addresses, blanked out before the injection classifier hashes a text. In the
 * training data almost every address sits in an attack (BIPIA's payloads link to or mail
 * `example.com` sites: 495 of 1,998 attacks carry a URL against 36 of 6,568 benign texts), so the
 * model learned "has an address" as injection and flagged users who paste a link or contact
 * details. The words around an address ("send the data to …") still count; the heuristics judge
 * the address itself (exfiltration requests).
 *
 * One pass, linear in the text: addresses are found from their `://`, `www.` or `@` and extended
 * over non-space characters, never by a regex that could rescan a long run.
 */

const isSpace = (code: number): boolean => code === 32 || (code >= 9 && code <= 13) || code === 0xa0;
/** Characters an email's local part may hold. */
const isLocal = (code: number): boolean =>
  (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 46 || code === 95 || code === 43 || code === 45;

/** `text` with every URL (`scheme://…`, `www.…`) and email address replaced by a space. */
export function stripAddresses(text: string): string {
  if (text.indexOf('://') === -1 && text.indexOf('www.') === -1 && text.indexOf('@') === -1) return text;
  let out = '';
  let copied = 0;
  let index = 0;
  while (index < text.length) {
    let start = -1;
    const code = text.charCodeAt(index);
    if (code === 58 /* : */ && text.startsWith('://', index)) {
      // Back over the scheme's letters.
      start = index;
      while (start > copied && isLocal(text.charCodeAt(start - 1))) start--;
      if (start === index) start = -1;
    } else if ((code === 119 || code === 87) /* w */ && (index === 0 || isSpace(text.charCodeAt(index - 1)) || text.charCodeAt(index - 1) === 40) && text.slice(index, index + 4).toLowerCase() === 'www.') {
      start = index;
    } else if (code === 64 /* @ */ && index > copied && isLocal(text.charCodeAt(index - 1)) && index + 1 < text.length && isLocal(text.charCodeAt(index + 1))) {
      start = index;
      while (start > copied && isLocal(text.charCodeAt(start - 1))) start--;
    }
    if (start === -1) {
      index++;
      continue;
    }
    let end = index + 1;
    while (end < text.length && !isSpace(text.charCodeAt(end))) end++;
    // Keep closing punctuation that ends the sentence or a bracket.
    while (end > index + 1 && ',.;:!?)]}"\''.includes(text[end - 1]!)) end--;
    out += `${text.slice(copied, start)} `;
    copied = end;
    index = end;
  }
  return copied === 0 ? text : out + text.slice(copied);
}
