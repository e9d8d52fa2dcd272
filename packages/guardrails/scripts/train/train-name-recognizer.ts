/**
 * Trains the shipped name model (PERSON / LOCATION / ORGANIZATION candidates) from
 * ../shared/data/train (or CASCADE_TRAIN_DIR):
 *
 *   pnpm --filter @cascade/guardrails train:names [--dry-run]
 *
 * 1. Common-word list: lower-case words that are usually written lower-case in the moderation,
 *    injection and harmful-request corpora (a bitset the model reads as a feature).
 * 2. Gazetteers (given names, surnames, places, organization words) from the name spans of the
 *    training sources (probablepeople's own GivenName/Surname/CorporationName labels; first and
 *    last words of PERSON spans elsewhere), rebuilt without the held-out source in each rotation.
 * 3. Rotation by source over the training sources of ner.jsonl (broad-twitter-corpus, wikigold,
 *    probablepeople): train without a source, score it; per-class thresholds maximize F1 on the
 *    pooled held-out candidates.
 * 4. Train on the training sources with the same settings and seed, quantize to int8, write
 *    src/pii/names/weights/name-weights.ts and name-validation-report.json.
 * wnut17 is the validation source: the shipped model, its gazetteers and thresholds never see it
 * (the bench scores the shipped model on it). usaddress validates the address scanner only.
 * `--no-gazetteer` trains without gazetteers (for comparison).
 * Deterministic: same data + same settings → byte-identical weights. Takes well under a minute.
 * No development set (presidio, OpenAI moderation, CyberSecEval, XSTest) is read.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPiiDetector } from '../../src/pii/pii-detector';
import { commonWordBit, gazetteerBit, visitNameCandidates, type CommonWords, type GazetteerList } from '../../src/pii/names/name-candidates';
import { NAME_CLASSES, nameModelChecksum, nameProbabilities, type NameModel } from '../../src/pii/names/name-model';
import { labeledCandidates, quantizeNameModel, trainNameModel, type LabeledCandidate, type NameTrainingSettings, type NameTrainingText } from '../../src/pii/names/train-name-model';

const here = path.dirname(fileURLToPath(import.meta.url));
const trainDir = process.env.CASCADE_TRAIN_DIR ?? path.resolve(here, '../../../../../shared/data/train');
const outDir = path.resolve(here, '../../src/pii/names/weights');
const dryRun = process.argv.includes('--dry-run');

export const NAME_SETTINGS: NameTrainingSettings = JSON.parse(process.env.NAME_SETTINGS ?? 'null') ?? { bucketBits: 16, epochs: 10, learningRate: 0.1, l2: 1e-6, seed: 20_261_206, entityWeight: 2 };
const COMMON_BITS = 19;
const GAZETTEER_BITS = 18;
const useGazetteer = !process.argv.includes('--no-gazetteer');
/** Sources the shipped model trains on (and rotates over for held-out figures). */
const NAME_SOURCES = ['broad-twitter-corpus', 'wikigold', 'probablepeople'] as const;
/** Never trained on, never used for gazetteers or thresholds: validates the shipped model. */
export const NAME_VALIDATION_SOURCE = 'wnut17';
/**
 * Times each source's candidates are repeated in training: the edited sources (Wikipedia, the
 * name lists in sentences) count more than the noisy, often all-title-case tweets.
 */
const SOURCE_REPEATS: Record<string, number> = JSON.parse(process.env.NAME_REPEATS ?? 'null') ?? { 'broad-twitter-corpus': 1, wnut17: 1, wikigold: 1, probablepeople: 1 };
const repeated = (source: string, rows: readonly LabeledCandidate[]): LabeledCandidate[] => Array.from({ length: SOURCE_REPEATS[source] ?? 1 }, () => rows).flat();

interface NerRow {
  text: string;
  source: string;
  spans: { start: number; end: number; type: string }[];
  components?: { start: number; end: number; type: string }[];
}

const readJsonl = <T>(file: string): T[] =>
  readFileSync(path.join(trainDir, file), 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);

