/**
 * Golden check for PII speed work: runs the detector and the redactor with every type on over the
 * presidio-synth texts (one by one and joined into ~1 KB texts as the bench does), every prompt and
 * answer of the trace files, and the texts of train/ner.jsonl, and prints a SHA-256 over every
 * match (type, start, end, score, detail, merged types) and every redacted text. A second hash
 * runs with minScore 0, so low-scoring candidates are compared too; a third hashes every name
 * candidate's span and features (what training reads). An optimization that keeps results must
 * leave all three hashes unchanged.
 * Usage: pnpm --filter @cascade/guardrails exec tsx --conditions=source scripts/check/pii-golden.ts
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPiiRedactor, PII_ENTITY_TYPES } from '../../src/index';
import { visitNameCandidates } from '../../src/pii/names/name-candidates';
import { shippedNameModel } from '../../src/pii/recognizers/name-recognizer';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.CASCADE_DATA_DIR ?? path.resolve(here, '../../../../../shared/data');

function loadTexts(): string[] {
  const texts: string[] = [];
  const presidio = JSON.parse(readFileSync(path.join(dataDir, 'pii/presidio-synth-v2.json'), 'utf8')) as { full_text: string }[];
  let joined = '';
  for (const row of presidio) {
    texts.push(row.full_text);
    joined += row.full_text + '\n';
    if (joined.length >= 1000) {
      texts.push(joined);
      joined = '';
    }
  }
  const traces = path.join(dataDir, 'traces');
  for (const file of readdirSync(traces).filter((name) => name.endsWith('.traces.jsonl')).sort()) {
    for (const line of readFileSync(path.join(traces, file), 'utf8').split('\n')) {
      if (line.trim() === '') continue;
      const row = JSON.parse(line) as { prompt: string; responses: Record<string, { text: string }> };
      texts.push(row.prompt, ...Object.values(row.responses).map((response) => response.text));
    }
  }
  for (const line of readFileSync(path.join(dataDir, 'train/ner.jsonl'), 'utf8').split('\n')) {
    if (line.trim() !== '') texts.push((JSON.parse(line) as { text: string }).text);
  }
  return texts;
}

const texts = loadTexts();
for (const minScore of [0.5, 0]) {
  const redactor = createPiiRedactor({ entities: [...PII_ENTITY_TYPES], minScore });
  const hash = createHash('sha256');
  let matches = 0;
  for (const text of texts) {
    const result = redactor.redact(text);
    for (const match of result.matches) {
      hash.update(`${match.type}|${match.start}|${match.end}|${match.score}|${match.detail ?? ''}|${(match.mergedTypes ?? []).join(',')}\n`);
    }
    hash.update(`>${result.text}\u0000`);
    matches += result.matches.length;
  }
  console.log(`minScore ${minScore}: ${texts.length} texts, ${matches} matches, sha256 ${hash.digest('hex')}`);
}

const model = shippedNameModel();
const features = createHash('sha256');
let candidates = 0;
for (const text of texts) {
  visitNameCandidates(text, model.buckets - 1, model.common, (start, end, hashes, count) => {
    features.update(`${start}|${end}|${hashes.subarray(0, count).join(',')}\n`);
    candidates++;
  });
}
console.log(`name features: ${candidates} candidates, sha256 ${features.digest('hex')}`);
