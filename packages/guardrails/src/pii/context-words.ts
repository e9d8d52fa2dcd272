import type { PiiEntityType, RawPiiMatch } from './pii-entity';

/**
 * Words that, near a candidate, make it more likely to be the entity (general vocabulary of forms,
 * messages and records; not tied to any data set).
 */
const POSITIVE: Partial<Record<PiiEntityType, readonly string[]>> = {
  PHONE_NUMBER: [
    'phone', 'tel', 'mobile', 'cell', 'fax', 'call', 'dial', 'text me', 'sms', 'whatsapp', 'contact', 'reach me',
    'reach us', 'number', 'desk', 'office', 'landline', 'home', 'work', 'ring', 'answering', 'voicemail', 'message',
    'hotline', 'téléphone', 'telefon', 'teléfono', 'telefone', 'handy', 'portable',
  ],
  CREDIT_CARD: ['card', 'credit', 'debit', 'visa', 'mastercard', 'amex', 'american express', 'discover', 'maestro', 'jcb', 'diners', 'cc ', 'cc#', 'pan', 'payment', 'billing', 'charge'],
  US_SSN: ['ssn', 'social security', 'social sec', 'ss#', 'ss #', 'taxpayer', 'tin'],
  IP_ADDRESS: ['ip', 'address', 'host', 'server', 'client', 'gateway', 'dns', 'subnet', 'ping'],
  IBAN_CODE: ['iban', 'bank', 'account', 'transfer', 'swift', 'bic', 'wire'],
};

/** Words that, right before a candidate, make it less likely (identifiers that look like numbers). */
const NEGATIVE: Partial<Record<PiiEntityType, readonly string[]>> = {
  PHONE_NUMBER: ['order', 'invoice', 'ticket', 'tracking', 'isbn', 'serial', 'version', 'ref', 'account no', 'zip', 'postal', 'box', 'license', 'licence', 'passport', 'id', 'located at', 'lives at', 'live at'],
  CREDIT_CARD: ['order', 'tracking', 'invoice', 'isbn', 'serial'],
  IP_ADDRESS: ['version', ' v', 'release', 'build'],
};

/** Words right after a candidate that make it less likely: a number followed by a street name is an address. */
const NEGATIVE_AFTER: Partial<Record<PiiEntityType, readonly string[]>> = {
  PHONE_NUMBER: [
    'st', 'st.', 'street', 'str.', 'strasse', 'straße', 'rue', 'road', 'rd', 'avenue', 'ave', 'blvd', 'boulevard', 'lane', 'ln',
    'drive', 'dr.', 'way', 'court', 'apt', 'suite', 'via', 'calle', 'avenida', 'rua', 'gade', 'vej', 'tie', 'katu', 'utca',
  ],
};

/** How much a positive or negative context word moves the score. */
export const CONTEXT_BOOST = 0.35;
const BOOST = CONTEXT_BOOST;
const PENALTY = 0.3;

const escape = (word: string): string => word.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** One regex per word list: a word starting at a word boundary (no letter before it). */
// Case-insensitive: the windows are tested as written, without a lower-cased copy per match.
const startsWord = (words: readonly string[]): RegExp => new RegExp(`(?<![a-z])(?:${words.map(escape).join('|')})`, 'i');
/** A whole word: no letter before or after. */
const wholeWord = (words: readonly string[]): RegExp => new RegExp(`(?<![a-z])(?:${words.map(escape).join('|')})(?![a-z])`, 'i');
const compile = (table: Partial<Record<PiiEntityType, readonly string[]>>, build: (words: readonly string[]) => RegExp): Partial<Record<PiiEntityType, RegExp>> =>
  Object.fromEntries(Object.entries(table).map(([type, words]) => [type, build(words!)]));

const POSITIVE_PATTERN = compile(POSITIVE, startsWord);
const NEGATIVE_PATTERN = compile(NEGATIVE, startsWord);
const NEGATIVE_AFTER_PATTERN = compile(NEGATIVE_AFTER, wholeWord);

/** Types with context words: the others keep their score without a window being read. */
export const CONTEXT_TYPES: ReadonlySet<PiiEntityType> = new Set([...Object.keys(POSITIVE_PATTERN), ...Object.keys(NEGATIVE_PATTERN)] as PiiEntityType[]);

/**
 * Adjusts a raw match's score by the words around it: `before` characters to the left and `after`
 * to the right, in any case. Bounded windows keep it O(1) per match.
 */
export function applyContext(text: string, match: RawPiiMatch, before: number, after: number): number {
  const positive = POSITIVE_PATTERN[match.type];
  const negative = NEGATIVE_PATTERN[match.type];
  const negativeAfter = NEGATIVE_AFTER_PATTERN[match.type];
  if (!positive && !negative) return match.score;
  const left = text.slice(Math.max(0, match.start - before), match.start);
  const right = text.slice(match.end, Math.min(text.length, match.end + after));
  let score = match.score;
  if (positive && (positive.test(left) || positive.test(right))) score += BOOST;
  // Only the nearest words on the same line count against: "order no. 555 1234", "1200 5th Street".
  if ((negative && negative.test(sameLine(left.slice(-16), true))) || (negativeAfter && negativeAfter.test(sameLine(right, false)))) score -= PENALTY;
  return Math.max(0, Math.min(1, score));
}

function sameLine(window: string, fromEnd: boolean): string {
  if (fromEnd) {
    const newline = window.lastIndexOf('\n');
    return newline >= 0 ? window.slice(newline + 1) : window;
  }
  const newline = window.indexOf('\n');
  return newline >= 0 ? window.slice(0, newline) : window;
}
