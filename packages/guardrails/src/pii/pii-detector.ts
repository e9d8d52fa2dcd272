import { parseConfig } from '@cascade/core';
import { applyContext, CONTEXT_BOOST, CONTEXT_TYPES } from './context-words';
import { mergeSortedMatches, sortByStart } from './merge-matches';
import type { CandidateFilter } from './names/name-candidates';
import { piiConfigSchema, type PiiConfig, type ResolvedPiiConfig } from './pii-config';
import { PII_DEFAULT_ENTITY_TYPES, type PiiEntityType, type PiiMatch, type RawPiiMatch } from './pii-entity';
import { recognizeAddresses } from './recognizers/address-recognizer';
import { recognizeDates } from './recognizers/date-recognizer';
import { recognizeEmails } from './recognizers/email-recognizer';
import { recognizeIbans } from './recognizers/iban-recognizer';
import { recognizeIpv6 } from './recognizers/ipv6-recognizer';
import { recognizeNames } from './recognizers/name-recognizer';
import { recognizeNumericEntities } from './recognizers/numeric-recognizer';
import type { PiiRecognizer } from './recognizers/recognizer';
import { recognizeSecrets } from './recognizers/secret-recognizer';
import { recognizeUrls } from './recognizers/url-recognizer';
import { requireText } from '../util/require-input';

/** Finds PII in text. Stateless and safe to share. */
export interface PiiDetector {
  /** The entity types this detector reports. */
  readonly entities: readonly PiiEntityType[];
  /** The resolved configuration. */
  readonly config: ResolvedPiiConfig;
  /**
   * Every entity in `text` scoring at least `minScore`, overlaps merged, sorted by start. Linear in
   * the length of `text`.
   */
  detect(text: string): PiiMatch[];
}

const RECOGNIZERS: readonly { types: readonly PiiEntityType[]; scan: PiiRecognizer }[] = [
  { types: ['EMAIL_ADDRESS'], scan: recognizeEmails },
  { types: ['URL'], scan: recognizeUrls },
  { types: ['PHONE_NUMBER', 'CREDIT_CARD', 'US_SSN', 'IP_ADDRESS'], scan: recognizeNumericEntities },
  { types: ['IP_ADDRESS'], scan: recognizeIpv6 },
  { types: ['IBAN_CODE'], scan: recognizeIbans },
  { types: ['API_KEY', 'AWS_ACCESS_KEY', 'AWS_SECRET_KEY', 'GITHUB_TOKEN', 'JWT', 'PRIVATE_KEY'], scan: recognizeSecrets },
  { types: ['STREET_ADDRESS'], scan: recognizeAddresses },
  { types: ['DATE_TIME'], scan: recognizeDates },
];
/** The name model's types: scanned after the others, so it can skip runs their matches discard. */
const NAME_MODEL_TYPES: readonly PiiEntityType[] = ['PERSON', 'LOCATION', 'ORGANIZATION'];

// Type tests by string identity: the types are literals (interned), so each test is a pointer
// comparison, cheaper than a Set lookup per match.
const isNameType = (type: PiiEntityType): boolean => type === 'PERSON' || type === 'LOCATION' || type === 'ORGANIZATION';
/** Whether `type` is one of PII_NAME_ENTITY_TYPES (model and rule types that yield to pattern matches). */
export const isContextual = (type: PiiEntityType): boolean => isNameType(type) || type === 'STREET_ADDRESS' || type === 'DATE_TIME';

/**
 * Precedence before merging: a pattern-and-checksum match (email, card, URL…) keeps its own span and
 * type, so a name or date candidate overlapping it is dropped; names inside a street address
 * ("Rue de Virton", the city) are part of the address. `matches` sorted by start; keeps the order.
 */
function applyPrecedence(matches: PiiMatch[]): PiiMatch[] {
  let exact = false;
  let addresses = false;
  let contextual = false;
  for (const match of matches) {
    if (!isContextual(match.type)) exact = true;
    else {
      contextual = true;
      if (match.type === 'STREET_ADDRESS') addresses = true;
    }
  }
  if (!contextual || (!exact && !addresses)) return matches;
  // Both lists in start order (the input is sorted); a pointer skips the spans that end before a
  // candidate starts (they cannot overlap any later candidate either), so this is O(k) plus the
  // overlaps themselves.
  const strong: PiiMatch[] = [];
  const streets: PiiMatch[] = [];
  for (const match of matches) {
    if (!isContextual(match.type)) strong.push(match);
    else if (match.type === 'STREET_ADDRESS') streets.push(match);
  }
  const kept: PiiMatch[] = [];
  let strongFrom = 0;
  let streetFrom = 0;
  for (const match of matches) {
    if (!isContextual(match.type)) {
      kept.push(match);
      continue;
    }
    while (strongFrom < strong.length && strong[strongFrom]!.end <= match.start) strongFrom++;
    if (overlapsFrom(strong, strongFrom, match)) continue;
    if (isNameType(match.type)) {
      while (streetFrom < streets.length && streets[streetFrom]!.end <= match.start) streetFrom++;
      if (overlapsFrom(streets, streetFrom, match)) continue;
    }
    kept.push(match);
  }
  return kept;
}

