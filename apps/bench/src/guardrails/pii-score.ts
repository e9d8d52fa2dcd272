/** A predicted or gold span, typed in the detector's vocabulary. */
export interface TypedSpan {
  type: string;
  start: number;
  end: number;
}

export interface PrfCounts {
  tp: number;
  fp: number;
  fn: number;
}

export interface Prf {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** Gold presidio types mapped to ours. DOMAIN_NAME spans in presidio-synth are URLs with a scheme. */
export const GOLD_TYPE_MAP: Readonly<Record<string, string>> = { DOMAIN_NAME: 'URL' };

/**
 * Span matching: a prediction and a gold span of the same type match when their overlap is at
 * least half of their union (IoU ≥ 0.5); each gold span matches at most one prediction.
 */
export function scoreRow(gold: readonly TypedSpan[], predicted: readonly TypedSpan[], claimed: ReadonlySet<string>, counts: Map<string, PrfCounts>): void {
  const used = new Set<number>();
  const bucket = (type: string): PrfCounts => {
    let value = counts.get(type);
    if (!value) counts.set(type, (value = { tp: 0, fp: 0, fn: 0 }));
    return value;
  };
  for (const prediction of predicted) {
    if (!claimed.has(prediction.type)) continue;
    let hit = -1;
    for (let index = 0; index < gold.length; index++) {
      const span = gold[index]!;
      if (used.has(index) || span.type !== prediction.type) continue;
      const overlap = Math.min(span.end, prediction.end) - Math.max(span.start, prediction.start);
      const union = Math.max(span.end, prediction.end) - Math.min(span.start, prediction.start);
      if (overlap > 0 && overlap / union >= 0.5) {
        hit = index;
        break;
      }
    }
    if (hit >= 0) {
      used.add(hit);
      bucket(prediction.type).tp++;
    } else bucket(prediction.type).fp++;
  }
  gold.forEach((span, index) => {
    if (claimed.has(span.type) && !used.has(index)) bucket(span.type).fn++;
  });
}

export function toPrf(counts: PrfCounts): Prf {
  const precision = counts.tp + counts.fp === 0 ? 0 : counts.tp / (counts.tp + counts.fp);
  const recall = counts.tp + counts.fn === 0 ? 0 : counts.tp / (counts.tp + counts.fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  const round = (value: number): number => Math.round(value * 1000) / 1000;
  return { precision: round(precision), recall: round(recall), f1: round(f1), support: counts.tp + counts.fn };
}
