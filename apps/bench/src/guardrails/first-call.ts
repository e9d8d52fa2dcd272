import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const WORKER = fileURLToPath(new URL('./first-call-worker.mjs', import.meta.url));
const BENCH_DIR = fileURLToPath(new URL('../..', import.meta.url));

interface Sample {
  importMs: number;
  importCpuMs: number;
  firstCallMs: number;
  firstCallCpuMs: number;
}

function spawnWorker(detector?: string): unknown {
  // Plain node without tsx or the source condition: the built package runs, as in a user's process.
  const result = spawnSync(process.execPath, [WORKER, ...(detector ? [detector] : [])], { encoding: 'utf8', cwd: BENCH_DIR });
  if (result.status !== 0) throw new Error(`first-call worker failed for ${detector}: ${result.stderr}`);
  return JSON.parse(result.stdout.trim().split('\n').at(-1)!);
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
};
const round = (value: number): number => Math.round(value * 10) / 10;

/**
 * Time of the very first call of each detector after importing the package, each in a fresh
 * process running the built package (nothing compiled, decoded or cached before), `runs` processes per detector, interleaved
 * so a busy moment hits every detector alike. Reports the median CPU time of the process (what the
 * call costs; robust to other load on the machine) and the median wall time (what a caller waits
 * on this machine, load included). Goal: ≤ 50 ms.
 */
export function firstCallInFreshProcesses(runs = 5): Record<string, { cpuMs: number; wallMs: number; importCpuMs: number; importWallMs: number; runs: number }> {
  const { detectors } = spawnWorker() as { detectors: string[] };
  const samples = new Map<string, Sample[]>(detectors.map((detector) => [detector, []]));
  for (let run = 0; run < runs; run++) {
    for (const detector of detectors) samples.get(detector)!.push(spawnWorker(detector) as Sample);
  }
  return Object.fromEntries(
    [...samples].map(([detector, values]) => [
      detector,
      {
        cpuMs: round(median(values.map((value) => value.firstCallCpuMs))),
        wallMs: round(median(values.map((value) => value.firstCallMs))),
        importCpuMs: round(median(values.map((value) => value.importCpuMs))),
        importWallMs: round(median(values.map((value) => value.importMs))),
        runs,
      },
    ]),
  );
}
