import type { PiiEntityType, RawPiiMatch } from '../pii-entity';
import { visitNameCandidates, type CandidateFilter } from '../names/name-candidates';
import { decodeNameModel, nameLogits, type NameModel } from '../names/name-model';
import { NAME_WEIGHTS } from '../names/weights/name-weights';

let model: NameModel | undefined;

/** The shipped name model, decoded and checked on first use. */
export function shippedNameModel(): NameModel {
  return (model ??= decodeNameModel(NAME_WEIGHTS));
}

const TYPES: readonly (PiiEntityType | undefined)[] = [undefined, 'PERSON', 'LOCATION', 'ORGANIZATION'];
const probabilities = new Float64Array(4);

/**
 * Maps a class probability to a score where the class's trained threshold lands on 0.5 (the
 * default `minScore`): below it 0..0.5, above it 0.5..1.
 */
export function probabilityToScore(probability: number, threshold: number): number {
  return probability >= threshold ? 0.5 + (0.5 * (probability - threshold)) / Math.max(1e-9, 1 - threshold) : (0.5 * probability) / threshold;
}

/**
 * Names of people, places and organizations (`PERSON`, `LOCATION`, `ORGANIZATION`): candidate runs
 * of capitalized words scored by the shipped model (see `names/`). Names written without capitals,
 * and scripts without letter case, are not found. `discarded`: spans the caller drops anyway (see
 * {@link CandidateFilter}), whose candidates are skipped unscored.
 */
export function recognizeNames(text: string, out: RawPiiMatch[], nameModel: NameModel = shippedNameModel(), discarded?: CandidateFilter): void {
  const first = out.length;
  visitNameCandidates(text, nameModel.buckets - 1, nameModel.common, (start, end, features, count) => {
    // Most candidates are not names: decide on the logits, and only then pay for the softmax.
    const best = nameLogits(nameModel, features, count, probabilities);
    if (best === 0) return;
    let total = 0;
    for (let klass = 0; klass < 4; klass++) total += Math.exp(probabilities[klass]! - probabilities[best]!);
    const score = probabilityToScore(1 / total, nameModel.thresholds[best]!);
    if (score < 0.15) return;
    // Candidates of one run may overlap ("Dear Lucero" / "Lucero"): keep the better one.
    const last = out.length > first ? out[out.length - 1]! : undefined;
    if (last !== undefined && last.end > start) {
      if (score > last.score) out[out.length - 1] = { type: TYPES[best]!, start, end, score };
      return;
    }
    out.push({ type: TYPES[best]!, start, end, score });
  }, discarded);
}
