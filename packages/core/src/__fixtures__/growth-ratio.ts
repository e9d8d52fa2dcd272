import { performance } from 'node:perf_hooks';

/** Builds an input of `size`; `rep` varies its content so that no cache serves a repeat. */
export type MakeInput<T> = (size: number, rep: number) => T;

/** Median time of `run` over `reps` fresh inputs, in ms (after untimed warm-up calls: the JIT tiers up on the size). */
function medianMs<T>(make: MakeInput<T>, run: (input: T) => unknown, size: number, reps: number): number {
  for (let warmup = 0; warmup < 2; warmup++) run(make(size, reps + warmup));
  const samples: number[] = [];
  for (let rep = 0; rep < reps; rep++) {
    const input = make(size, rep);
    const started = performance.now();
    run(input);
    samples.push(performance.now() - started);
  }
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)]!;
}

/**
 * How much longer `run` takes on an input `factor` times larger: t(factor·n) / t(n), medians of a few
 * reps each. Linear code gives about `factor`, quadratic code `factor²`. A floor on t(n) keeps timer
 * noise out of tiny inputs; the smallest ratio of up to `attempts` measurements is returned, so a load
 * spike on a shared machine cannot fail a linear function (a super-linear one stays slow every time).
 * Complexity tests assert this ratio with a generous margin, never a wall-clock time.
 */
export function growthRatio<T>(
  make: MakeInput<T>,
  run: (input: T) => unknown,
  size: number,
  options: { factor?: number; reps?: number; attempts?: number } = {},
): number {
  const factor = options.factor ?? 4;
  const reps = options.reps ?? 3;
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < (options.attempts ?? 3) && best > factor * 1.5; attempt++) {
    const smallMs = Math.max(medianMs(make, run, size, reps), 0.5);
    best = Math.min(best, medianMs(make, run, size * factor, reps) / smallMs);
  }
  return best;
}

/** A deterministic pseudo-random string of `size` characters drawn from `chars`, different per `seed`. */
export function randomText(chars: readonly string[], size: number, seed: number): string {
  let state = (seed * 2_654_435_761 + size) >>> 0 || 1;
  let text = '';
  for (let index = 0; index < size; index++) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    text += chars[(state >>> 0) % chars.length]!;
  }
  return text;
}