/** Words written lower-case at least 5 times and at least 60 % of the time, in text that keeps its case. */
function buildCommonWords(): { common: CommonWords; words: number } {
  const lower = new Map<string, number>();
  const capital = new Map<string, number>();
  const texts: string[] = [];
  // ParaDetox is lower-cased as released: it says nothing about how words are written.
  for (const row of readJsonl<{ text: string; source: string }>('moderation.jsonl')) if (!row.source.startsWith('paradetox')) texts.push(row.text);
  for (const row of readJsonl<{ text: string }>('injection.jsonl')) texts.push(row.text);
  for (const row of readJsonl<{ text: string }>('harmful-requests.jsonl')) texts.push(row.text);
  const word = /\p{L}[\p{L}'’-]*/gu;
  for (const text of texts) {
    for (const match of text.matchAll(word)) {
      const token = match[0];
      const lowered = token.toLowerCase();
      if (token === lowered) lower.set(lowered, (lower.get(lowered) ?? 0) + 1);
      else capital.set(lowered, (capital.get(lowered) ?? 0) + 1);
    }
  }
  const set = new Uint8Array(2 ** COMMON_BITS / 8);
  let words = 0;
  for (const [token, count] of [...lower].sort(([left], [right]) => (left < right ? -1 : 1))) {
    if (count < 5 || count < 0.6 * (count + (capital.get(token) ?? 0))) continue;
    const bit = commonWordBit(token, COMMON_BITS);
    set[bit >>> 3]! |= 1 << (bit & 7);
    words++;
  }
  return { common: { bits: COMMON_BITS, set }, words };
}

const PERSON_TEMPLATES = [
  '{} called this morning about the delivery.',
  'Please send the signed contract to {} today.',
  'I had lunch with {} yesterday.',
  'Thanks again, {}',
  'Yesterday {} said the report would be late.',
  'The form was signed by {} on Monday.',
  'Can you ask {} to review my pull request?',
  'Our new neighbour {} moved in last week.',
];
const ORGANIZATION_TEMPLATES = [
  '{} announced a new product line.',
  'She works for {} in the sales team.',
  'We signed a contract with {} last year.',
  'The invoice from {} is overdue.',
  'I applied for a job at {} yesterday.',
  'Shares of {} fell sharply on Tuesday.',
];

/** Bare probablepeople strings placed in short everyday sentences (the source has no context). */
function inSentences(rows: readonly NerRow[]): NameTrainingText[] {
  return rows.map((row, index) => {
    const span = row.spans[0]!;
    const templates = span.type === 'PERSON' ? PERSON_TEMPLATES : ORGANIZATION_TEMPLATES;
    const template = templates[index % templates.length]!;
    const at = template.indexOf('{}');
    return { text: template.slice(0, at) + row.text + template.slice(at + 2), spans: [{ start: at + span.start, end: at + span.end, type: span.type }] };
  });
}

/** Capitalized words of `text[start, end)`, without trailing dots, initials and lower-case joiners. */
function nameWords(text: string, start: number, end: number): string[] {
  return text
    .slice(start, end)
    .split(/\s+/u)
    .map((word) => word.replace(/[.,;:]+$/u, ''))
    .filter((word) => word.length >= 2 && /^\p{Lu}/u.test(word));
}

/** Gazetteer bitset from the name spans of `rows` (training sources only). */
function buildGazetteer(rows: readonly NerRow[]): { bits: number; set: Uint8Array; words: Record<GazetteerList, number> } {
  const lists: Record<GazetteerList, Set<string>> = { given: new Set(), surname: new Set(), location: new Set(), organization: new Set() };
  const add = (list: GazetteerList, words: readonly string[]): void => {
    for (const word of words) lists[list].add(word.toLowerCase());
  };
  for (const row of rows) {
    if (row.components) {
      for (const component of row.components) {
        const words = nameWords(row.text, component.start, component.end);
        if (component.type === 'GivenName' || component.type === 'Nickname') add('given', words);
        else if (component.type === 'Surname' || component.type === 'LastInitial') add('surname', words);
        else if (component.type === 'CorporationName' || component.type === 'CorporationLegalType') add('organization', words);
      }
      continue;
    }
    for (const span of row.spans) {
      const words = nameWords(row.text, span.start, span.end).filter((word) => !word.startsWith('@'));
      if (words.length === 0) continue;
      if (span.type === 'PERSON') {
        add('given', words.slice(0, 1));
        add('surname', words.slice(-1));
      } else if (span.type === 'LOCATION') add('location', words);
      else if (span.type === 'ORGANIZATION') add('organization', words);
    }
  }
  const set = new Uint8Array(2 ** GAZETTEER_BITS / 8);
  for (const list of Object.keys(lists) as GazetteerList[]) {
    for (const word of [...lists[list]].sort()) {
      const bit = gazetteerBit(list, word, GAZETTEER_BITS);
      set[bit >>> 3]! |= 1 << (bit & 7);
    }
  }
  return { bits: GAZETTEER_BITS, set, words: { given: lists.given.size, surname: lists.surname.size, location: lists.location.size, organization: lists.organization.size } };
}

function loadNameRows(): Map<string, NerRow[]> {
  const rows = readJsonl<NerRow>('ner.jsonl');
  return new Map([...NAME_SOURCES, NAME_VALIDATION_SOURCE].map((source) => [source, rows.filter((row) => row.source.split('/')[0] === source)]));
}

function loadNameTexts(rowsBySource: Map<string, NerRow[]>): Map<string, NameTrainingText[]> {
  const bySource = new Map<string, NameTrainingText[]>();
  for (const source of [...NAME_SOURCES, NAME_VALIDATION_SOURCE]) {
    const rows = rowsBySource.get(source)!;
    bySource.set(source, source === 'probablepeople' ? inSentences(rows) : rows.map((row) => ({ text: row.text, spans: row.spans })));
  }
  return bySource;
}

const round = (value: number): number => Math.round(value * 1000) / 1000;

interface Prf {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}
const prf = (tp: number, fp: number, fn: number): Prf => {
  const precision = tp + fp === 0 ? 0 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 0 : tp / (tp + fn);
  return { precision: round(precision), recall: round(recall), f1: round(precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall)), support: tp + fn };
};

