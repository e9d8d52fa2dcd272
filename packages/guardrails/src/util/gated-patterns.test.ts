import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LEXICON_LITERALS } from '../moderation/lexicon-literals';
import { LEXICON_SOURCES } from '../moderation/local-moderator';
import { compactRequirements, createGatedPatterns } from './gated-patterns';
import { requiredLiterals } from './required-literals';

/** Random regex sources over a tiny alphabet: literals, small classes, groups, alternation, quantifiers, assertions. */
const regexSource: fc.Arbitrary<string> = fc.letrec<{ node: string }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constantFrom('a', 'b', 'ab', 'ba ', 'c', "'", '\\.', '[ab]', '[a1]', '[b1]?', '\\w', '.', '\\b', '\\s', '[^a]', 'a?', 'b+', 'c{0,2}', 'a{2}', 'b*'),
    fc.tuple(tie('node'), tie('node')).map(([left, right]) => `${left}${right}`),
    fc.tuple(tie('node'), tie('node')).map(([left, right]) => `(?:${left}|${right})`),
    fc.tuple(tie('node'), fc.constantFrom('?', '*', '+', '{0,2}', '{1,2}', '{2}', '??', '+?')).map(([node, quantifier]) => `(?:${node})${quantifier}`),
    tie('node').map((node) => `(?=${node})`),
    tie('node').map((node) => `(?<!${node})`),
  ),
})).node;

describe('requiredLiterals', () => {
  it('names literals of each required part, per alternative', () => {
    expect(requiredLiterals(String.raw`\b(?:kill|murder)s? (?:you|him)\b`)).toEqual([[['kill', 'murder'], ['you', 'him']]]);
    expect(requiredLiterals(String.raw`\bkill (?:you|him)\b|\bslur\b`)).toEqual([[['kill '], ['you', 'him']], [['slur']]]);
    expect(requiredLiterals(String.raw`n[i1]gg(?:er|a)s?`)).toEqual([[['nigg', 'n1gg']]]);
    expect(requiredLiterals('[a-z]+')).toBeUndefined();
    expect(requiredLiterals('(?:a|[b-z])')).toBeUndefined();
  });

  it('is sound: a text that matches a pattern always passes its gate', () => {
    fc.assert(
      fc.property(regexSource, fc.array(fc.string({ unit: fc.constantFrom('a', 'b', 'c', '1', ' ', "'", '.') }), { minLength: 1, maxLength: 20 }), (source, texts) => {
        const gated = createGatedPatterns([{ source, flags: 'u' }]);
        for (const text of texts) if (new RegExp(source, 'u').test(text)) expect(gated.candidates(text)[0]).toBe(1);
      }),
      { numRuns: 400 },
    );
  });
});

describe('createGatedPatterns', () => {
  it('skips a pattern whose literals are absent and runs it when they occur', () => {
    const gated = createGatedPatterns([{ source: String.raw`\bkill (?:you|him)\b`, flags: 'u' }, { source: '[0-9]+', flags: 'u' }]);
    expect([...gated.candidates('have a nice day')]).toEqual([0, 1]);
    expect([...gated.candidates('i will kill him')]).toEqual([1, 1]);
    // Both parts are needed: one alone is not enough.
    expect([...gated.candidates('kill the lights')]).toEqual([0, 1]);
  });
});

describe('the local moderator lexicon', () => {
  it('has its generated literal file up to date (rerun `pnpm --filter @cascade/guardrails generate:lexicon`)', () => {
    expect(LEXICON_LITERALS).toEqual(compactRequirements(LEXICON_SOURCES));
  });

  it('gates no rule off a text that the rule matches', () => {
    const gated = createGatedPatterns(LEXICON_SOURCES, LEXICON_LITERALS);
    const texts = [
      'i will kill you', 'you are such a stupid bitch', 'i hate all muslims', 'death to the jews', 'kill yourself', 'i want to die',
      'how to make meth', 'send me nudes', 'gas the immigrants', 'i hope you get cancer', 'eres un idiota', 'quiero morir.',
      'du bist ein arschloch', 'je vais te tuer', 'ты тупой', 'я тебя убью', 'أنت غبي', 'तू चूतिया है', '我想死', 'お前を殺す',
      'kill the python process', 'the history of the nanjing massacre', 'stabbed him in the chest', 'blood everywhere, bloody mess',
      "calling immigrants vermin is wrong", 'n1gger', 'f@ggot', 'a 12 yo girl nude', 'kids sex', 'vete a la mierda', 'ta gueule',
    ];
    for (const text of texts) {
      const candidates = gated.candidates(text);
      for (const [index, { source, flags }] of LEXICON_SOURCES.entries()) {
        if (new RegExp(source, flags).test(text)) expect(candidates[index], `${text} / pattern ${index}`).toBe(1);
      }
    }
  });
});
