import type { GuardAction } from '@cascade/core';
import type { PiiEntityType, PiiMatch } from './pii-entity';
import { requireArray } from '../util/require-input';

/** Severity order used when overlapping entities ask for different actions. */
export const ACTION_SEVERITY: Readonly<Record<GuardAction, number>> = { allow: 0, warn: 1, mask: 2, hash: 3, redact: 4, block: 5 };

/**
 * Merges overlapping matches into one span covering all of them (so no piece of either leaks).
 * The merged span takes the type of its highest-scoring member (ties: the longer one) and lists the
 * other members' types in `mergedTypes`. Input in any order; output sorted by start. O(k log k).
 */
export function mergeMatches(matches: readonly PiiMatch[]): PiiMatch[] {
  requireArray(matches, 'mergeMatches', 'the matches');
  return mergeCheckedMatches(matches);
}

/** {@link mergeMatches} for the detector, whose matches are known to be an array (no check per call). */
export function mergeCheckedMatches(matches: readonly PiiMatch[]): PiiMatch[] {
  if (matches.length < 2) return [...matches];
  // Common case: recognizers found disjoint spans; only sort.
  const sorted = [...matches].sort((left, right) => left.start - right.start || right.end - left.end);
  let disjoint = true;
  for (let index = 1; index < sorted.length && disjoint; index++) disjoint = sorted[index]!.start >= sorted[index - 1]!.end;
  if (disjoint) return sorted;
  const merged: PiiMatch[] = [];
  let current = { ...sorted[0]! };
  let others = new Set<PiiEntityType>();
  const flush = (): void => {
    others.delete(current.type);
    merged.push(others.size > 0 ? { ...current, mergedTypes: [...others] } : current);
  };
  for (let index = 1; index < sorted.length; index++) {
    const next = sorted[index]!;
    if (next.start < current.end) {
      const nextWins = next.score > current.score || (next.score === current.score && next.end - next.start > current.end - current.start);
      const end = Math.max(current.end, next.end);
      if (nextWins) {
        others.add(current.type);
        current = { ...next, start: current.start, end };
      } else {
        others.add(next.type);
        current = { ...current, end };
      }
    } else {
      flush();
      current = { ...next };
      others = new Set();
    }
  }
  flush();
  return merged;
}
