/**
 * bench:startup — what importing a package costs a fresh process, and what installing it weighs.
 *
 * 1. Import time: `node -e "await import(X)"` in fresh processes, median of `--runs` per target, runs
 *    interleaved so a slow moment hits every target alike. Reported as ms over an empty `node -e ""`
 *    and as ratios to importing `zod` alone and `openai` alone in the same run.
 *    Goal: importing @cascade/core costs ≤ 2× importing openai.
 * 2. Installed size of @cascade/core + limits + guardrails: the unpacked size of their tarballs
 *    (`npm pack --dry-run`, the files that would publish) plus their dependency closure without
 *    optional peers, measured from node_modules. Goal ≤ 20 MB. Also shown: with the optional
 *    tokenizer (`gpt-tokenizer`) installed.
 *
 * Needs the packages built (`pnpm bench:startup` builds them first through turbo).
 * Usage: pnpm bench:startup [--json] [--runs 15]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { numberArg, parseArgs } from '../shared/args';

const args = parseArgs(process.argv.slice(2));
const json = args.has('json');
const runs = numberArg(args, 'runs', 15);

const benchDir = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const repoDir = resolve(benchDir, '../..');
const MB = 1024 * 1024;

const targets: Record<string, string> = {
  'node -e ""': '',
  zod: 'zod',
  openai: 'openai',
  '@cascade/core': '@cascade/core',
  '@cascade/limits': '@cascade/limits',
  '@cascade/guardrails': '@cascade/guardrails',
  '@cascade/stream': '@cascade/stream',
};

for (const name of ['core', 'limits', 'guardrails', 'stream']) {
  if (!existsSync(join(repoDir, 'packages', name, 'dist', 'index.js'))) {
    throw new Error(`packages/${name}/dist is missing: run \`pnpm build\` (or \`pnpm bench:startup\`, which builds first).`);
  }
}

function timeImport(specifier: string): number {
  const code = specifier === '' ? '' : `await import(${JSON.stringify(specifier)})`;
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['--input-type=module', '-e', code], { cwd: benchDir, stdio: ['ignore', 'ignore', 'pipe'] });
  const elapsed = Number(process.hrtime.bigint() - started) / 1e6;
  if (result.status !== 0) throw new Error(`importing ${specifier} failed: ${result.stderr.toString()}`);
  return elapsed;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

const samples = new Map<string, number[]>(Object.keys(targets).map((name) => [name, []]));
for (const specifier of Object.values(targets)) timeImport(specifier); // warm the file cache
for (let run = 0; run < runs; run++) {
  for (const [name, specifier] of Object.entries(targets)) samples.get(name)!.push(timeImport(specifier));
}
const medians = Object.fromEntries([...samples].map(([name, values]) => [name, median(values)]));
const empty = medians['node -e ""']!;
const over = (name: string): number => Math.max(0.01, medians[name]! - empty);
const importMs = Object.fromEntries(Object.keys(targets).filter((name) => name !== 'node -e ""').map((name) => [name, {
  medianMs: round(medians[name]!),
  overEmptyNodeMs: round(over(name)),
  vsZod: round(over(name) / over('zod')),
  vsOpenai: round(over(name) / over('openai')),
}]));

// ---- installed size ----
function treeBytes(dir: string): number {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) total += entry.name === 'node_modules' ? 0 : treeBytes(path);
    else if (entry.isFile()) total += statSync(path).size;
  }
  return total;
}

function packageRoot(name: string, fromDir: string): string {
  const require = createRequire(join(fromDir, 'package.json'));
  let dir = dirname(require.resolve(`${name}/package.json`));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
}

function unpackedSize(packageDir: string): number {
  const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: packageDir, stdio: ['ignore', 'pipe', 'ignore'] }).toString();
  return (JSON.parse(out) as { unpackedSize: number }[])[0]!.unpackedSize;
}

/** External dependency closure (name → bytes) of `dir`'s package, optional peers excluded unless listed in `extra`. */
function closure(dir: string, seen: Map<string, number>, extra: readonly string[] = []): void {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { dependencies?: Record<string, string> };
  for (const name of [...Object.keys(manifest.dependencies ?? {}), ...extra]) {
    if (name.startsWith('@cascade/') || seen.has(name)) continue;
    const root = packageRoot(name, dir);
    seen.set(name, treeBytes(root));
    closure(root, seen);
  }
}

const ours: Record<string, number> = {};
const dependencies = new Map<string, number>();
const withTokenizer = new Map<string, number>();
for (const name of ['core', 'limits', 'guardrails']) {
  const dir = join(repoDir, 'packages', name);
  ours[`@cascade/${name}`] = unpackedSize(dir);
  closure(dir, dependencies);
  closure(dir, withTokenizer, name === 'core' ? ['gpt-tokenizer'] : []);
}
const sum = (values: Iterable<number>): number => [...values].reduce((a, b) => a + b, 0);
const installedMb = round((sum(Object.values(ours)) + sum(dependencies.values())) / MB);
const installedWithTokenizerMb = round((sum(Object.values(ours)) + sum(withTokenizer.values())) / MB);

const result = {
  runs,
  importMs,
  goals: {
    coreVsOpenai: { value: importMs['@cascade/core']!.vsOpenai, goal: '≤ 2', met: importMs['@cascade/core']!.vsOpenai <= 2 },
    installedMb: { value: installedMb, goal: '≤ 20', met: installedMb <= 20 },
  },
  installed: {
    packagesMb: Object.fromEntries(Object.entries(ours).map(([name, bytes]) => [name, round(bytes / MB)])),
    dependenciesMb: Object.fromEntries([...dependencies].map(([name, bytes]) => [name, round(bytes / MB)])),
    totalMb: installedMb,
    totalWithOptionalTokenizerMb: installedWithTokenizerMb,
  },
  node: process.version,
};

if (json) console.log(JSON.stringify(result));
else {
  console.log(`bench:startup — fresh processes, median of ${runs}; empty node: ${round(empty)} ms (${process.version})`);
  console.log('import                  median ms   over empty   ×zod    ×openai');
  for (const [name, row] of Object.entries(importMs)) {
    console.log(`${name.padEnd(22)} ${String(row.medianMs).padStart(9)} ${String(row.overEmptyNodeMs).padStart(11)} ${String(row.vsZod).padStart(7)} ${String(row.vsOpenai).padStart(9)}`);
  }
  console.log(`goal: @cascade/core ≤ 2× openai → ${result.goals.coreVsOpenai.value}× ${result.goals.coreVsOpenai.met ? 'met' : 'NOT met'}`);
  console.log(`installed core+limits+guardrails: ${installedMb} MB (${Object.entries(result.installed.packagesMb).map(([n, v]) => `${n} ${v}`).join(', ')}; deps ${[...dependencies.keys()].join(', ')}) → ${result.goals.installedMb.met ? 'met' : 'NOT met'} (≤ 20 MB)`);
  console.log(`with the optional tokenizer gpt-tokenizer: ${installedWithTokenizerMb} MB`);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