/**
 * The spans where precedence will drop any name (a kept pattern match or street address): the
 * name model skips candidates overlapping them instead of scoring them. Undefined when none.
 */
function discardedNames(kept: readonly PiiMatch[]): CandidateFilter | undefined {
  const spans: PiiMatch[] = [];
  for (const match of kept) if (!isContextual(match.type) || match.type === 'STREET_ADDRESS') spans.push(match);
  if (spans.length === 0) return undefined;
  sortByStart(spans);
  // Candidates are asked in start order: spans ending before one cannot overlap any later one.
  let from = 0;
  return (start, end) => {
    while (from < spans.length && spans[from]!.end <= start) from++;
    for (let at = from; at < spans.length && spans[at]!.start < end; at++) if (spans[at]!.end > start) return true;
    return false;
  };
}

/** Whether a span of `spans` (sorted by start) from `from` on overlaps `match`. */
function overlapsFrom(spans: readonly PiiMatch[], from: number, match: PiiMatch): boolean {
  for (let at = from; at < spans.length && spans[at]!.start < match.end; at++) if (spans[at]!.end > match.start) return true;
  return false;
}

/**
 * Creates a PII detector: hand-written linear scanners with checksums (Luhn, mod-97), validity
 * rules (SSN areas, IP octets, IBAN lengths) and context words, no model and no network.
 *
 * @param config - which entities, minimum score, context window (see {@link piiConfigSchema}).
 * @throws CascadeError `INVALID_CONFIG` naming the bad field.
 * @example
 * const detector = createPiiDetector({ entities: ['EMAIL_ADDRESS', 'CREDIT_CARD'] });
 * detector.detect('mail me at ada@example.com'); // [{ type: 'EMAIL_ADDRESS', start: 11, end: 26, score: 0.95 }]
 */
export function createPiiDetector(config: PiiConfig = {}): PiiDetector {
  const resolved = parseConfig(piiConfigSchema, config, 'PII detector config');
  return createPiiDetectorFromResolved(resolved);
}

/** Builds a detector from an already parsed config (used by the redactor to parse only once). */
export function createPiiDetectorFromResolved(resolved: ResolvedPiiConfig): PiiDetector {
  const entities: readonly PiiEntityType[] = resolved.entities ? [...new Set(resolved.entities)] : PII_DEFAULT_ENTITY_TYPES;
  const wanted = new Set<PiiEntityType>(entities);
  const scanners = RECOGNIZERS.filter((recognizer) => recognizer.types.some((type) => wanted.has(type)));
  const names = NAME_MODEL_TYPES.some((type) => wanted.has(type));
  // With every type of every scanner wanted (e.g. all types on), no match needs the lookup.
  const everyTypeWanted = scanners.every((recognizer) => recognizer.types.every((type) => wanted.has(type))) && (!names || NAME_MODEL_TYPES.every((type) => wanted.has(type)));
  const { before, after } = resolved.contextWindow;
  /** Scores `raw` by context and appends the matches that pass to `kept`. */
  const keep = (text: string, raw: readonly RawPiiMatch[], kept: PiiMatch[]): void => {
    for (const match of raw) {
      if (!everyTypeWanted && !wanted.has(match.type)) continue;
      // Context can add at most CONTEXT_BOOST: hopeless candidates skip the context lookup.
      if (match.score + CONTEXT_BOOST < resolved.minScore) continue;
      const score = CONTEXT_TYPES.has(match.type) ? applyContext(text, match, before, after) : match.score;
      if (score < resolved.minScore) continue;
      // Raw matches are fresh objects owned by this call: adjust in place.
      match.score = Math.round(score * 100) / 100;
      kept.push(match);
    }
  };
  return {
    entities,
    config: resolved,
    detect(text: string): PiiMatch[] {
      requireText(text, 'PII detect');
      const raw: RawPiiMatch[] = [];
      for (const scanner of scanners) scanner.scan(text, raw);
      const kept: PiiMatch[] = [];
      keep(text, raw, kept);
      if (names) {
        const found: RawPiiMatch[] = [];
        recognizeNames(text, found, undefined, discardedNames(kept));
        keep(text, found, kept);
      }
      // Sorted once: precedence keeps the order, and merging needs no sort of its own.
      const merged = mergeSortedMatches(applyPrecedence(sortByStart(kept)));
      if (resolved.includeValues) for (const match of merged) match.value = text.slice(match.start, match.end);
      return merged;
    },
  };
}
