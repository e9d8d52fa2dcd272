/**
 * Least CPU time (ms) of `runs` calls of `work`: CPU time, not wall-clock, so that other processes
 * on a loaded machine do not count; the least run, so that a GC pause does not either. For n vs 4n
 * ratio tests of linear time, never for absolute bounds.
 */
export function cpuMs(work: () => void, runs = 3): number {
  let best = Number.POSITIVE_INFINITY;
  for (let run = 0; run < runs; run++) {
    const started = process.cpuUsage();
    work();
    const used = process.cpuUsage(started);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}
