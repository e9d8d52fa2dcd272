import { CascadeError, parseConfig, throwIfAborted, type GuardFinding, type GuardedStreamPart } from '@cascade/core';
import { z } from 'zod';
import type { PiiRedactor } from '../pii/pii-redactor';
import { isSpaceCode } from '../util/chars';
import { describeType, hasMethod, requireOptions, requireStream } from '../util/require-input';

/** Configuration of {@link redactStream}. */
export const streamRedactorConfigSchema = z.strictObject({
  /**
   * Characters always held back at the end of the pending text, so right-hand context words and
   * right boundaries are seen before text is released. @default 24
   */
  minHoldChars: z.number().int().min(0).max(1024).default(24),
  /**
   * How far back a run of short, number-like tokens (phone, card, IBAN groups) is held as one
   * possible entity. Must cover the longest entity that contains spaces. @default 64
   */
  groupHoldChars: z.number().int().min(16).max(1024).default(64),
  /**
   * Upper bound on held text. A single token longer than this (a huge URL or key block) is released,
   * down to half this bound, after redacting what is detectable in it. @default 16384
   */
  maxHoldChars: z.number().int().min(256).max(1_048_576).default(16_384),
  /** Characters of already released text kept as left context for the next scan. @default 64 */
  contextChars: z.number().int().min(0).max(1024).default(64),
});

/** Stream redactor config as callers write it. */
export type StreamRedactorConfig = z.input<typeof streamRedactorConfigSchema>;

/** Options of one stream redaction. */
export interface RedactStreamOptions {
  abortSignal?: AbortSignal;
}

/**
 * Redacts PII in a stream of text deltas. Pending text is released only up to a cut that no entity
 * can straddle: the cut stays before the last token (any entity may still be growing there), before a
 * trailing run of short number-like groups, and `minHoldChars` from the end; matches crossing the cut
 * move it back to their start. So an entity split across any chunk boundary is redacted exactly as
 * in the whole text, while clean text flows with a delay of a few tokens.
 *
 * Yields `text` parts (already redacted) and a `guardrail` part per released batch of findings:
 * `redacted` for replaced entities, `warned` for `warn`, and `stopped` (then ends) when an entity's
 * action is `block` — the blocked entity and anything after it are never yielded.
 *
 * @param deltas - the text deltas, e.g. a model's stream.
 * @param redactor - from `createPiiRedactor`.
 * @example
 * for await (const part of redactStream(deltas, createPiiRedactor())) if (part.type === 'text') write(part.text);
 */
export async function* redactStream(
  deltas: AsyncIterable<string>,
  redactor: PiiRedactor,
  config: StreamRedactorConfig = {},
  options: RedactStreamOptions = {},
): AsyncGenerator<GuardedStreamPart> {
  requireStream(deltas, 'redactStream');
  if (!hasMethod(redactor, 'apply') || !hasMethod((redactor as Partial<PiiRedactor>).detector, 'detect')) {
    throw new CascadeError('INVALID_CONFIG', `redactStream expects a PII redactor from createPiiRedactor() as its second argument, got ${describeType(redactor)}.`);
  }
  requireOptions(options, 'redactStream');
  const settings = parseConfig(streamRedactorConfigSchema, config, 'stream redactor config');
  let context = '';
  let pending = '';
  let offset = 0;
  const shape: PendingShape = { lastSpace: -1, openBegin: -1, forceFrom: 0, tail: '' };

  const release = function* (final: boolean): Generator<GuardedStreamPart, boolean> {
    if (pending.length === 0) return true;
    let cut = final ? pending.length : safeCut(pending, settings, shape);
    if (cut <= 0) return true;
    const scanned = context + pending;
    const base = context.length;
    const matches = redactor.detector.detect(scanned);
    // Matches crossing the cut wait for more text; matches inside the released context were handled.
    for (const match of matches) {
      if (match.start < base + cut && match.end > base + cut) cut = Math.max(0, Math.min(cut, match.start - base));
    }
    if (cut <= 0) {
      // An entity longer than the hold (an unterminated key block) spans the forced cut: scan again
      // only after half a hold more text, not on every delta (that re-scan was quadratic).
      if (pending.length > settings.maxHoldChars) shape.forceFrom = pending.length + Math.ceil(settings.maxHoldChars / 2);
      return true;
    }
    shape.forceFrom = 0;
    const inside = matches
      .filter((match) => match.end > base && match.start < base + cut)
      .map((match) => ({ ...match, start: Math.max(0, match.start - base), end: Math.min(cut, match.end - base) }));
    const piece = pending.slice(0, cut);
    const result = redactor.apply(piece, inside);
    const findings: GuardFinding[] = result.findings.map((finding) => ({
      ...finding,
      ...(finding.start !== undefined ? { start: finding.start + offset } : {}),
      ...(finding.end !== undefined ? { end: finding.end + offset } : {}),
    }));
    if (result.blocked) {
      const firstBlock = result.matches.find((match) => match.action === 'block')!;
      const before = redactor.apply(piece.slice(0, firstBlock.start), inside.filter((match) => match.end <= firstBlock.start));
      if (before.text.length > 0) yield { type: 'text', text: before.text };
      yield {
        type: 'guardrail',
        action: 'stopped',
        findings,
        reason: `The stream was stopped: it contained ${firstBlock.type}, whose policy action is "block".`,
      };
      return false;
    }
    if (result.text.length > 0) yield { type: 'text', text: result.text };
    if (findings.length > 0) {
      const replaced = findings.filter((finding) => finding.action !== 'warn');
      if (replaced.length > 0) yield { type: 'guardrail', action: 'redacted', findings: replaced };
      const warned = findings.filter((finding) => finding.action === 'warn');
      if (warned.length > 0) yield { type: 'guardrail', action: 'warned', findings: warned };
    }
    context = (context + piece).slice(-settings.contextChars);
    pending = pending.slice(cut);
    shape.lastSpace = shape.lastSpace >= cut ? shape.lastSpace - cut : -1;
    shape.openBegin = shape.openBegin >= cut ? shape.openBegin - cut : -1;
    offset += cut;
    return true;
  };

  for await (const delta of deltas) {
    throwIfAborted(options.abortSignal);
    if (typeof delta !== 'string') throw new CascadeError('INVALID_INPUT', `redactStream expects string deltas, got ${typeof delta}. Map stream parts to their text first.`);
    if (delta.length === 0) continue;
    const previousLength = pending.length;
    pending += delta;
    updateShape(shape, previousLength, delta);
    const keepGoing = yield* release(false);
    if (!keepGoing) return;
  }
  throwIfAborted(options.abortSignal);
  yield* release(true);
}

