import { describe, expect, it } from 'vitest';
import { byStart, sortByStart } from './merge-matches';
import type { PiiMatch } from './pii-entity';

describe('sortByStart', () => {
  it('orders like the stable built-in sort, ties included, at every size', () => {
    let seed = 7;
    const next = (limit: number): number => {
      seed = (Math.imul(seed, 1_103_515_245) + 12_345) >>> 0;
      return seed % limit;
    };
    for (const size of [0, 1, 2, 5, 17, 32, 33, 80]) {
      for (let trial = 0; trial < 20; trial++) {
        // Few distinct starts and ends: many equal keys, so stability shows.
        const matches: PiiMatch[] = Array.from({ length: size }, (_, id) => {
          const start = next(6);
          return { type: 'PERSON', start, end: start + 1 + next(3), score: id };
        });
        const expected = [...matches].sort(byStart);
        expect(sortByStart([...matches]).map((match) => match.score)).toEqual(expected.map((match) => match.score));
      }
    }
  });
});
