import { describe, expect, it } from 'vitest';
import { recognizeDates } from './date-recognizer';

const dates = (text: string): string[] => {
  const out: { start: number; end: number }[] = [];
  recognizeDates(text, out as never);
  return out.map((match) => text.slice(match.start, match.end));
};

describe('dates and times', () => {
  it.each([
    ['Born on 4/14/1962 in a small town.', ['4/14/1962']],
    ['Logged at 2020-06-20 14:11:22 by the system.', ['2020-06-20 14:11:22']],
    ['We met on June 5, 2020 for coffee.', ['June 5, 2020']],
    ['we met on june 5, 2020 for coffee.', ['june 5, 2020']],
    ['Er kam am 5. Juni 2020 an.', ['5. Juni 2020']],
    ['Due on the 5th of June 2021.', ['5th of June 2021']],
    ['Shipped Sept. 5 at 9:15 pm.', ['Sept. 5', '9:15 pm']],
    ['See you on Monday then.', ['Monday']],
    ['She was born in 1977 near the coast.', ['1977']],
    ['Le 14 juillet 1789, à Paris.', ['14 juillet 1789']],
    ['Released March 1988 in Europe.', ['March 1988']],
  ])('%s', (text, expected) => {
    expect(dates(text)).toEqual(expected);
  });

  it('are not versions, ratios, prices, a bare number, ordinary words or month-like words inside words', () => {
    expect(dates('Version 1.2.3 costs 1999 dollars, a 3:1 ratio; call 13/45.')).toEqual([]);
    expect(dates('You may go; the Marchetti family and Monday.com Augusta')).toEqual([]);
    expect(dates('Junebug Mayday Decorate')).toEqual([]);
  });
});
