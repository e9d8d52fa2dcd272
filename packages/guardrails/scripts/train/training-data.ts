import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { TrainingExample } from '../../src/classifier/train-linear-classifier';
import { stripAddresses } from '../../src/classifier/strip-addresses';

/** A training example with the dataset it came from (the id before `/`), for the by-source split. */
export interface SourcedExample extends TrainingExample {
  source: string;
  dataset: string;
  /** injection.jsonl's `kind` (`harmful` for the harmful requests), for {@link balanceByKind}. */
  kind?: string;
}

export const MODERATION_HEADS = ['toxic', 'harassment', 'hate', 'violence', 'sexual'] as const;
export const INJECTION_HEADS = ['injection'] as const;

const readJsonl = <T>(file: string): T[] =>
  readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as T);

const label = (value: unknown): 0 | 1 | null => (value === 1 ? 1 : value === 0 ? 0 : null);

/**
 * moderation.jsonl → examples with one label per head (null masked). ConvAbuse rows that its
 * annotators called not abusive are also `sexual` 0 (not abusive ⇒ not sexual harassment), else
 * the sexual head would have no negatives at all.
 */
export function loadModerationExamples(directory: string): SourcedExample[] {
  type Row = { text: string; source: string; labels: Record<string, 0 | 1 | null> };
  const moderation = readJsonl<Row>(path.join(directory, 'moderation.jsonl')).map((row) => {
    const labels = MODERATION_HEADS.map((head) => label(row.labels[head]));
    if (row.source === 'convabuse' && row.labels.toxic === 0) labels[MODERATION_HEADS.indexOf('sexual')] = 0;
    return { text: row.text, labels, source: row.source, dataset: row.source.split('/')[0]! };
  });
  // The moderation sources are all short social-media text: without other benign text, long
  // answers, documents and instructions (math, code, tables) land anywhere on the toxic scale.
  // Plainly benign prompts and documents of injection.jsonl are 0 on every head (nothing abusive,
  // violent or sexual in them), held out together as one dataset.
  type InjectionRow = { text: string; source: string; label: 0 | 1 };
  const benign = readJsonl<InjectionRow>(path.join(directory, 'injection.jsonl'))
    .filter((row) => row.label === 0 && BENIGN_SOURCES.has(row.source))
    .map((row) => ({ text: row.text, labels: [0, 0, 0, 0, 0] as (0 | 1 | null)[], source: `benign/${row.source}`, dataset: 'benign-prompts' }));
  // Sentences of the NER corpora (Wikipedia, tweets, comments) are not annotated for abuse: used as
  // weak toxic/harassment/hate 0 (another benign register beside the prompts), minus those with a
  // profanity or slur, one dataset of their own so the rotation also holds them out.
  const sentences = readJsonl<{ text: string; source: string }>(path.join(directory, 'ner.jsonl'))
    .filter((row) => NER_SENTENCE_SOURCES.has(row.source) && !PROFANITY.test(row.text))
    .map((row) => ({ text: row.text, labels: [0, 0, 0, null, null] as (0 | 1 | null)[], source: `sentences/${row.source}`, dataset: 'benign-sentences' }));
  return [...moderation, ...benign, ...sentences];
}

/** NER sources made of real sentences (not bare names or addresses). */
const NER_SENTENCE_SOURCES: ReadonlySet<string> = new Set(['wikigold', 'broad-twitter-corpus', 'wnut17']);
/** Words that make an unannotated sentence unsafe as a "not toxic" example. */
const PROFANITY = /\b(?:fuck|shit|bitch|nigg|cunt|whore|slut|fag|retard|asshole|dick|pussy|bastard|damn|hoe|twat|wanker|idiot|stupid|moron|dumb|hate|kill)/iu;

/** Benign sources of injection.jsonl with nothing edgy in them (not the "benign-hard" ones). */
const BENIGN_SOURCES: ReadonlySet<string> = new Set(['ultrachat', 'self-instruct', 'bipia', 'awesome-chatgpt-prompts']);

