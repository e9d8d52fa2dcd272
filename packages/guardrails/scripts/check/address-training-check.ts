/**
 * Checks the STREET_ADDRESS rules on training data only (../shared/data/train/ner.jsonl):
 * - recall: every usaddress string (a bare US postal address) embedded in sentence templates
 *   written here, one line and (commas turned into line breaks) several lines; a gold address
 *   counts as found when a STREET_ADDRESS span overlaps it by IoU >= 0.5, and as covered (no leak)
 *   by the share of its characters inside any detected span with every type on;
 * - false positives: STREET_ADDRESS spans in wikigold / broad-twitter-corpus / wnut17 sentences
 *   (no addresses annotated there) and in spans of the usaddress sentences outside the address.
 * Usage: pnpm --filter @cascade/guardrails exec tsx --conditions=source scripts/check/address-training-check.ts [--misses N] [--fps N]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createPiiDetector, PII_ENTITY_TYPES } from '../../src/index';

interface NerRow {
  text: string;
  source: string;
  spans: { start: number; end: number; type: string }[];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.CASCADE_DATA_DIR ?? path.resolve(here, '../../../../../shared/data');
const rows = readFileSync(path.join(dataDir, 'train/ner.jsonl'), 'utf8')
  .split('\n')
  .filter((line) => line.trim() !== '')
  .map((line) => JSON.parse(line) as NerRow);

const flag = (name: string): number => {
  const at = process.argv.indexOf(name);
  return at > 0 ? Number(process.argv[at + 1]) : 0;
};
const showMisses = flag('--misses');
const showFps = flag('--fps');

/** Sentence templates (written for this check): `@` is where the address goes. */
const TEMPLATES = [
  'Please ship it to @ by Friday.',
  'My new address is @.',
  'We moved to @ last spring and love the neighbourhood.',
  'Send the signed invoice to: @',
  '@',
  'The office at @ is closed on Mondays, sorry.',
  'Hi team,\nplease update my details:\n@\nThanks, see you soon',
  'Delivery address\n@\n\nPhone on request.',
];

const addressOnly = createPiiDetector({ entities: ['STREET_ADDRESS'] });
const everything = createPiiDetector({ entities: [...PII_ENTITY_TYPES] });
const iou = (a: { start: number; end: number }, b: { start: number; end: number }): number =>
  Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start)) / (Math.max(a.end, b.end) - Math.min(a.start, b.start));

let support = 0;
let found = 0;
let exact = 0;
let coveredChars = 0;
let goldChars = 0;
let outsideFp = 0;
let predictions = 0;
const misses: string[] = [];
for (const row of rows) {
  if (row.source !== 'usaddress') continue;
  for (const span of row.spans) {
    if (span.type !== 'ADDRESS') continue;
    const address = row.text.slice(span.start, span.end);
    for (const [variant, written] of [
      ['line', address],
      ['lines', address.replace(/, /g, '\n')],
    ] as const) {
      if (variant === 'lines' && written === address) continue;
      for (const template of TEMPLATES) {
        const at = template.indexOf('@');
        const text = template.slice(0, at) + written + template.slice(at + 1);
        const gold = { start: at, end: at + written.length };
        const matches = addressOnly.detect(text);
        support++;
        predictions += matches.length;
        const hit = matches.find((match) => iou(match, gold) >= 0.5);
        if (hit) found++;
        else if (misses.length < showMisses && template === TEMPLATES[0]) misses.push(`${JSON.stringify(written)} → ${JSON.stringify(matches.map((m) => text.slice(m.start, m.end)))}`);
        if (matches.some((match) => match.start === gold.start && match.end === gold.end)) exact++;
        outsideFp += matches.filter((match) => match.end <= gold.start || match.start >= gold.end).length;
        const all = everything.detect(text);
        goldChars += gold.end - gold.start;
        for (let index = gold.start; index < gold.end; index++) {
          if (/\s|,/.test(text[index]!)) {
            goldChars--;
            continue;
          }
          if (all.some((match) => match.start <= index && index < match.end)) coveredChars++;
        }
      }
    }
  }
}

const negatives = rows.filter((row) => ['wikigold', 'broad-twitter-corpus', 'wnut17'].includes(row.source));
let fpRows = 0;
let fpSpans = 0;
const fps: string[] = [];
for (const row of negatives) {
  const matches = addressOnly.detect(row.text);
  if (matches.length > 0) fpRows++;
  fpSpans += matches.length;
  for (const match of matches) if (fps.length < showFps) fps.push(`${JSON.stringify(row.text.slice(Math.max(0, match.start - 30), match.start))} [${row.text.slice(match.start, match.end)}] ${JSON.stringify(row.text.slice(match.end, match.end + 20))}`);
}

const round = (value: number): number => Math.round(value * 1000) / 1000;
console.log(
  JSON.stringify(
    {
      usaddress: {
        sentences: support,
        recallIou50: round(found / support),
        exactSpan: round(exact / support),
        charsCoveredAllTypes: round(coveredChars / goldChars),
        spansOutsideAddressPer1k: round((outsideFp / support) * 1000),
        precisionIou50: round(found / Math.max(1, predictions)),
      },
      negatives: { rows: negatives.length, rowsWithAddress: fpRows, rate: round(fpRows / negatives.length), spans: fpSpans },
    },
    null,
    2,
  ),
);
for (const line of misses) console.log('miss', line);
for (const line of fps) console.log('fp', line);
