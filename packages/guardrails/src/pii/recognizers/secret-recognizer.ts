import * as chars from '../../util/chars';
import type { PiiEntityType, RawPiiMatch } from '../pii-entity';

// Bound once at load: calling through the module namespace costs a getter per call in hot loops.
const { isAlnumCode, isBase64UrlCode, isSpaceCode } = chars;

interface TokenRule {
  prefix: string;
  type: PiiEntityType;
  detail: string;
  /** Body characters allowed after the prefix. */
  body: (code: number) => boolean;
  minBody: number;
  maxBody: number;
  /** When set, prefixes that also start a more specific rule are left to it. */
  unless?: readonly string[];
  /**
   * Minimum Shannon entropy of the body, in bits per character, instead of the digit-and-letter
   * check: for random base64url tokens, where a genuine key may lack a digit (about 1 in 1,400 of 43
   * characters). 43 random base64url characters carry 4.2–5.3 bits (200 k samples); placeholders
   * made of words (`csk_your_api_key_goes_here_for_the_demo`) 3.6–3.9, and repeated patterns less.
   */
  minEntropy?: number;
}

const upperAlnum = (code: number): boolean => (code >= 65 && code <= 90) || (code >= 48 && code <= 57);
const slackBody = (code: number): boolean => isAlnumCode(code) || code === 45;

/** Provider key formats, from each provider's published token documentation. */
const RULES: readonly TokenRule[] = [
  { prefix: 'sk-ant-', type: 'API_KEY', detail: 'anthropic', body: isBase64UrlCode, minBody: 32, maxBody: 256 },
  { prefix: 'sk-', type: 'API_KEY', detail: 'openai', body: isBase64UrlCode, minBody: 20, maxBody: 256, unless: ['sk-ant-'] },
  { prefix: 'AIza', type: 'API_KEY', detail: 'google', body: isBase64UrlCode, minBody: 35, maxBody: 35 },
  { prefix: 'sk_live_', type: 'API_KEY', detail: 'stripe', body: isAlnumCode, minBody: 16, maxBody: 256 },
  { prefix: 'sk_test_', type: 'API_KEY', detail: 'stripe', body: isAlnumCode, minBody: 16, maxBody: 256 },
  { prefix: 'rk_live_', type: 'API_KEY', detail: 'stripe', body: isAlnumCode, minBody: 16, maxBody: 256 },
  { prefix: 'rk_test_', type: 'API_KEY', detail: 'stripe', body: isAlnumCode, minBody: 16, maxBody: 256 },
  { prefix: 'whsec_', type: 'API_KEY', detail: 'stripe', body: isAlnumCode, minBody: 24, maxBody: 256 },
  { prefix: 'xoxb-', type: 'API_KEY', detail: 'slack', body: slackBody, minBody: 10, maxBody: 256 },
  { prefix: 'xoxp-', type: 'API_KEY', detail: 'slack', body: slackBody, minBody: 10, maxBody: 256 },
  { prefix: 'xoxa-', type: 'API_KEY', detail: 'slack', body: slackBody, minBody: 10, maxBody: 256 },
  { prefix: 'xoxr-', type: 'API_KEY', detail: 'slack', body: slackBody, minBody: 10, maxBody: 256 },
  { prefix: 'xoxs-', type: 'API_KEY', detail: 'slack', body: slackBody, minBody: 10, maxBody: 256 },
  { prefix: 'xapp-', type: 'API_KEY', detail: 'slack', body: slackBody, minBody: 10, maxBody: 256 },
  { prefix: 'AKIA', type: 'AWS_ACCESS_KEY', detail: 'aws', body: upperAlnum, minBody: 16, maxBody: 16 },
  { prefix: 'ASIA', type: 'AWS_ACCESS_KEY', detail: 'aws-session', body: upperAlnum, minBody: 16, maxBody: 16 },
  { prefix: 'ghp_', type: 'GITHUB_TOKEN', detail: 'personal', body: isAlnumCode, minBody: 36, maxBody: 36 },
  { prefix: 'gho_', type: 'GITHUB_TOKEN', detail: 'oauth', body: isAlnumCode, minBody: 36, maxBody: 36 },
  { prefix: 'ghu_', type: 'GITHUB_TOKEN', detail: 'user-to-server', body: isAlnumCode, minBody: 36, maxBody: 36 },
  { prefix: 'ghs_', type: 'GITHUB_TOKEN', detail: 'server-to-server', body: isAlnumCode, minBody: 36, maxBody: 36 },
  { prefix: 'ghr_', type: 'GITHUB_TOKEN', detail: 'refresh', body: isAlnumCode, minBody: 36, maxBody: 36 },
  // Cascade's own demo server keys (apps/demo api-key.ts): `csk_` + 32 random bytes in base64url.
  { prefix: 'csk_', type: 'API_KEY', detail: 'cascade', body: isBase64UrlCode, minBody: 32, maxBody: 256, minEntropy: 4 },
  { prefix: 'github_pat_', type: 'GITHUB_TOKEN', detail: 'fine-grained', body: (code) => isAlnumCode(code) || code === 95, minBody: 22, maxBody: 255 },
];