/**
 * injection.jsonl, plus harmful requests as injection negatives (they ask for harm but do not try
 * to override instructions). WildGuardMix's harmful prompts stay out: many are adversarially framed
 * (jailbreak-like), so they are neither clean positives nor clean negatives.
 */
export function loadInjectionExamples(directory: string, shortNegatives = true, addresses: 'strip' | 'keep' = 'strip'): SourcedExample[] {
  // The classifier never sees web and email addresses (see stripAddresses): neither does its training.
  const clean = addresses === 'strip' ? stripAddresses : (text: string): string => text;
  type Row = { text: string; source: string; label: 0 | 1; kind: string };
  const injection = readJsonl<Row>(path.join(directory, 'injection.jsonl')).map((row) => ({
    text: clean(row.text),
    labels: [row.label],
    source: row.source,
    dataset: row.source.split('/')[0]!,
    kind: row.kind,
  }));
  const harmful = readJsonl<{ text: string; source: string }>(path.join(directory, 'harmful-requests.jsonl'))
    .filter((row) => row.source !== 'wildguardmix')
    .map((row) => ({ text: clean(row.text), labels: [0 as const], source: `harmful/${row.source}`, dataset: `harmful/${row.source}`, kind: 'harmful' }));
  return [...injection, ...harmful, ...(shortNegatives ? openingSentences([...injection, ...harmful]) : [])];
}

/** Longest opening sentence kept as a short negative. */
const SHORT_CHARS = 100;

/**
 * The opening sentence or line of every benign text (when shorter than the text), as a negative of
 * its own source `<source>#short` in the same dataset and kind. Short ordinary turns and one-line
 * persona prompts ("I want you to act as a travel guide.") are otherwise rare among the negatives
 * while short attacks (Gandalf, Mosscap) are common, so a short text with little evidence leaned
 * toward injection.
 */
export function openingSentences(examples: readonly SourcedExample[]): SourcedExample[] {
  const out: SourcedExample[] = [];
  for (const example of examples) {
    if (example.labels[0] !== 0) continue;
    const opening = example.text.trim().split(/(?<=[.!?])\s+|\n+/u)[0]!.trim();
    if (opening.length < 2 || opening.length > SHORT_CHARS || opening.length >= example.text.trim().length) continue;
    out.push({ ...example, text: opening, source: `${example.source}#short` });
  }
  return out;
}

/**
 * Per head, each (source, label) group gets weight ∝ 1/√size, then positives and negatives are
 * scaled to equal totals: big sources do not drown small ones, nor one class the other.
 */
export function balanceWeights(examples: SourcedExample[], heads: number): void {
  for (let head = 0; head < heads; head++) {
    const groups = new Map<string, number>();
    for (const example of examples) {
      const value = example.labels[head];
      if (value === null || value === undefined) continue;
      const key = `${example.source}\u0000${value}`;
      groups.set(key, (groups.get(key) ?? 0) + 1);
    }
    const totals = [0, 0];
    const counts = [0, 0];
    for (const example of examples) {
      const value = example.labels[head];
      if (value === null || value === undefined) continue;
      totals[value]! += 1 / Math.sqrt(groups.get(`${example.source}\u0000${value}`)!);
      counts[value]!++;
    }
    const all = counts[0]! + counts[1]!;
    for (const example of examples) {
      const weights = [...(example.weights ?? new Array<number>(heads).fill(0))];
      const value = example.labels[head];
      if (value === null || value === undefined || totals[value] === 0) weights[head] = 0;
      else weights[head] = (all / 2) * (1 / Math.sqrt(groups.get(`${example.source}\u0000${value}`)!)) / totals[value]!;
      example.weights = weights;
    }
  }
}

/**
 * Per head, every source that has both classes gets a total weight ∝ √size split evenly between its
 * positives and negatives; a source with one class only (toxic-spans for `toxic`, stormfront's
 * hate-only `toxic`) gets `lone` of that. Then positives and negatives are scaled to equal totals.
 * Within-source balance removes "which source is this" as a shortcut to the label: a source that is
 * mostly positive (mlma) no longer teaches its style as toxic.
 */
