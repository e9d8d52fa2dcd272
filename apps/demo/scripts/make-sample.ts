/**
 * Regenerates the small trace sample shipped in apps/demo/data from the full RouteLLM traces in
 * ../shared/data/traces (never copies the full sets). Deterministic: same input, same sample.
 *
 *   pnpm --filter @cascade/demo run sample [--data <dir of shared data>]
 *
 * Selection (GSM8K): rows spread evenly over the file, 24 whose cheap draft is labelled correct
 * and 16 whose cheap draft is labelled wrong, so the tour shows drafts that pass and drafts that
 * fail. The labels pick the sample and feed the report; the cascade's validator never sees them.
 * MT-bench: 10 rows spread evenly over the 80.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Trace, readTraceFile } from '@cascade/core/replay';

const CHEAP = 'mixtral-8x7b-instruct-v0.1';
const here = dirname(fileURLToPath(import.meta.url));
const outDir = resolve(here, '../data');

function argValue(name: string): string | undefined {
  const index = process.argv.indexOf(name);
  return index >= 0 ? process.argv[index + 1] : undefined;
}

function spread<T>(rows: readonly T[], count: number): T[] {
  if (rows.length <= count) return [...rows];
  const step = rows.length / count;
  return Array.from({ length: count }, (_, index) => rows[Math.floor(index * step)]!);
}

function toLine(trace: Trace): string {
  return JSON.stringify(trace);
}

async function main(): Promise<void> {
  const dataDir = resolve(argValue('--data') ?? process.env.CASCADE_DATA_DIR ?? resolve(here, '../../../../shared/data'));
  const tracesDir = join(dataDir, 'traces');

  const gsm8k = await readTraceFile(join(tracesDir, 'gsm8k-routellm.traces.jsonl'));
  const passing = gsm8k.filter((trace) => trace.responses[CHEAP]?.correct === true);
  const failing = gsm8k.filter((trace) => trace.responses[CHEAP]?.correct === false);
  const gsmSample = [...spread(passing, 24), ...spread(failing, 16)].sort((a, b) => a.id.localeCompare(b.id));

  const mtbench = await readTraceFile(join(tracesDir, 'mtbench-routellm.traces.jsonl'));
  const mtSample = spread(mtbench, 10);

  await writeFile(join(outDir, 'gsm8k-sample.traces.jsonl'), `${gsmSample.map(toLine).join('\n')}\n`);
  await writeFile(join(outDir, 'mtbench-sample.traces.jsonl'), `${mtSample.map(toLine).join('\n')}\n`);
  // Written, not copied: the shared files are read-only and the sample must stay regenerable.
  for (const name of ['gsm8k', 'mtbench']) {
    await writeFile(join(outDir, `${name}-sample.models.json`), await readFile(join(tracesDir, `${name}-routellm.models.json`), 'utf8'));
  }
  process.stdout.write(`wrote ${gsmSample.length} GSM8K rows (${gsmSample.filter((t) => t.responses[CHEAP]?.correct).length} cheap-correct) and ${mtSample.length} MT-bench rows to ${outDir}\n`);
}

await main();