/**
 * Length of the key prefix starting at `index` (0 when none). Same language and leftmost semantics
 * as `/s(?:k[-_])|rk_|whsec_|csk_|x(?:ox[abprs]-|app-)|A(?:Iza|KIA|SIA)|g(?:h[pousr]_|ithub_pat_)/`;
 * keep in sync with RULES (the detector tests cover every prefix).
 */
function prefixLength(text: string, index: number, code: number): number {
  const second = text.charCodeAt(index + 1);
  switch (code) {
    case 115: // s k [-_]
      return second === 107 && (text.charCodeAt(index + 2) === 45 || text.charCodeAt(index + 2) === 95) ? 3 : 0;
    case 114: // r k _
      return second === 107 && text.charCodeAt(index + 2) === 95 ? 3 : 0;
    case 119:
      return second === 104 && text.startsWith('whsec_', index) ? 6 : 0;
    case 120: {
      if (second === 111) {
        const kind = text.charCodeAt(index + 3);
        return text.charCodeAt(index + 2) === 120 && (kind === 97 || kind === 98 || kind === 112 || kind === 114 || kind === 115) && text.charCodeAt(index + 4) === 45 ? 5 : 0;
      }
      return second === 97 && text.startsWith('xapp-', index) ? 5 : 0;
    }
    case 99: // c s k _
      return second === 115 && text.charCodeAt(index + 2) === 107 && text.charCodeAt(index + 3) === 95 ? 4 : 0;
    case 65:
      return text.startsWith('AIza', index) || text.startsWith('AKIA', index) || text.startsWith('ASIA', index) ? 4 : 0;
    case 103: {
      if (second === 104) {
        const kind = text.charCodeAt(index + 2);
        return (kind === 112 || kind === 111 || kind === 117 || kind === 115 || kind === 114) && text.charCodeAt(index + 3) === 95 ? 4 : 0;
      }
      return second === 105 && text.startsWith('github_pat_', index) ? 11 : 0;
    }
    default:
      return 0;
  }
}

/** Rules by first character, longest prefix first. */
const RULES_BY_FIRST = new Map<number, TokenRule[]>();
for (const rule of [...RULES].sort((left, right) => right.prefix.length - left.prefix.length)) {
  const first = rule.prefix.charCodeAt(0);
  RULES_BY_FIRST.set(first, [...(RULES_BY_FIRST.get(first) ?? []), rule]);
}

const AWS_LOWER_NAME = 'secret_access_key';
const PEM_BEGIN = '-----BEGIN ';
const AWS_UPPER_NAME = 'SECRET_ACCESS_KEY';

/**
 * Secrets with a recognizable shape: provider API keys (OpenAI, Anthropic, Google, Stripe, Slack, Cascade's `csk_`),
 * AWS access keys (and secret keys next to their variable name), GitHub tokens, JWTs and PEM
 * private-key blocks. Every key prefix starts with `A` or has a `-`/`_` right after a lower-case
 * letter 2 to 6 characters after its start: native searches for these rare characters, then the
 * few positions where a prefix could start are checked; each hit costs a bounded body scan. Texts
 * without `_` or `-` skip the scans whose names need them.
 */