export function balanceBySource(examples: SourcedExample[], heads: number, lone = 0.25): void {
  for (const example of examples) example.weights = new Array<number>(heads).fill(0);
  for (let head = 0; head < heads; head++) {
    const counts = new Map<string, [number, number]>();
    for (const example of examples) {
      const value = example.labels[head];
      if (value === null || value === undefined) continue;
      const entry = counts.get(example.source) ?? [0, 0];
      entry[value]++;
      counts.set(example.source, entry);
    }
    const raw = (source: string, value: 0 | 1): number => {
      const entry = counts.get(source)!;
      const share = entry[0] > 0 && entry[1] > 0 ? 0.5 : lone;
      return (Math.sqrt(entry[0] + entry[1]) * share) / entry[value];
    };
    const totals = [0, 0];
    let all = 0;
    for (const example of examples) {
      const value = example.labels[head];
      if (value === null || value === undefined) continue;
      totals[value]! += raw(example.source, value);
      all++;
    }
    for (const example of examples) {
      const value = example.labels[head];
      if (value === null || value === undefined || totals[value] === 0) continue;
      (example.weights as number[])[head] = ((all / 2) * raw(example.source, value)) / totals[value]!;
    }
  }
}

/**
 * Single-head balancing by attack kind (`direct`, `indirect`, `jailbreak` / `benign`,
 * `benign-hard`, `harmful`): every kind weighs the same within its class, and every source the same
 * within its kind, then the classes are scaled to equal totals. Without it the Gandalf and Mosscap
 * games (2,700 short direct attacks) set most of the positive weight; per kind, measured held out
 * by source, pooled AUC went 0.662 → 0.682 (scripts/train/train-guardrail-classifiers.ts).
 */
export function balanceByKind(examples: SourcedExample[]): void {
  const key = (example: SourcedExample): string => `${example.source}\u0000${example.labels[0]}`;
  const kindKey = (example: SourcedExample): string => `${example.kind ?? example.source}\u0000${example.labels[0]}`;
  const sources = new Map<string, number>();
  for (const example of examples) sources.set(key(example), (sources.get(key(example)) ?? 0) + 1);
  const raw = examples.map((example) => 1 / sources.get(key(example))!);
  const kinds = new Map<string, number>();
  examples.forEach((example, index) => kinds.set(kindKey(example), (kinds.get(kindKey(example)) ?? 0) + raw[index]!));
  examples.forEach((example, index) => (raw[index] = raw[index]! / kinds.get(kindKey(example))!));
  const totals = [0, 0];
  examples.forEach((example, index) => (totals[example.labels[0] as 0 | 1]! += raw[index]!));
  examples.forEach((example, index) => (example.weights = [((examples.length / 2) * raw[index]!) / totals[example.labels[0] as 0 | 1]!]));
}

/** Upper bounds of the length buckets of {@link balanceLengths}, in hashed features (about 4 per character). */
const LENGTH_BUCKETS = [64, 256, 1_024, Number.POSITIVE_INFINITY];

/**
 * Single-head: rescales the weights so that in every length bucket (by feature count) positives and
 * negatives weigh the same, each bucket keeping its total. Short texts of the training data are
 * mostly attacks (the Gandalf and Mosscap games), long ones mostly benign documents: without this the
 * model learns length itself (through grams every text has), and a short ordinary turn leans
 * toward injection.
 */
export function balanceLengths(examples: SourcedExample[], features: readonly Int32Array[]): void {
  const bucketOf = (index: number): number => LENGTH_BUCKETS.findIndex((bound) => features[index]!.length < bound);
  const totals = LENGTH_BUCKETS.map(() => [0, 0]);
  examples.forEach((example, index) => (totals[bucketOf(index)]![example.labels[0] as 0 | 1]! += example.weights?.[0] ?? 1));
  examples.forEach((example, index) => {
    const [negative, positive] = totals[bucketOf(index)]!;
    const own = example.labels[0] === 1 ? positive! : negative!;
    // A bucket with one class only keeps its weights (nothing to balance against).
    if (negative === 0 || positive === 0) return;
    example.weights = [((example.weights?.[0] ?? 1) * (negative! + positive!)) / (2 * own)];
  });
}