/** Span-level scores of `model` on texts: a prediction matches a gold span of its class with IoU ≥ 0.5. */
function spanScores(model: NameModel, texts: readonly NameTrainingText[]): Record<string, Prf> {
  const counts = NAME_CLASSES.map(() => ({ tp: 0, fp: 0, fn: 0 }));
  const probabilities = new Float64Array(NAME_CLASSES.length);
  for (const example of texts) {
    const used = new Set<number>();
    visitNameCandidates(example.text, model.buckets - 1, model.common, (start, end, features, count) => {
      nameProbabilities(model, features, count, probabilities);
      let best = 0;
      for (let klass = 1; klass < NAME_CLASSES.length; klass++) if (probabilities[klass]! > probabilities[best]!) best = klass;
      if (best === 0 || probabilities[best]! < model.thresholds[best]!) return;
      const hit = example.spans.findIndex((span, index) => {
        if (used.has(index) || span.type !== NAME_CLASSES[best]) return false;
        const overlap = Math.min(end, span.end) - Math.max(start, span.start);
        return overlap > 0 && overlap / (Math.max(end, span.end) - Math.min(start, span.start)) >= 0.5;
      });
      if (hit >= 0) {
        used.add(hit);
        counts[best]!.tp++;
      } else counts[best]!.fp++;
    });
    example.spans.forEach((span, index) => {
      const klass = NAME_CLASSES.indexOf(span.type as (typeof NAME_CLASSES)[number]);
      if (klass > 0 && !used.has(index)) counts[klass]!.fn++;
    });
  }
  return Object.fromEntries(NAME_CLASSES.slice(1).map((name, index) => [name, prf(counts[index + 1]!.tp, counts[index + 1]!.fp, counts[index + 1]!.fn)]));
}

