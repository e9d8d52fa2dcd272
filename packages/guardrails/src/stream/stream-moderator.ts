import {
  abortErrorFrom, CascadeError, parseConfig, raceAbort, throwIfAborted, toCascadeError, type GuardFinding, type GuardedStreamPart,
} from '@cascade/core';
import { z } from 'zod';
import type { ModerationCategory } from '../moderation/moderation-category';
import type { ModerationResult, Moderator } from '../moderation/moderator';
import { isSpaceCode } from '../util/chars';
import { describeType, hasMethod, requireOptions, requireStream } from '../util/require-input';

/** Configuration of {@link moderateStream} (also accepted under the middleware's `stream` config). */
export const streamModeratorConfigSchema = z.strictObject({
  /**
   * Most characters of not-yet-moderated text held back. Text is released only after the moderator
   * has seen it; a sentence longer than this is checked early at a word boundary, so the client
   * waits at most this many characters plus one moderator call. `0` releases text immediately and
   * moderates it afterwards: lowest latency, but flagged text reaches the client before the stop.
   * @default 400
   */
  moderationHoldChars: z.number().int().min(0).max(16_384).default(400),
  /** Characters of already checked text sent again as left context with each check. @default 200 */
  moderationContextChars: z.number().int().min(0).max(4096).default(200),
});

/** Stream moderator config as callers write it. */
export type StreamModeratorConfig = z.input<typeof streamModeratorConfigSchema>;

/** Which categories count and what to do about them (the middleware's `moderation` settings). */
export interface StreamModerationSettings {
  /** `block` stops the stream; `warn` reports each category once and keeps streaming. */
  action: 'block' | 'warn';
  /** Categories that count; absent means all. */
  categories?: readonly ModerationCategory[] | undefined;
  /** Score threshold; absent uses the moderator's own flags. */
  threshold?: number | undefined;
}

/** Options of one stream moderation. */
export interface ModerateStreamOptions {
  abortSignal?: AbortSignal;
}

/** Check window when nothing is held back (`moderationHoldChars: 0`). */
const PASS_THROUGH_WINDOW_CHARS = 512;

/**
 * Moderates a stream of text deltas (or the parts of another stream guard, e.g. `redactStream`) as
 * it flows. Text is checked at sentence and line ends — at most one check per delta, up to its last
 * sentence end; each check sees the new text plus `moderationContextChars` of checked text before
 * it, so cost stays linear in the answer length — and the unfinished tail is checked at the end.
 *
 * Trade-off: unchecked text is held back (at most `moderationHoldChars`), so a flagged sentence that
 * fits the hold never reaches the client, at the price of up to one sentence of latency. With
 * `moderationHoldChars: 0` text flows at once and a flag only stops what follows.
 *
 * On a flag with action `block`, yields `{ type: 'guardrail', action: 'stopped', findings, reason }`
 * and ends (nothing after it); with `warn`, yields `warned` once per newly flagged category and
 * keeps streaming. Upstream guardrail parts pass through; an upstream `stopped` ends the stream after
 * the text before it has been checked.
 *
 * @throws CascadeError `ABORTED`/`TIMEOUT` when `abortSignal` fires (also during a moderator call),
 * and the moderator's failure as a typed error (default `MODEL_CALL_FAILED`); held text is not
 * released then. Wrap the moderator with `withModerationFallback` to degrade instead.
 * @example
 * for await (const part of moderateStream(deltas, createLocalModerator(), { action: 'block' })) if (part.type === 'text') write(part.text);
 */
export async function* moderateStream(
  source: AsyncIterable<string | GuardedStreamPart>,
  moderator: Moderator,
  settings: StreamModerationSettings,
  config: StreamModeratorConfig = {},
  options: ModerateStreamOptions = {},
): AsyncGenerator<GuardedStreamPart> {
  requireStream(source, 'moderateStream');
  if (!hasMethod(moderator, 'moderate')) {
    throw new CascadeError('INVALID_CONFIG', `moderateStream expects a moderator (an object with moderate(), e.g. createLocalModerator()) as its second argument, got ${describeType(moderator)}.`);
  }
  requireSettings(settings, 'moderateStream');
  requireOptions(options, 'moderateStream');
  const { moderationHoldChars: holdChars, moderationContextChars: contextChars } = parseConfig(streamModeratorConfigSchema, config, 'stream moderator config');
  const abortSignal = options.abortSignal;
  const holding = holdChars > 0;
  const limit = holding ? holdChars : PASS_THROUGH_WINDOW_CHARS;
  const warned = new Set<string>();
  let context = '';
  let pending = '';
  let offset = 0;
  // pending[0, scanned) has been searched for sentence ends; `boundary` is the last one found (0: none).
  let scanned = 0;
  let boundary = 0;

  const nextCut = (final: boolean): number => {
    if (final && pending.length <= limit) return pending.length;
    const end = Math.min(pending.length, limit);
    for (; scanned < end; scanned++) if (isBoundaryAt(pending, scanned)) boundary = scanned + 1;
    if (boundary > 0) return boundary;
    return pending.length >= limit ? forcedCut(pending, limit) : 0;
  };

  const check = async function* (final: boolean): AsyncGenerator<GuardedStreamPart, boolean> {
    for (;;) {
      const cut = nextCut(final);
      if (cut <= 0) return true;
      const piece = pending.slice(0, cut);
      if (hasVisibleText(piece)) {
        const result = await moderateOnce(moderator, context + piece, abortSignal);
        throwIfAborted(abortSignal, 'Stream moderation');
        const findings = moderationFindings(result, settings).map((finding) => ({ ...finding, start: offset - context.length, end: offset + cut }));
        if (findings.length > 0 && settings.action === 'block') {
          const categories = findings.map((finding) => finding.type).join(', ');
          yield { type: 'guardrail', action: 'stopped', findings, reason: `The stream was stopped: content flagged by moderation (${categories}).` };
          return false;
        }
        const fresh = findings.filter((finding) => !warned.has(finding.type));
        for (const finding of fresh) warned.add(finding.type);
        if (fresh.length > 0) yield { type: 'guardrail', action: 'warned', findings: fresh };
      }
      if (holding) yield { type: 'text', text: piece };
      context = tailContext(context + piece, contextChars);
      pending = pending.slice(cut);
      offset += cut;
      scanned = Math.max(0, scanned - cut);
      boundary = 0;
    }
  };

  for await (const item of source) {
    throwIfAborted(abortSignal, 'Stream moderation');
    let text: string;
    if (typeof item === 'string') text = item;
    else if (typeof item === 'object' && item !== null && item.type === 'text') text = item.text;
    else if (typeof item === 'object' && item !== null && item.type === 'guardrail') {
      if (item.action !== 'stopped') {
        yield item;
        continue;
      }
      if (yield* check(true)) yield item;
      return;
    } else {
      throw new CascadeError('INVALID_INPUT', `moderateStream expects string deltas or guarded stream parts, got ${typeof item}.`);
    }
    if (text.length === 0) continue;
    if (!holding) yield { type: 'text', text };
    pending += text;
    if (!(yield* check(false))) return;
  }
  throwIfAborted(abortSignal, 'Stream moderation');
  yield* check(true);
}

