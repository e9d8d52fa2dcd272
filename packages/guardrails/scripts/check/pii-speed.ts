/**
 * Throughput of PII detection on the bench's ~1 KB presidio-synth texts (speed only: the texts'
 * labels are not read), per entity group, for profiling and before/after comparisons. Rounds are
 * timed in CPU time of this process (user + system), which a busy shared machine disturbs less
 * than wall time. With `--base DIR` (a copy of an older `src/`, e.g. `git archive <commit>
 * packages/guardrails/src`), the two implementations run alternately in this one process on the
 * same texts and the speed-up old/new of the median round is printed.
 * Usage: pnpm --filter @cascade/guardrails exec tsx --conditions=source scripts/check/pii-speed.ts [--rounds N] [--group all,names,address,date,default] [--base DIR]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { presidioKilobyteTexts } from './presidio-kilobyte-texts';
import { createPiiDetector, PII_DEFAULT_ENTITY_TYPES, PII_ENTITY_TYPES, type PiiEntityType } from '../../src/index';

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.CASCADE_DATA_DIR ?? path.resolve(here, '../../../../../shared/data');
const argument = (name: string, fallback: string): string => {
  const at = process.argv.indexOf(name);
  return at < 0 ? fallback : process.argv[at + 1]!;
};

const GROUPS: Record<string, readonly PiiEntityType[]> = {
  all: PII_ENTITY_TYPES,
  default: PII_DEFAULT_ENTITY_TYPES,
  names: ['PERSON', 'LOCATION', 'ORGANIZATION'],
  address: ['STREET_ADDRESS'],
  date: ['DATE_TIME'],
};

const texts = presidioKilobyteTexts(dataDir);
const megabytes = texts.reduce((sum, text) => sum + Buffer.byteLength(text), 0) / 1e6;
const rounds = Number(argument('--rounds', '21'));
const groups = argument('--group', 'all,names,address,date,default').split(',');
const basePath = process.argv.includes('--base') ? path.resolve(argument('--base', '')) : undefined;
const base = basePath === undefined ? undefined : ((await import(path.join(basePath, 'index.ts'))) as { createPiiDetector: typeof createPiiDetector });

const cpuMs = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};
const median = (values: number[]): number => [...values].sort((left, right) => left - right)[Math.floor(values.length / 2)]!;
function timeRound(detector: { detect(text: string): unknown }): number {
  const started = cpuMs();
  for (const text of texts) detector.detect(text);
  return cpuMs() - started;
}

for (const group of groups) {
  const entities = [...GROUPS[group]!];
  const fresh = createPiiDetector({ entities });
  const old = base?.createPiiDetector({ entities });
  for (let round = 0; round < 5; round++) {
    timeRound(fresh);
    if (old) timeRound(old);
  }
  const freshMs: number[] = [];
  const oldMs: number[] = [];
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, so neither always runs on the other's warm caches.
    if (old && round % 2 === 1) oldMs.push(timeRound(old));
    freshMs.push(timeRound(fresh));
    if (old && round % 2 === 0) oldMs.push(timeRound(old));
  }
  const rate = (ms: number): string => (megabytes / (ms / 1000)).toFixed(1);
  const line = `${group.padEnd(8)} ${rate(median(freshMs))} MB/s CPU time (best ${rate(Math.min(...freshMs))})`;
  console.log(old ? `${line}  base ${rate(median(oldMs))} (best ${rate(Math.min(...oldMs))})  speed-up ${(median(oldMs) / median(freshMs)).toFixed(3)}x` : line);
}
