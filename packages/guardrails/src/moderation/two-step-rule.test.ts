import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { VICTIM } from './abuse-lexicon';
import { TWO_STEP_RULES } from './local-moderator';
import { twoStepRule } from './two-step-rule';

const VERBS = String.raw`(?:kill(?:ed|ing|s)?|murder(?:ed|ing|s)?|shot|strangl\w+|behead\w*)`;
const PREFIXES = ['a ', 'the ', 'his ', 'her ', 'my ', 'all '];
const rule = twoStepRule(VERBS, PREFIXES, VICTIM);
const oneRegex = new RegExp(rule.source, 'u');

/** Words that make near-misses likely: verb stems and forms, prefixes, objects and their parts. */
const WORD = fc.constantFrom(
  'kill', 'killed', 'kills', 'skill', 'killer', 'murder', 'murdering', 'shot', 'strangled', 'strangl', 'beheaded', 'behead',
  'a', 'the', 'his', 'her', 'my', 'all', 'him', 'them', 'people', 'everyone', 'wife', 'teacher', 'jews', 'jew', 'that', 'guy',
  'innocent', 'of', 'you', 'youth', 'x', '.', "'", '',
);
const SEPARATOR = fc.constantFrom(' ', ' ', ' ', '  ', '', ',', '\n', "'");

describe('twoStepRule', () => {
  it('keeps the one-regex source (the literal gate and the generated file read it)', () => {
    expect(rule.source).toBe(String.raw`\b${VERBS} (?:a |the |his |her |my |all )?${VICTIM}\b`);
  });

  it.each([
    ['he killed the teacher', true],
    ['they shot all of them', true],
    ['she murdered the lights', false],
    ['killed the the teacher', true],
    ['killed a guy', false],
    ['strangled my wife.', true],
    ['skill them', false],
    ['kill the python process', false],
    ['kill kill you', true],
  ] as const)('matches %j: %s', (text, expected) => {
    expect(rule.test(text)).toBe(expected);
    expect(oneRegex.test(text)).toBe(expected);
  });

  it('gives the one regex’s result on any text built from its words', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(WORD, SEPARATOR), { maxLength: 10 }), (parts) => {
        const text = parts.map(([word, separator]) => word + separator).join('');
        expect(rule.test(text)).toBe(oneRegex.test(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes no empty prefix group into the source when there are no prefixes', () => {
    expect(twoStepRule('(?:kill)', [], '(?:you)').source).toBe(String.raw`\b(?:kill) (?:you)\b`);
  });

  // The OpenAI moderation dev set, when the shared data is present (CASCADE_DATA_DIR).
  const devSet = join(process.env.CASCADE_DATA_DIR ?? '', 'moderation', 'openai-moderation-1680.jsonl');
  it.skipIf(!process.env.CASCADE_DATA_DIR || !existsSync(devSet))('gives every moderator rule’s one-regex result on the OpenAI moderation set', () => {
    const texts = readFileSync(devSet, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { prompt: string }).prompt.toLowerCase());
    expect(TWO_STEP_RULES.length).toBeGreaterThanOrEqual(2);
    for (const steps of TWO_STEP_RULES) {
      const regex = new RegExp(steps.source, 'u');
      for (const text of texts) expect(steps.test(text), text).toBe(regex.test(text));
    }
  });
});