/**
 * The findings of one moderation result under `settings`: a category counts when it is selected
 * (or none are) and is flagged — or scores at least `threshold` when one is set.
 */
export function moderationFindings(result: ModerationResult, settings: StreamModerationSettings): GuardFinding[] {
  if (typeof result !== 'object' || result === null || typeof result.categories !== 'object' || result.categories === null) {
    throw new CascadeError('INVALID_INPUT', `moderationFindings expects a moderation result ({ flagged, categories, scores, provider }, as moderate() returns), got ${describeType(result)}.`);
  }
  requireSettings(settings, 'moderationFindings');
  const findings: GuardFinding[] = [];
  for (const [category, flag] of Object.entries(result.categories) as [ModerationCategory, boolean][]) {
    if (settings.categories && !settings.categories.includes(category)) continue;
    const hit = settings.threshold === undefined ? flag : result.scores[category] >= settings.threshold;
    if (!hit) continue;
    const detail = result.fallback ? `${result.provider} (fallback from ${result.fallback.from}: ${result.fallback.reason})` : result.provider;
    findings.push({ guard: 'moderation', type: category, action: settings.action, score: result.scores[category], detail });
  }
  return findings;
}

function requireSettings(settings: unknown, where: string): void {
  const action = typeof settings === 'object' && settings !== null ? (settings as { action?: unknown }).action : undefined;
  if (action !== 'block' && action !== 'warn') {
    throw new CascadeError('INVALID_CONFIG', `${where} expects settings such as { action: 'block' } (action 'block' or 'warn', optional categories and threshold), got ${describeType(settings)}${typeof settings === 'object' && settings !== null ? ' without a valid action' : ''}.`);
  }
}

/** One moderator call that settles as soon as `signal` fires, even if the moderator ignores it. No timers. */
async function moderateOnce(moderator: Moderator, text: string, signal: AbortSignal | undefined): Promise<ModerationResult> {
  throwIfAborted(signal, 'Stream moderation');
  try {
    const call = Promise.resolve().then(() => moderator.moderate(text, signal ? { abortSignal: signal } : {}));
    return await raceAbort(call, signal, 'Stream moderation');
  } catch (error) {
    if (signal?.aborted) throw abortErrorFrom(signal, 'Stream moderation');
    throw toCascadeError(error, 'MODEL_CALL_FAILED', `Stream moderation by "${moderator.name}" failed`);
  }
}

/** A sentence or line ends at `index`: a newline, CJK full stop, or whitespace after `.!?…` (and closing quotes). */
function isBoundaryAt(text: string, index: number): boolean {
  const code = text.charCodeAt(index);
  if (code === 10 || code === 0x3002 || code === 0xff01 || code === 0xff1f) return true;
  if (!isSpaceCode(code)) return false;
  let previous = index - 1;
  while (previous > 0 && isCloserCode(text.charCodeAt(previous))) previous--;
  if (previous < 0) return false;
  const before = text.charCodeAt(previous);
  return before === 46 || before === 33 || before === 63 || before === 0x2026;
}

function isCloserCode(code: number): boolean {
  return code === 34 || code === 39 || code === 41 || code === 93 || code === 0x201d || code === 0x2019 || code === 0xbb;
}

/** A cut at or before `limit` for text with no sentence end: after the last whitespace, else at `limit`. */
function forcedCut(text: string, limit: number): number {
  for (let index = limit - 1; index > 0; index--) if (isSpaceCode(text.charCodeAt(index))) return index + 1;
  return limit;
}

/** The last `size` characters, starting at a word so that a cut word cannot match on its own. */
function tailContext(text: string, size: number): string {
  if (size === 0) return '';
  if (text.length <= size) return text;
  const start = text.length - size;
  if (isSpaceCode(text.charCodeAt(start - 1))) return text.slice(start);
  for (let index = start; index < text.length; index++) if (isSpaceCode(text.charCodeAt(index))) return text.slice(index + 1);
  return '';
}

function hasVisibleText(text: string): boolean {
  for (let index = 0; index < text.length; index++) if (!isSpaceCode(text.charCodeAt(index))) return true;
  return false;
}
