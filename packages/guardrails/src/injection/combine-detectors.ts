import { CascadeError, parseConfig, toCascadeError } from '@cascade/core';
import { z } from 'zod';
import type { DetectInjectionOptions, InjectionDetector, InjectionInput, InjectionSignal, InjectionVerdict } from './injection-detector';
import { requireOptions } from '../util/require-input';
import { checkInjectionInput } from './check-injection-input';

/** Configuration of {@link combineInjectionDetectors}. */
export const combineInjectionConfigSchema = z
  .object({
    /**
     * `escalate`: run the detectors in order and ask the next one only while the current score is in
     * the gray zone (cheap heuristics first, a model after). `max`: run all concurrently and take the
     * highest score. @default 'escalate'
     */
    strategy: z.enum(['escalate', 'max']).default('escalate'),
    /** `[low, high)`: scores from `low` up to (not including) `high` are undecided and escalate. @default [0.2, 0.8] */
    grayZone: z.tuple([z.number().min(0).max(1), z.number().min(0).max(1)]).default([0.2, 0.8]),
    /**
     * When a detector after the first throws: `use-first` returns the first detector's verdict with a
     * `model-unavailable` signal; `fail-closed` reports an injection (score 1); `fail-open` reports a
     * clean text (score 0, escalate) or ignores the failed detector (max). A failing first detector
     * always rejects, except with `fail-closed`/`fail-open`; a caller abort always rejects.
     * @default 'use-first'
     */
    onError: z.enum(['use-first', 'fail-closed', 'fail-open']).default('use-first'),
    /** Told about every swallowed detector error (for logs and metrics). */
    onDetectorError: z.custom<(error: CascadeError, detector: string) => void>((value) => typeof value === 'function', { message: 'expected a function' }).optional(),
  })
  .refine((config) => config.grayZone[0] <= config.grayZone[1], { message: 'grayZone must be [low, high] with low <= high', path: ['grayZone'] });

/** Combination config as callers write it. */
export type CombineInjectionConfig = z.input<typeof combineInjectionConfigSchema>;

/** Name of the signal that says a detector failed and its verdict is missing. */
export const DETECTOR_UNAVAILABLE_SIGNAL = 'model-unavailable';

/** The combined detector: always asynchronous. */
export interface CombinedInjectionDetector extends InjectionDetector {
  detect(input: InjectionInput, options?: DetectInjectionOptions): Promise<InjectionVerdict>;
}

/**
 * Combines injection detectors into one. With `escalate` (the default), the first (cheap) detector
 * decides alone outside the gray zone — at or above `high` the text is an injection, below `low` it
 * is clean — and the next detector (e.g. {@link createModelInjectionDetector}) is called only in
 * between, its verdict then deciding. With `max`, all run concurrently and the highest score wins.
 * Signals are merged (one per name, strongest weight) and `detector` names the detectors whose
 * verdicts were used, joined with `+`.
 *
 * @throws CascadeError `INVALID_CONFIG` for an empty list or a bad config. `detect` rejects with
 * `ABORTED`/`TIMEOUT` when the caller's signal fires, and with a detector's error as `onError` says.
 * @example
 * const detector = combineInjectionDetectors([createHeuristicInjectionDetector(), createModelInjectionDetector({ model })]);
 * const guardrails = createGuardrailsMiddleware({}, { injectionDetector: detector });
 */
