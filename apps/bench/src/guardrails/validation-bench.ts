import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPiiDetector } from '@cascade/guardrails';
import { runNamesPeer } from './names-peer';
import { toPrf, type Prf } from './pii-score';

interface NerRow {
  text: string;
  source: string;
  spans: { start: number; end: number; type: string }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const readJson = (relative: string): Record<string, unknown> => JSON.parse(readFileSync(path.resolve(here, '../../../../packages/guardrails/src', relative), 'utf8')) as Record<string, unknown>;

const overlaps = (a: { start: number; end: number }, b: { start: number; end: number }): boolean => {
  const overlap = Math.min(a.end, b.end) - Math.max(a.start, b.start);
  return overlap > 0 && overlap / (Math.max(a.end, b.end) - Math.min(a.start, b.start)) >= 0.5;
};

/** The shipped name model on the validation source its training never read (span P/R/F1, IoU ≥ 0.5, same type). */
function namesOnValidationSource(rows: readonly NerRow[], source: string): Record<string, Prf> {
  const detector = createPiiDetector({ entities: ['PERSON', 'LOCATION', 'ORGANIZATION'] });
  const counts = new Map<string, { tp: number; fp: number; fn: number }>(['PERSON', 'LOCATION', 'ORGANIZATION'].map((type) => [type, { tp: 0, fp: 0, fn: 0 }]));
  for (const row of rows) {
    if (row.source.split('/')[0] !== source) continue;
    const gold = row.spans.filter((span) => counts.has(span.type));
    const used = new Set<number>();
    for (const match of detector.detect(row.text)) {
      const hit = gold.findIndex((span, index) => !used.has(index) && span.type === match.type && overlaps(span, match));
      if (hit >= 0) {
        used.add(hit);
        counts.get(match.type)!.tp++;
      } else counts.get(match.type)!.fp++;
    }
    gold.forEach((span, index) => {
      if (!used.has(index)) counts.get(span.type)!.fn++;
    });
  }
  return Object.fromEntries([...counts].map(([type, count]) => [type, toPrf(count)]));
}

/** STREET_ADDRESS recall on usaddress strings placed in one sentence (the address rules are hand-written; no source trains them). */
function addressesOnUsaddress(rows: readonly NerRow[]): { support: number; recall: number } {
  const detector = createPiiDetector({ entities: ['STREET_ADDRESS'] });
  const prefix = 'Please ship it to ';
  let support = 0;
  let found = 0;
  for (const row of rows) {
    if (row.source !== 'usaddress') continue;
    const matches = detector.detect(`${prefix}${row.text} by Friday.`);
    for (const span of row.spans) {
      if (span.type !== 'ADDRESS') continue;
      support++;
      if (matches.some((match) => overlaps({ start: span.start + prefix.length, end: span.end + prefix.length }, match))) found++;
    }
  }
  return { support, recall: Math.round((found / Math.max(1, support)) * 1000) / 1000 };
}

/**
 * Per detector, figures on sources of ../shared/data/train that the scored model was not trained
 * on, by source. Moderation and injection: the training script's rotation (each source scored by a
 * model trained without it; thresholds and calibration were fitted on these pooled predictions, so
 * they are validation, not test, figures). Names: the rotation figures, and the shipped model on
 * the validation source it never read, computed here. Street addresses: hand-written rules on
 * usaddress, computed here (usaddress trains nothing, but the rules were checked against its misses).
 */
export function runValidationBench(trainDir: string): Record<string, unknown> {
  const classifiers = readJson('classifier/weights/validation-report.json') as { moderation: Record<string, unknown>; injection: Record<string, unknown> };
  const names = readJson('pii/names/weights/name-validation-report.json') as { heldOut: unknown; validation?: { source: string } };
  const nerFile = path.join(trainDir, 'ner.jsonl');
  const rows: NerRow[] = existsSync(nerFile)
    ? readFileSync(nerFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as NerRow)
    : [];
  const validationSource = names.validation?.source ?? 'wnut17';
  const rotation = (report: Record<string, unknown>) => ({
    thresholds: report['thresholds'],
    thresholdRule: report['thresholdRule'],
    pooledHeldOutAuc: report['pooledHeldOutAuc'],
    ...(report['macroHeldOutAuc'] ? { macroHeldOutAuc: report['macroHeldOutAuc'] } : {}),
    // Moderation: the per-category scores stacked from head logits (what the moderator decides with).
    ...(report['categories'] ? { categories: report['categories'] } : {}),
    bySource: report['heldOutBySource'],
  });
  return {
    note: 'Sources of ../shared/data/train the scored model was not trained on, by source. "rotation": each source scored by a model trained without it (the shipped model was trained on all of them; thresholds/calibration were chosen on these pooled predictions). "shippedModel": the shipped model on a source it never read, computed in this run.',
    moderation: { method: 'rotation (pnpm --filter @cascade/guardrails train)', ...rotation(classifiers.moderation) },
    injection: { method: 'rotation (pnpm --filter @cascade/guardrails train)', ...rotation(classifiers.injection) },
    names: {
      method: 'rotation over the training sources (pnpm --filter @cascade/guardrails train:names), and the shipped model on the validation source',
      rotation: names.heldOut,
      shippedModel: rows.length === 0 ? `not run: ${nerFile} missing` : { source: validationSource, ...namesOnValidationSource(rows, validationSource) },
      peer:
        rows.length === 0
          ? `not run: ${nerFile} missing`
          : { note: 'compromise (npm) people/places/organizations vs the shipped model, same texts and scoring; neither trained on this source', source: validationSource, ...runNamesPeer(rows.filter((row) => row.source.split('/')[0] === validationSource)) },
    },
    streetAddress: rows.length === 0 ? `not run: ${nerFile} missing` : { method: 'hand-written rules, no training; usaddress strings in one sentence', source: 'usaddress', ...addressesOnUsaddress(rows) },
  };
}