/** Per class, the threshold (0.30–0.95) with the best F1 on pooled held-out candidates. */
function chooseThresholds(pooled: readonly { label: number; probabilities: Float64Array }[]): number[] {
  const thresholds = [0.5];
  for (let klass = 1; klass < NAME_CLASSES.length; klass++) {
    let best = { f1: -1, threshold: 0.5 };
    for (let step = 10; step <= 95; step += 5) {
      const threshold = step / 100;
      let tp = 0;
      let fp = 0;
      let fn = 0;
      for (const { label, probabilities } of pooled) {
        let argmax = 0;
        for (let other = 1; other < NAME_CLASSES.length; other++) if (probabilities[other]! > probabilities[argmax]!) argmax = other;
        const predicted = argmax === klass && probabilities[klass]! >= threshold;
        if (predicted && label === klass) tp++;
        else if (predicted) fp++;
        else if (label === klass) fn++;
      }
      const f1 = (2 * tp) / (2 * tp + fp + fn);
      if (f1 > best.f1 + 1e-9) best = { f1, threshold };
    }
    thresholds.push(best.threshold);
  }
  return thresholds;
}

function main(): void {
  const started = performance.now();
  const { common: plainCommon, words } = buildCommonWords();
  console.error(`common words: ${words}`);
  const rowsBySource = loadNameRows();
  const texts = loadNameTexts(rowsBySource);
  const mask = 2 ** NAME_SETTINGS.bucketBits - 1;
  /** The word lists of a model trained on `sources`: common words, and gazetteers from those sources only. */
  const lexiconOf = (sources: readonly string[]): CommonWords =>
    useGazetteer ? { ...plainCommon, gazetteer: buildGazetteer(sources.flatMap((source) => rowsBySource.get(source)!)) } : plainCommon;
  const candidatesOf = (source: string, common: CommonWords): LabeledCandidate[] => texts.get(source)!.flatMap((row) => labeledCandidates(row, mask, common));
  /**
   * Training candidates with cross-fitted gazetteers: a row's words are looked up in gazetteers
   * built from the other half of the rows (by row parity), so a training name is in the gazetteer
   * only as often as an unseen name would be. A gazetteer built from the very rows it labels is
   * always on for their names, and the model learns to trust it too much (tried: held-out F1 fell).
   */
  const trainingCandidatesOf = (sources: readonly string[]): LabeledCandidate[] => {
    if (!useGazetteer) return sources.flatMap((name) => repeated(name, candidatesOf(name, plainCommon)));
    const folds = [0, 1].map((fold) => ({ ...plainCommon, gazetteer: buildGazetteer(sources.flatMap((source) => rowsBySource.get(source)!.filter((_, index) => index % 2 !== fold))) }));
    return sources.flatMap((name) => repeated(name, texts.get(name)!.flatMap((row, index) => labeledCandidates(row, mask, folds[index % 2]!))));
  };

  const pooled: { label: number; probabilities: Float64Array }[] = [];
  const heldOutModels = new Map<string, NameModel>();
  const candidateCounts: Record<string, number> = {};
  for (const source of NAME_SOURCES) {
    const others = NAME_SOURCES.filter((name) => name !== source);
    const common = lexiconOf(others);
    const training = trainingCandidatesOf(others);
    const model = quantizeNameModel(trainNameModel(training, common, NAME_SETTINGS));
    heldOutModels.set(source, model);
    const heldOutCandidates = candidatesOf(source, common);
    candidateCounts[source] = heldOutCandidates.length;
    for (const candidate of heldOutCandidates) {
      const probabilities = new Float64Array(NAME_CLASSES.length);
      nameProbabilities(model, candidate.features, candidate.features.length, probabilities);
      pooled.push({ label: candidate.label, probabilities });
    }
    console.error(`held out ${source}: ${heldOutCandidates.length} candidates`);
  }
  const thresholds = chooseThresholds(pooled);
  const heldOut: Record<string, Record<string, Prf>> = {};
  for (const source of NAME_SOURCES) heldOut[source] = spanScores({ ...heldOutModels.get(source)!, thresholds }, texts.get(source)!);

  const common = lexiconOf(NAME_SOURCES);
  const final = { ...quantizeNameModel(trainNameModel(trainingCandidatesOf(NAME_SOURCES), common, NAME_SETTINGS)), thresholds };
  const validation = { source: NAME_VALIDATION_SOURCE, note: 'the shipped model (trained without this source; gazetteers and thresholds without it too)', ...spanScores(final, texts.get(NAME_VALIDATION_SOURCE)!) };
  const weightBytes = new Uint8Array(final.weights.buffer, final.weights.byteOffset, final.weights.byteLength);
  const weights = Buffer.from(weightBytes).toString('base64');
  const commonData = Buffer.from(common.set).toString('base64');
  const gazetteerData = common.gazetteer ? Buffer.from(common.gazetteer.set).toString('base64') : undefined;
  const report = {
    note: 'heldOut: span-level P/R/F1 (IoU >= 0.5, same class) of a model trained without the source (gazetteers too), on that source. validation: the shipped model on a source it never saw. probablepeople strings are placed in the script\'s own short sentences. Thresholds maximize F1 on the pooled held-out candidates of the training sources. No development set was read.',
    settings: NAME_SETTINGS,
    sourceRepeats: SOURCE_REPEATS,
    commonWords: words,
    gazetteer: common.gazetteer ? { bits: GAZETTEER_BITS, words: (common.gazetteer as { words?: unknown }).words } : 'off',
    thresholds: Object.fromEntries(NAME_CLASSES.map((name, index) => [name, thresholds[index]])),
    candidates: candidateCounts,
    heldOut,
    validation,
    addressScanner: addressReport(),
  };
  console.error(JSON.stringify(report, null, 2));
  if (dryRun) return;
  const sha256 = createHash('sha256').update(weights).update(commonData).update(gazetteerData ?? '').digest('hex');
  const module = `// Generated by scripts/train/train-name-recognizer.ts — do not edit. Sources and licences: ../../../classifier/weights/NOTICE.md.
import type { EncodedNameModel } from '../name-model';

/** Trained name model: classes ${NAME_CLASSES.join(', ')}; ${final.buckets} hash buckets; int8 weights; ${words} common words in a 2^${COMMON_BITS}-bit set. */
export const NAME_WEIGHTS: EncodedNameModel = {
  format: 1,
  classes: ${JSON.stringify(NAME_CLASSES)},
  buckets: ${final.buckets},
  scales: ${JSON.stringify(final.scales)},
  bias: ${JSON.stringify(final.bias.map((value) => Math.round(value * 1e6) / 1e6))},
  thresholds: ${JSON.stringify(thresholds)},
  commonBits: ${COMMON_BITS},
${common.gazetteer ? `  gazetteerBits: ${GAZETTEER_BITS},\n` : ''}  checksum: ${nameModelChecksum(weightBytes, common.set, common.gazetteer?.set)},
  sha256: '${sha256}',
  weights: '${weights}',
  common: '${commonData}',
${gazetteerData ? `  gazetteer: '${gazetteerData}',\n` : ''}};
`;
  writeFileSync(path.join(outDir, 'name-weights.ts'), module);
  writeFileSync(path.join(outDir, 'name-validation-report.json'), JSON.stringify(report, null, 2) + '\n');
  console.error(`wrote ${path.join(outDir, 'name-weights.ts')} (${(module.length / 1024).toFixed(0)} KB) in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

/** Recall of the STREET_ADDRESS scanner on usaddress (hand-written rules; the source trains nothing). */
function addressReport(): { source: string; support: number; recall: number; exactSpan: number } {
  const detector = createPiiDetector({ entities: ['STREET_ADDRESS'] });
  let support = 0;
  let found = 0;
  let exact = 0;
  for (const row of readJsonl<NerRow>('ner.jsonl')) {
    if (row.source !== 'usaddress') continue;
    const text = `Please ship it to ${row.text} by Friday.`;
    const shift = 'Please ship it to '.length;
    const matches = detector.detect(text);
    for (const span of row.spans) {
      if (span.type !== 'ADDRESS') continue;
      support++;
      const start = span.start + shift;
      const end = span.end + shift;
      const hit = matches.find((match) => {
        const overlap = Math.min(end, match.end) - Math.max(start, match.start);
        return overlap > 0 && overlap / (Math.max(end, match.end) - Math.min(start, match.start)) >= 0.5;
      });
      if (hit) found++;
      if (matches.some((match) => match.start === start && match.end === end)) exact++;
    }
  }
  return { source: 'usaddress (in "Please ship it to … by Friday.")', support, recall: round(found / Math.max(1, support)), exactSpan: round(exact / Math.max(1, support)) };
}

main();