export function combineInjectionDetectors(detectors: readonly InjectionDetector[], config: CombineInjectionConfig = {}): CombinedInjectionDetector {
  const settings = parseConfig(combineInjectionConfigSchema, config, 'combineInjectionDetectors config');
  if (!Array.isArray(detectors) || detectors.length === 0 || detectors.some((detector) => typeof detector?.detect !== 'function')) {
    throw new CascadeError('INVALID_CONFIG', 'combineInjectionDetectors needs a non-empty list of detectors (objects with detect), cheapest first.');
  }
  const list = [...detectors];
  const [low, high] = settings.grayZone;
  const report = (error: CascadeError, detector: InjectionDetector): void => {
    try {
      settings.onDetectorError?.(error, detector.name);
    } catch {
      // A failing listener must not change the verdict.
    }
  };
  const run = async (detector: InjectionDetector, input: InjectionInput, options: DetectInjectionOptions): Promise<InjectionVerdict> => {
    try {
      return await detector.detect(input, options);
    } catch (error) {
      throw toCascadeError(error, 'MODEL_CALL_FAILED', `injection detector ${detector.name}`);
    }
  };

  /** The verdict when a detector failed and `onError` says not to rethrow. */
  const onFailure = (error: CascadeError, failed: InjectionDetector, used: readonly InjectionVerdict[], first: InjectionVerdict | undefined): InjectionVerdict => {
    if (settings.onError === 'fail-closed') {
      return combine(1, true, [{ name: DETECTOR_UNAVAILABLE_SIGNAL, weight: 1 }, ...used.flatMap((verdict) => verdict.signals)], used, failed);
    }
    if (settings.onError === 'fail-open') {
      return combine(0, false, [...used.flatMap((verdict) => verdict.signals), { name: DETECTOR_UNAVAILABLE_SIGNAL, weight: 0 }], used, failed);
    }
    if (!first) throw error;
    return { ...first, signals: mergeSignals([...first.signals, { name: DETECTOR_UNAVAILABLE_SIGNAL, weight: 0 }]) };
  };

  const escalate = async (input: InjectionInput, options: DetectInjectionOptions): Promise<InjectionVerdict> => {
    const used: InjectionVerdict[] = [];
    for (const [index, detector] of list.entries()) {
      let verdict: InjectionVerdict;
      try {
        verdict = await run(detector, input, options);
      } catch (error) {
        const typed = toCascadeError(error);
        if (options.abortSignal?.aborted) throw typed;
        if (index === 0 && settings.onError === 'use-first') throw typed;
        report(typed, detector);
        return onFailure(typed, detector, used, used[0]);
      }
      used.push(verdict);
      const last = index === list.length - 1;
      if (index === 0 && verdict.score >= high) return combine(verdict.score, true, verdict.signals, used);
      if (index === 0 && verdict.score < low) return combine(verdict.score, false, verdict.signals, used);
      if (last || verdict.score < low || verdict.score >= high) {
        // The latest detector decides; earlier signals stay as context.
        return combine(verdict.score, verdict.detected, [...verdict.signals, ...used.slice(0, -1).flatMap((earlier) => earlier.signals)], used);
      }
    }
    throw new CascadeError('INVALID_CONFIG', 'combineInjectionDetectors has no detector to run.');
  };

  const max = async (input: InjectionInput, options: DetectInjectionOptions): Promise<InjectionVerdict> => {
    const settled = await Promise.allSettled(list.map((detector) => run(detector, input, options)));
    if (options.abortSignal?.aborted) {
      const failure = settled.find((result) => result.status === 'rejected');
      if (failure) throw toCascadeError(failure.reason);
    }
    const used = settled.flatMap((result) => (result.status === 'fulfilled' ? [result.value] : []));
    const failedIndex = settled.findIndex((result) => result.status === 'rejected');
    if (failedIndex !== -1) {
      const failure = settled[failedIndex] as PromiseRejectedResult;
      const first = settled[0]?.status === 'fulfilled' ? settled[0].value : undefined;
      if (settings.onError === 'use-first' && !first) throw toCascadeError(failure.reason);
      for (const [index, result] of settled.entries()) if (result.status === 'rejected') report(toCascadeError(result.reason), list[index] as InjectionDetector);
      if (settings.onError !== 'fail-open' || used.length === 0) return onFailure(toCascadeError(failure.reason), list[failedIndex] as InjectionDetector, used, first);
      const best = Math.max(...used.map((verdict) => verdict.score));
      return combine(best, used.some((verdict) => verdict.detected), [...used.flatMap((verdict) => verdict.signals), { name: DETECTOR_UNAVAILABLE_SIGNAL, weight: 0 }], used);
    }
    const best = Math.max(...used.map((verdict) => verdict.score));
    // Strongest verdict's signals first, so its reason names the finding.
    const ordered = [...used].sort((a, b) => b.score - a.score);
    return combine(best, used.some((verdict) => verdict.detected), ordered.flatMap((verdict) => verdict.signals), used);
  };

  const name = `${settings.strategy}(${list.map((detector) => detector.name).join(', ')})`;
  return {
    name,
    detect: async (input, options = {}) => {
      checkInjectionInput(input, `${name} injection detect`);
      requireOptions(options, `${name} injection detect`);
      return settings.strategy === 'max' ? max(input, options) : escalate(input, options);
    },
  };
}

function combine(score: number, detected: boolean, signals: readonly InjectionSignal[], used: readonly InjectionVerdict[], failed?: InjectionDetector): InjectionVerdict {
  const names = used.map((verdict) => verdict.detector);
  if (failed && !names.includes(failed.name)) names.push(failed.name);
  return { score, detected, signals: mergeSignals(signals), detector: names.join('+') };
}

/** One signal per name, at its strongest weight, in order of first appearance. */
function mergeSignals(signals: readonly InjectionSignal[]): InjectionSignal[] {
  const byName = new Map<string, InjectionSignal>();
  for (const signal of signals) {
    const seen = byName.get(signal.name);
    if (!seen) byName.set(signal.name, { ...signal });
    else if (signal.weight > seen.weight) byName.set(signal.name, { ...signal });
  }
  return [...byName.values()];
}
