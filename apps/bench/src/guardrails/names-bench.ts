import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPiiDetector, PII_DEFAULT_ENTITY_TYPES, PII_ENTITY_TYPES, PII_NAME_ENTITY_TYPES, type PiiEntityType } from '@cascade/guardrails';
import type { PresidioRow } from './data';
import { kilobyteTexts } from './pii-bench';
import { scoreRow, toPrf, type Prf, type PrfCounts, type TypedSpan } from './pii-score';

/** Presidio's types scored against the opt-in name, address and date types (GPE is our LOCATION). */
const GOLD_NAME_MAP: Readonly<Record<string, string>> = { GPE: 'LOCATION', DOMAIN_NAME: 'URL' };

export interface NamesBenchResult {
  note: string;
  firstCallMs: number;
  perEntity: Record<string, Prf>;
  /** Pattern types with every type on (must equal the default detector's figures). */
  patternTypesWithNamesOn: Record<string, Prf>;
  mbPerSec1k: Record<string, number>;
  heldOut: unknown;
}

const bytes = (texts: readonly string[]): number => texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0);

function mbPerSec(entities: readonly PiiEntityType[], texts: readonly string[]): number {
  const detector = createPiiDetector({ entities: [...entities] });
  for (let round = 0; round < 5; round++) for (const text of texts) detector.detect(text);
  let best = Infinity;
  for (let round = 0; round < 10; round++) {
    const started = performance.now();
    for (const text of texts) detector.detect(text);
    best = Math.min(best, performance.now() - started);
  }
  return Math.round((bytes(texts) / 1e6 / (best / 1000)) * 10) / 10;
}

/**
 * The opt-in PERSON / LOCATION / ORGANIZATION / STREET_ADDRESS / DATE_TIME types on presidio-synth
 * (dev: never used for training, thresholds or rules), their throughput, and the training script's
 * held-out figures per training source. Call first thing for a true first-call time.
 */
export function runNamesBench(rows: readonly PresidioRow[]): NamesBenchResult {
  const started = performance.now();
  const detector = createPiiDetector({ entities: [...PII_ENTITY_TYPES] });
  detector.detect('Yesterday Margaret Thornton moved to 90 Whitchurch Road, Cardiff.');
  const firstCallMs = Math.round((performance.now() - started) * 10) / 10;
  const claimed = new Set<string>(PII_ENTITY_TYPES);
  const counts = new Map<string, PrfCounts>();
  for (const row of rows) {
    const gold: TypedSpan[] = row.spans.map((span) => ({ type: GOLD_NAME_MAP[span.entity_type] ?? span.entity_type, start: span.start_position, end: span.end_position }));
    scoreRow(gold, detector.detect(row.full_text), claimed, counts);
  }
  const prf = (types: readonly string[]): Record<string, Prf> => Object.fromEntries(types.filter((type) => counts.has(type)).map((type) => [type, toPrf(counts.get(type)!)]));
  const small = kilobyteTexts(rows);
  const here = path.dirname(fileURLToPath(import.meta.url));
  return {
    note: 'Opt-in types (PII_NAME_ENTITY_TYPES) on presidio-synth-v2 (dev set; not used for training, thresholds or rules); presidio GPE scored as LOCATION; same matching as pii. heldOut: the training script (pnpm --filter @cascade/guardrails train:names) on ner.jsonl, each training source scored by a model trained without it, and the shipped model on wnut17, which it never trained on (see also validation.names); addressScanner: recall on usaddress (hand-written rules: they train on nothing; the name model does read usaddress strings).',
    firstCallMs,
    perEntity: prf(PII_NAME_ENTITY_TYPES),
    patternTypesWithNamesOn: prf(PII_DEFAULT_ENTITY_TYPES),
    mbPerSec1k: {
      'pattern types (default)': mbPerSec(PII_DEFAULT_ENTITY_TYPES, small),
      'all types': mbPerSec(PII_ENTITY_TYPES, small),
      'pattern + STREET_ADDRESS + DATE_TIME': mbPerSec([...PII_DEFAULT_ENTITY_TYPES, 'STREET_ADDRESS', 'DATE_TIME'], small),
      'PERSON + LOCATION + ORGANIZATION only': mbPerSec(['PERSON', 'LOCATION', 'ORGANIZATION'], small),
    },
    heldOut: JSON.parse(readFileSync(path.resolve(here, '../../../../packages/guardrails/src/pii/names/weights/name-validation-report.json'), 'utf8')),
  };
}
