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

/**
 * cpu(4n) / cpu(n) for a linear-time check, measured again (up to `tries` times) while it stays at
 * or above `limit`: one busy stretch of a loaded machine or one GC pause can inflate a single
 * ratio, while a quadratic cost (about 16) stays high on every try.
 */
export function growthRatio(small: () => void, large: () => void, limit: number, tries = 3): number {
  // Warm both sizes: the first pass over a new shape pays JIT and regexp compilation.
  cpuMs(small, 2);
  cpuMs(large, 1);
  let ratio = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < tries && ratio >= limit; attempt++) {
    ratio = Math.min(ratio, cpuMs(large) / Math.max(1, cpuMs(small)));
  }
  return ratio;
}
