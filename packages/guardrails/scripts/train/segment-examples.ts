/**
 * Segment training rows for segment-level injection scoring (src/classifier/segment-scores.ts):
 * every segment of a benign text is a negative; for a BIPIA positive, the attack span is what
 * differs from its clean twin (the same context without the attack), and the segments holding most
 * of it are positives. Other positives (mostly short direct attacks) are their own segment: the
 * whole-text rows cover them. Features come from the same positioned pass the scorer uses.
 */
import { collectPositionedFeatures } from '../../src/classifier/hashed-features';
import { textWindows } from '../../src/classifier/linear-classifier';
import { normalizeForFeatures } from '../../src/classifier/normalize-for-features';
import { segmentBounds } from '../../src/classifier/segment-scores';
import type { SourcedExample } from './training-data';

/** The attack span `[from, to)` of a positive: what differs from its closest twin (≥ 90 % of the twin kept around it). */
export function attackSpan(positive: string, twins: readonly string[]): { from: number; to: number } | undefined {
  let best: { from: number; to: number; kept: number } | undefined;
  for (const twin of twins) {
    const most = Math.min(positive.length, twin.length);
    let prefix = 0;
    while (prefix < most && positive.charCodeAt(prefix) === twin.charCodeAt(prefix)) prefix++;
    let suffix = 0;
    while (suffix < most - prefix && positive.charCodeAt(positive.length - 1 - suffix) === twin.charCodeAt(twin.length - 1 - suffix)) suffix++;
    const kept = prefix + suffix;
    if (kept >= 0.9 * twin.length && (!best || kept > best.kept)) best = { from: prefix, to: positive.length - suffix, kept };
  }
  return best && best.to > best.from ? { from: best.from, to: best.to } : undefined;
}

/** Datasets whose positives have clean twins among their negatives. */
const TWINNED = new Set(['bipia']);

/**
 * Segment rows (source `<source>#segment`, so balancing weighs them as a source of their own
 * within the parent's kind) and their features, in input order (deterministic). `ownKind` makes
 * them kinds of their own instead: measured held out, that took weight from the direct attacks
 * (gandalf recall 0.775 vs 0.812, hackaprompt 0.205 vs 0.236, protectai-validation 0.438 vs 0.464).
 */
export function segmentExamples(examples: readonly SourcedExample[], chars: number, bucketBits: number, ownKind = false): { examples: SourcedExample[]; features: Int32Array[] } {
  const mask = 2 ** bucketBits - 1;
  const normalized = examples.map((example) => normalizeForFeatures(example.text));
  const twins = new Map<string, string[]>();
  examples.forEach((example, index) => {
    if (TWINNED.has(example.dataset) && example.labels[0] === 0) (twins.get(example.dataset) ?? twins.set(example.dataset, []).get(example.dataset)!).push(normalized[index]!);
  });
  const out: SourcedExample[] = [];
  const features: Int32Array[] = [];
  for (const [index, example] of examples.entries()) {
    const positive = example.labels[0] === 1;
    if (positive && !TWINNED.has(example.dataset)) continue;
    const text = normalized[index]!;
    const span = positive ? attackSpan(text, twins.get(example.dataset) ?? []) : undefined;
    if (positive && !span) continue;
    let offset = 0;
    for (const window of textWindows(text)) {
      const start = text.indexOf(window, offset);
      offset = Math.max(offset, start);
      const bounds = segmentBounds(window.length, chars);
      if (bounds.length === 0) continue;
      const { features: all, positions } = collectPositionedFeatures(window, mask);
      for (let bound = 0; bound < bounds.length; bound += 2) {
        const from = bounds[bound]!;
        const to = bounds[bound + 1]!;
        if (span) {
          const overlap = Math.min(start + to, span.to) - Math.max(start + from, span.from);
          if (overlap < 0.5 * Math.min(span.to - span.from, to - from)) continue;
        }
        const own: number[] = [];
        for (let feature = 0; feature < all.length; feature++) if (positions[feature]! >= from && positions[feature]! < to) own.push(all[feature]!);
        out.push({ text: '', labels: [...example.labels], source: `${example.source}#segment`, dataset: example.dataset, kind: ownKind ? `${example.kind ?? 'benign'}-segment` : example.kind });
        features.push(Int32Array.from(own));
      }
    }
  }
  return { examples: out, features };
}
