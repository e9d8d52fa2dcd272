/**
 * One PII scanner function old against new, alternating in one process on the ~1 KB presidio-synth
 * texts that `pii-speed.ts` uses (speed only: labels are not read). Finer than a whole detector's
 * rounds for one recognizer's change: prints the median, over blocks of 20 passes, of old/new CPU
 * time. DIR is a copy of an older `src/` placed where its imports resolve (see `pii-speed.ts`).
 * Usage: pnpm --filter @cascade/guardrails exec tsx --conditions=source scripts/check/scanner-speed.ts
 *   --base DIR --module pii/recognizers/address-recognizer.ts --function recognizeAddresses [--blocks 60]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { presidioKilobyteTexts } from './presidio-kilobyte-texts';

type Scanner = (text: string, out: unknown[]) => void;

const here = path.dirname(fileURLToPath(import.meta.url));
const dataDir = process.env.CASCADE_DATA_DIR ?? path.resolve(here, '../../../../../shared/data');
const argument = (name: string, fallback?: string): string => {
  const at = process.argv.indexOf(name);
  if (at >= 0) return process.argv[at + 1]!;
  if (fallback === undefined) throw new Error(`missing ${name}`);
  return fallback;
};
const modulePath = argument('--module');
const name = argument('--function');
const blocks = Number(argument('--blocks', '60'));
const load = async (root: string): Promise<Scanner> => ((await import(path.join(root, modulePath))) as Record<string, Scanner>)[name]!;
const old = await load(path.resolve(argument('--base')));
const fresh = await load(path.resolve(here, '../../src'));

const texts = presidioKilobyteTexts(dataDir);

const PASSES = 20;
function cpuMicros(scan: Scanner): number {
  const started = process.cpuUsage();
  for (let pass = 0; pass < PASSES; pass++) for (const text of texts) scan(text, []);
  const used = process.cpuUsage(started);
  return used.user + used.system;
}
for (let warm = 0; warm < 10; warm++) {
  cpuMicros(old);
  cpuMicros(fresh);
}
const ratios: number[] = [];
let freshTotal = 0;
for (let block = 0; block < blocks; block++) {
  // Alternate which goes first, so neither always runs on the other's warm caches.
  const before = block % 2 === 1 ? cpuMicros(old) : 0;
  const mine = cpuMicros(fresh);
  const after = block % 2 === 0 ? cpuMicros(old) : 0;
  ratios.push((before + after) / mine);
  freshTotal += mine;
}
ratios.sort((left, right) => left - right);
console.log(`${name}: old/new ${ratios[blocks >> 1]!.toFixed(3)}x (median of ${blocks} blocks), new ${(freshTotal / blocks / PASSES / 1000).toFixed(3)} ms per pass over ${texts.length} texts`);
