import { createHash } from 'node:crypto';
import { CascadeError, parseConfig, type GuardAction, type GuardFinding } from '@cascade/core';
import { ACTION_SEVERITY } from './merge-matches';
import { piiConfigSchema, type PiiConfig, type ResolvedPiiConfig } from './pii-config';
import { createPiiDetectorFromResolved, type PiiDetector } from './pii-detector';
import { PII_ENTITY_TYPES, type PiiEntityType, type PiiMatch } from './pii-entity';
import { describeType, requireArray, requireText } from '../util/require-input';

/** What the redactor did to one text. */
export interface PiiRedaction {
  /** The text with every `redact`/`mask`/`hash` entity replaced (unchanged when nothing was replaced). */
  text: string;
  /** True when an entity's action is `block`: the caller must not pass the text on. */
  blocked: boolean;
  /** One finding per entity whose action is not `allow` (no raw values). */
  findings: GuardFinding[];
  /** The merged matches with their resolved action (values only with `includeValues`). */
  matches: (PiiMatch & { action: GuardAction })[];
}

/** Detects PII and applies each entity type's action. */
export interface PiiRedactor {
  readonly detector: PiiDetector;
  /** The action for an entity type under this config. */
  actionFor(type: PiiEntityType): GuardAction;
  /** Detects and applies actions to `text`. */
  redact(text: string): PiiRedaction;
  /** Applies actions to matches already found in `text` (offsets into `text`). */
  apply(text: string, matches: readonly PiiMatch[]): PiiRedaction;
}

/**
 * Creates a PII redactor: detection plus per-entity actions — `redact` (typed placeholder),
 * `mask`, `hash` (salted SHA-256), `block`, `warn`, `allow`.
 *
 * @param config - see {@link piiConfigSchema}; `hashSalt` is required when any action is `hash`.
 * @throws CascadeError `INVALID_CONFIG` for a bad field or a `hash` action without `hashSalt`.
 * @example
 * const redactor = createPiiRedactor({ actions: { CREDIT_CARD: 'block', EMAIL_ADDRESS: 'mask' } });
 * redactor.redact('write to ada@example.com').text; // 'write to ***@*******.com'
 */
export function createPiiRedactor(config: PiiConfig = {}): PiiRedactor {
  const resolved = parseConfig(piiConfigSchema, config, 'PII redactor config');
  const detector = createPiiDetectorFromResolved(resolved);
  const actionFor = (type: PiiEntityType): GuardAction => resolved.actions[type] ?? resolved.action;
  const usesHash = resolved.action === 'hash' || Object.values(resolved.actions).includes('hash');
  if (usesHash && resolved.hashSalt === undefined) {
    throw new CascadeError(
      'INVALID_CONFIG',
      'Invalid PII redactor config: an action is "hash" but hashSalt is missing. Set pii.hashSalt to a secret of 16+ characters (the same on every replica), or use "redact".',
    );
  }
  const apply = (text: string, matches: readonly PiiMatch[]): PiiRedaction => {
    requireText(text, 'PII redactor apply');
    requireArray(matches, 'PII redactor apply', 'the matches (from detector.detect(text))');
    return applyActions(text, matches, resolved, actionFor);
  };
  return {
    detector,
    actionFor: (type) => {
      if (!PII_ENTITY_TYPES.includes(type)) throw new CascadeError('INVALID_INPUT', `actionFor expects a PII entity type (one of ${PII_ENTITY_TYPES.join(', ')}), got ${typeof type === 'string' ? `"${type}"` : describeType(type)}.`);
      return actionFor(type);
    },
    redact: (text) => {
      requireText(text, 'PII redact');
      return applyActions(text, detector.detect(text), resolved, actionFor);
    },
    apply,
  };
}

function matchAction(match: PiiMatch, actionFor: (type: PiiEntityType) => GuardAction): GuardAction {
  let action = actionFor(match.type);
  for (const other of match.mergedTypes ?? []) {
    const candidate = actionFor(other);
    if (ACTION_SEVERITY[candidate] > ACTION_SEVERITY[action]) action = candidate;
  }
  return action;
}

function applyActions(text: string, matches: readonly PiiMatch[], config: ResolvedPiiConfig, actionFor: (type: PiiEntityType) => GuardAction): PiiRedaction {
  const findings: GuardFinding[] = [];
  const resolved: (PiiMatch & { action: GuardAction })[] = [];
  let blocked = false;
  let output = '';
  let cursor = 0;
  for (const match of matches) {
    const action = matchAction(match, actionFor);
    resolved.push({ ...match, action });
    if (action === 'allow') continue;
    findings.push({
      guard: 'pii',
      type: match.type,
      action,
      start: match.start,
      end: match.end,
      score: match.score,
      ...(match.detail ? { detail: match.detail } : {}),
    });
    if (action === 'block') blocked = true;
    if (action === 'warn' || action === 'block') continue;
    const value = text.slice(match.start, match.end);
    output += text.slice(cursor, match.start) + replacement(value, match.type, action, config);
    cursor = match.end;
  }
  output += text.slice(cursor);
  return { text: cursor === 0 ? text : output, blocked, findings, matches: resolved };
}

/** The text that replaces one entity under a replacing action. */
export function replacement(value: string, type: PiiEntityType, action: 'redact' | 'mask' | 'hash', config: ResolvedPiiConfig): string {
  if (action === 'redact') return config.placeholder.replaceAll('{type}', type);
  if (action === 'hash') {
    const digest = createHash('sha256').update(config.hashSalt ?? '').update('\u0000').update(value).digest('hex');
    return `[${type}:${digest.slice(0, 16)}]`;
  }
  return maskValue(value, config.mask.char, config.mask.keepLast);
}

/** Replaces letters and digits with `char`, keeping the last `keepLast` of them and every separator. */
export function maskValue(value: string, char: string, keepLast: number): string {
  requireText(value, 'maskValue');
  if (typeof char !== 'string' || typeof keepLast !== 'number' || !Number.isInteger(keepLast) || keepLast < 0) {
    throw new CascadeError('INVALID_INPUT', `maskValue expects (value, char, keepLast): a mask character string and a whole number of characters to keep, got ${describeType(char)} and ${describeType(keepLast)}.`);
  }
  let alnum = 0;
  for (const symbol of value) if (/[\p{L}\p{N}]/u.test(symbol)) alnum++;
  // Never reveal more than a quarter of a short value.
  const keep = Math.min(keepLast, Math.floor(alnum / 4));
  let seen = 0;
  let result = '';
  for (const symbol of value) {
    if (/[\p{L}\p{N}]/u.test(symbol)) {
      seen++;
      result += seen > alnum - keep ? symbol : char;
    } else {
      result += symbol;
    }
  }
  return result;
}
