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
  if (matches.length < 2) return [...matches];
  return mergeSortedMatches([...matches].sort(byStart));
}

/** Start order of matches, the longer first at equal starts. */
export const byStart = (left: PiiMatch, right: PiiMatch): number => left.start - right.start || right.end - left.end;

/**
 * Sorts `matches` in place by {@link byStart}, stably (as `Array.prototype.sort`): an insertion sort
 * for the few matches of a typical text (no call per comparison), the built-in sort above that.
 */
export function sortByStart(matches: PiiMatch[]): PiiMatch[] {
  if (matches.length > 32) return matches.sort(byStart);
  for (let index = 1; index < matches.length; index++) {
    const match = matches[index]!;
    let at = index;
    // Move left only past strictly later matches: equal ones keep their order.
    for (; at > 0; at--) {
      const previous = matches[at - 1]!;
      if (previous.start < match.start || (previous.start === match.start && previous.end >= match.end)) break;
      matches[at] = previous;
    }
    matches[at] = match;
  }
  return matches;
}

/** {@link mergeMatches} of matches already sorted by {@link byStart}, which it may return as they are. */
export function mergeSortedMatches(sorted: PiiMatch[]): PiiMatch[] {
  if (sorted.length < 2) return sorted;
  // Common case: recognizers found disjoint spans.
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