export function recognizeSecrets(text: string, out: RawPiiMatch[]): void {
  let nextDash = text.indexOf('-');
  let nextUnderscore = text.indexOf('_');
  let nextA = text.indexOf('A');
  const dash = nextDash >= 0;
  const underscore = nextUnderscore >= 0;
  // Next position a prefix may start (after a key, or after a prefix whose key did not validate).
  let next = 0;
  // Positions below this were already checked.
  let checked = 0;
  for (;;) {
    let at = nextDash;
    if (nextUnderscore >= 0 && (at < 0 || nextUnderscore < at)) at = nextUnderscore;
    if (nextA >= 0 && (at < 0 || nextA < at)) at = nextA;
    if (at < 0) break;
    if (at === nextDash) nextDash = text.indexOf('-', at + 1);
    else if (at === nextUnderscore) nextUnderscore = text.indexOf('_', at + 1);
    else nextA = text.indexOf('A', at + 1);
    if (at < next) continue;
    if (text.charCodeAt(at) === 65) {
      // AIza, AKIA, ASIA start at the `A` itself.
      next = checkPrefix(text, at, next, out);
    } else {
      const before = text.charCodeAt(at - 1);
      if (!(before >= 97 && before <= 122)) continue;
      // The `-`/`_` sits 2 (sk- sk_ rk_), 3 (gh?_ csk_), 4 (xox?- xapp-), 5 (whsec_) or 6 (github_pat_)
      // characters after the prefix start; earlier positions were checked at earlier triggers.
      for (let distance = 6; distance >= 2; distance--) {
        const index = at - distance;
        if (index >= checked && index >= next) next = checkPrefix(text, index, next, out);
      }
    }
    checked = at + 1;
  }
  if (underscore) {
    recognizeAwsSecretKeys(text, AWS_LOWER_NAME, out);
    recognizeAwsSecretKeys(text, AWS_UPPER_NAME, out);
  }
  recognizeJwts(text, out);
  if (dash) recognizePrivateKeys(text, out);
}

/**
 * Checks for a key prefix at `index`: pushes the key when one validates. Returns where the next
 * prefix may start (after the key, after the unvalidated prefix, or `next` when there is none).
 */
function checkPrefix(text: string, index: number, next: number, out: RawPiiMatch[]): number {
  const first = text.charCodeAt(index);
  const prefix = prefixLength(text, index, first);
  if (prefix === 0) return next;
  for (const rule of RULES_BY_FIRST.get(first) ?? []) {
    if (!text.startsWith(rule.prefix, index)) continue;
    const end = matchRule(text, rule, index);
    if (end > index) {
      out.push({ type: rule.type, start: index, end, score: 0.95, detail: rule.detail });
      return end;
    }
  }
  return index + prefix;
}

/** End of the token when `rule` matches at `index`, else `index`. */
function matchRule(text: string, rule: TokenRule, index: number): number {
  const boundary = index === 0 || !(isAlnumCode(text.charCodeAt(index - 1)) || text.charCodeAt(index - 1) === 95 || text.charCodeAt(index - 1) === 45);
  if (!boundary || (rule.unless?.some((other) => text.startsWith(other, index)) ?? false)) return index;
  const bodyStart = index + rule.prefix.length;
  let end = bodyStart;
  while (end < text.length && end - bodyStart <= rule.maxBody && rule.body(text.charCodeAt(end))) end++;
  const bodyLength = end - bodyStart;
  const after = end < text.length ? text.charCodeAt(end) : 32;
  if (bodyLength < rule.minBody || bodyLength > rule.maxBody || isAlnumCode(after)) return index;
  const random = rule.minEntropy === undefined ? hasDigitAndLetter(text, bodyStart, end) : entropyBits(text, bodyStart, end) >= rule.minEntropy;
  return random ? end : index;
}

/** Shannon entropy of `text[start, end)` in bits per character (ASCII bodies; bounded by maxBody). */
function entropyBits(text: string, start: number, end: number): number {
  const counts = new Map<number, number>();
  for (let index = start; index < end; index++) counts.set(text.charCodeAt(index), (counts.get(text.charCodeAt(index)) ?? 0) + 1);
  const length = end - start;
  let bits = 0;
  for (const count of counts.values()) bits -= (count / length) * Math.log2(count / length);
  return bits;
}

function hasDigitAndLetter(text: string, start: number, end: number): boolean {
  let digit = false;
  let letter = false;
  for (let index = start; index < end && !(digit && letter); index++) {
    const code = text.charCodeAt(index);
    if (code >= 48 && code <= 57) digit = true;
    else if (isAlnumCode(code)) letter = true;
  }
  return digit && letter;
}

/**
 * `aws_secret_access_key = <40 chars>`: a 40-char base64 secret only counts next to its name
 * (`needle` is one of both spellings seen in configs: lower for ini/env files, upper for variables).
 */
function recognizeAwsSecretKeys(text: string, needle: string, out: RawPiiMatch[]): void {
  let index = text.indexOf(needle);
  while (index >= 0) {
    let cursor = index + needle.length;
    // optional quote, spaces, separator (= or :), spaces, optional quote
    let steps = 0;
    while (cursor < text.length && steps < 6 && (isSpaceCode(text.charCodeAt(cursor)) || text[cursor] === '"' || text[cursor] === "'" || text[cursor] === '=' || text[cursor] === ':')) {
      cursor++;
      steps++;
    }
    let end = cursor;
    while (end < text.length && end - cursor <= 40 && (isAlnumCode(text.charCodeAt(end)) || text[end] === '/' || text[end] === '+')) end++;
    if (end - cursor === 40 && steps > 0) out.push({ type: 'AWS_SECRET_KEY', start: cursor, end, score: 0.9, detail: 'aws' });
    index = text.indexOf(needle, Math.max(end, index + 1));
  }
}

