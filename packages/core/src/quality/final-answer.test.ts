import { describe, expect, it } from 'vitest';
import { extractFinalAnswer, isQuantitativeQuestion, maxDecimals, mentionsNumber } from './final-answer';

describe('final-answer helpers', () => {
  it('recognizes quantity phrases and closing what/how questions over given numbers', () => {
    expect(isQuantitativeQuestion('Tom has 16 eggs and eats 3. How many are left?')).toBe(true);
    expect(isQuantitativeQuestion('A tree is 4 m tall and grows 2 m a year. How tall is it after 3 years?')).toBe(true);
    expect(isQuantitativeQuestion("Pens cost $2 and pads $5. What's her bill for 3 of each?")).toBe(true);
    expect(isQuantitativeQuestion('I have 2 cats and 3 dogs. Suggest playful names for them.')).toBe(false);
    expect(isQuantitativeQuestion('What is the capital of France?')).toBe(false);
    expect(isQuantitativeQuestion('Painted around 1503 to 1519, the portrait hangs in the Louvre. How does it reflect its era?')).toBe(false);
    expect(isQuantitativeQuestion('In 1905 and 1915 Einstein published two theories. What changed? Write 3 paragraphs.')).toBe(false);
  });

  it('reads the decimals of the final answer and of the question', () => {
    expect(extractFinalAnswer('3 * $1.25 = $3.75\n#### 3.75')).toMatchObject({ value: 3.75, marked: true, decimals: 2 });
    expect(extractFinalAnswer('So the total is 12.50')).toMatchObject({ value: 12.5, marked: false, decimals: 1 });
    expect(extractFinalAnswer('#### 18')).toMatchObject({ decimals: 0 });
    expect(maxDecimals('3 apples at $1.25 and 2 pears at $0.50')).toBe(2);
    expect(maxDecimals('$2.00 each, 4 of them')).toBe(0);
  });

  it('finds a number written in a text, also as a percent or its fraction', () => {
    expect(mentionsNumber('She saves 25% of $1,200.', 1200)).toBe(true);
    expect(mentionsNumber('She saves 25% of $1,200.', 0.25)).toBe(true);
    expect(mentionsNumber('She saves 25% of $1,200.', 300)).toBe(false);
  });
});