const PEM_BEGIN = '-----BEGIN ';
const PEM_END = '-----END ';

/**
 * What {@link safeCut} needs to know about the pending text, kept up to date per delta from the
 * delta alone: re-reading all of `pending` for every delta was quadratic while a long token or an
 * open key block was held (one-character deltas of a 16 k token took seconds).
 */
export interface PendingShape {
  /** Index of the last whitespace character in pending, -1 when none. */
  lastSpace: number;
  /** Index of the last `-----BEGIN ` in pending when no `-----END ` follows it, else -1. */
  openBegin: number;
  /** Length below which an over-long hold is not forced out again (after a forced cut found an entity across it). */
  forceFrom: number;
  /** The last characters of pending when a marker may have started there (they hold a '-'), else ''. */
  tail: string;
}

/**
 * Updates `shape` after `delta` was appended to pending (which was `previousLength` long). Reads
 * only `delta` and the few characters before it: any read of `pending` itself would flatten the
 * string V8 builds by appending, a copy of all of it per delta.
 */
export function updateShape(shape: PendingShape, previousLength: number, delta: string): void {
  for (let index = delta.length - 1; index >= 0; index--) {
    if (isSpaceCode(delta.charCodeAt(index))) {
      shape.lastSpace = previousLength + index;
      break;
    }
  }
  // Markers start with '-' and may straddle the old end: search the tail of the old text with the delta.
  if (shape.tail.length === 0 && !delta.includes('-')) return;
  const window = shape.tail + delta;
  const origin = previousLength - shape.tail.length;
  for (let begin = window.indexOf(PEM_BEGIN); begin >= 0; begin = window.indexOf(PEM_BEGIN, begin + 1)) shape.openBegin = origin + begin;
  if (shape.openBegin >= 0 && window.indexOf(PEM_END, Math.max(0, shape.openBegin - origin)) >= 0) shape.openBegin = -1;
  // A tail without '-' cannot start a marker: drop it, so plain text costs no allocation per delta.
  const tail = window.slice(-(PEM_BEGIN.length - 1));
  shape.tail = tail.includes('-') ? tail : '';
}

/**
 * Most characters of `pending` that may be released before scanning (see {@link redactStream}).
 * Reads only the few groups before the last token; when the hold outgrows `maxHoldChars` it
 * releases down to half of it, so a huge token is scanned a bounded number of times per character.
 */
export function safeCut(pending: string, settings: z.output<typeof streamRedactorConfigSchema>, shape: PendingShape): number {
  const length = pending.length;
  // The last token may still grow (emails, URLs, keys have no spaces); an open private-key block
  // is held whole until its END line arrives.
  let cut = Math.min(length - settings.minHoldChars, shape.lastSpace + 1);
  if (shape.openBegin >= 0) cut = Math.min(cut, shape.openBegin);
  if (cut > 0) {
    // A trailing run of short groups separated by single spaces may be one phone, card or IBAN.
    let groupStart = shape.lastSpace + 1;
    for (;;) {
      if (groupStart < 2 || pending.charCodeAt(groupStart - 1) !== 32) break;
      let previous = groupStart - 1;
      // A group longer than 6 ends the run: never walk further back than that.
      while (previous > 0 && groupStart - previous <= 7 && !isSpaceCode(pending.charCodeAt(previous - 1))) previous--;
      const size = groupStart - 1 - previous;
      if (size === 0 || size > 6 || length - previous > settings.groupHoldChars) break;
      groupStart = previous;
    }
    cut = Math.min(cut, groupStart);
  }
  if (length > settings.maxHoldChars && length >= shape.forceFrom && cut < length - settings.maxHoldChars) return length - Math.ceil(settings.maxHoldChars / 2);
  return Math.max(cut, 0);
}