/** JWTs: `eyJ…` header and payload (base64url JSON objects) and a signature; header must decode with `alg`. */
function recognizeJwts(text: string, out: RawPiiMatch[]): void {
  let index = indexOfJwtStart(text, 0);
  while (index >= 0) {
    let next = index + 3;
    if (index === 0 || !isBase64UrlCode(text.charCodeAt(index - 1))) {
      const headerEnd = scanBase64Url(text, index, 4096);
      if (headerEnd - index >= 16 && text.charCodeAt(headerEnd) === 46 && text.startsWith('eyJ', headerEnd + 1)) {
        const payloadEnd = scanBase64Url(text, headerEnd + 1, 16384);
        if (text.charCodeAt(payloadEnd) === 46) {
          const signatureEnd = scanBase64Url(text, payloadEnd + 1, 4096);
          if (headerDecodes(text.slice(index, headerEnd))) {
            out.push({ type: 'JWT', start: index, end: signatureEnd, score: 0.95, detail: signatureEnd > payloadEnd + 1 ? 'signed' : 'unsigned' });
            next = signatureEnd;
          }
        }
      }
    }
    index = indexOfJwtStart(text, next);
  }
}

/** `text.indexOf('eyJ', from)`, searching for the rarer `yJ` first. */
function indexOfJwtStart(text: string, from: number): number {
  let found = text.indexOf('yJ', from + 1);
  while (found >= 0 && text.charCodeAt(found - 1) !== 101) found = text.indexOf('yJ', found + 1);
  return found < 0 ? -1 : found - 1;
}

function scanBase64Url(text: string, start: number, max: number): number {
  let end = start;
  while (end < text.length && end - start < max && isBase64UrlCode(text.charCodeAt(end))) end++;
  return end;
}

function headerDecodes(header: string): boolean {
  // The shortest real header, {"alg":"none"}, is 20 base64url chars.
  if (header.length < 16) return false;
  const json = Buffer.from(header, 'base64url').toString('utf8');
  if (!json.startsWith('{') || !json.endsWith('}')) return false;
  try {
    const parsed: unknown = JSON.parse(json);
    return typeof parsed === 'object' && parsed !== null && ('alg' in parsed || 'typ' in parsed);
  } catch {
    return false;
  }
}

const MAX_PEM = 16384;

/**
 * PEM private-key blocks (`-----BEGIN … PRIVATE KEY-----` through the matching END line). A block
 * without its END line (truncated, or still streaming) runs to the end of its base64 body.
 * The END search position only moves forward, so many BEGIN lines cost O(n) in total.
 */
function recognizePrivateKeys(text: string, out: RawPiiMatch[]): void {
  let index = text.indexOf(PEM_BEGIN);
  let nextEnd = -2;
  while (index >= 0) {
    const labelEnd = text.indexOf('-----', index + PEM_BEGIN.length);
    const label = labelEnd >= 0 && labelEnd - index < 64 ? text.slice(index + PEM_BEGIN.length, labelEnd) : '';
    if (!label.endsWith('PRIVATE KEY') && label !== 'OPENSSH PRIVATE KEY' && label !== 'PGP PRIVATE KEY BLOCK') {
      index = text.indexOf(PEM_BEGIN, index + 1);
      continue;
    }
    const bodyStart = labelEnd + 5;
    if (nextEnd !== -1 && nextEnd < bodyStart) nextEnd = text.indexOf('-----END ', bodyStart);
    let end: number;
    if (nextEnd >= 0 && nextEnd - index <= MAX_PEM) {
      const close = text.indexOf('-----', nextEnd + 9);
      end = close >= 0 && close - nextEnd < 64 ? close + 5 : nextEnd + 9;
    } else {
      end = bodyStart;
      while (end < text.length && end - index < MAX_PEM && (isBase64UrlCode(text.charCodeAt(end)) || isSpaceCode(text.charCodeAt(end)) || text[end] === '+' || text[end] === '/' || text[end] === '=' || text[end] === ':')) end++;
      while (end > bodyStart && isSpaceCode(text.charCodeAt(end - 1))) end--;
    }
    out.push({ type: 'PRIVATE_KEY', start: index, end, score: 0.99, detail: label.toLowerCase().replace(/ /g, '-') });
    index = text.indexOf(PEM_BEGIN, end);
  }
}
