import { describe, expect, it } from 'vitest';
import { checkArithmetic } from './arithmetic-check';

describe('checkArithmetic', () => {
  it('accepts correct worked steps and flags a wrong one', () => {
    expect(checkArithmetic('Tom had 20 - 5 = 15 pens, then 15 + 7 = 22.')).toMatchObject({ checked: 2, errors: 0, lastResult: 22, results: [15, 22] });
    const report = checkArithmetic('Tom had 20 - 5 = 15 pens, then 15 + 7 = 23.');
    expect(report).toMatchObject({ checked: 2, errors: 1, lastResult: 23 });
    expect(report.firstError).toContain('15 + 7 = 23');
  });

  it('reads calculator annotations and chained equalities', () => {
    expect(checkArithmetic('He pays 4 * $3 = $<<4*3=12>>12.').errors).toBe(0);
    expect(checkArithmetic('He pays 4 * $3 = $<<4*3=13>>13.').errors).toBe(1);
    expect(checkArithmetic('Total 2 + 1/2 = 5/2 = 2.5 cups.')).toMatchObject({ checked: 2, errors: 0 });
    expect(checkArithmetic('Total 2 + 1/2 = 5/2 = 3.5 cups.').errors).toBe(1);
  });

  it('handles thousands separators and currency', () => {
    expect(checkArithmetic('Cost: $12,500 + $7,500 = $20,000.').errors).toBe(0);
    expect(checkArithmetic('Cost: €1,250.50 * 2 = €2,501').errors).toBe(0);
    expect(checkArithmetic('Cost: $12,500 + $7,500 = $21,000.').errors).toBe(1);
    // A list comma is not a thousands separator.
    expect(checkArithmetic('We have 4, 5 and 6; 4 + 5 + 6 = 15.').errors).toBe(0);
  });

  it('handles percentages both ways', () => {
    expect(checkArithmetic('A discount: 40 * 25% = 10 dollars.').errors).toBe(0);
    expect(checkArithmetic('After the discount, $80 - 25% = $60.').errors).toBe(0);
    expect(checkArithmetic('The share is 30 / 120 = 25%.').errors).toBe(0);
    expect(checkArithmetic('The share is 30 / 120 * 100 = 25%.').errors).toBe(0);
    expect(checkArithmetic('The share is 30 / 120 = 30%.').errors).toBe(1);
  });

  it('handles units, multiplication signs and LaTeX operators', () => {
    expect(checkArithmetic('He ran 3 x 60 meters = 180 meters.').errors).toBe(0);
    expect(checkArithmetic('16 eggs - 3 eggs = 13 eggs').errors).toBe(0);
    expect(checkArithmetic('Area: 3 × 4 = 12, and 12 ÷ 2 = 6').errors).toBe(0);
    expect(checkArithmetic('So $3 \\times 5 = 16$.').errors).toBe(1);
    // A conversion chain is not compared across different units.
    expect(checkArithmetic('It takes 3 * 40 = 120 minutes = 2 hours.').errors).toBe(0);
  });

  it('handles negative numbers and signs', () => {
    expect(checkArithmetic('The change is -5 + 3 = -2 degrees.').errors).toBe(0);
    expect(checkArithmetic('The change is -5 + 3 = 2 degrees.').errors).toBe(1);
    expect(checkArithmetic('Balance: 10 - 25 = -15.').errors).toBe(0);
  });

  it('tolerates rounding, truncation and rounded inputs', () => {
    expect(checkArithmetic('Each gets 10 / 3 = 3.33 liters.').errors).toBe(0);
    expect(checkArithmetic('Each gets 2 / 3 = 0.66 liters.').errors).toBe(0);
    expect(checkArithmetic('So 10 / 3 = 3 full boxes.').errors).toBe(0);
    expect(checkArithmetic('A third is 0.33, so 0.33 * 90 = 30 people.').errors).toBe(0);
    // Money is exact: $0.40 is not a rounded third.
    expect(checkArithmetic('He earns 0.40 * 9 * 1040 = 3760 dollars.').errors).toBe(1);
    expect(checkArithmetic('Each gets 10 / 3 = 3.5 liters.').errors).toBe(1);
  });

  it('does not mistake prose, lists, code or identifiers for equations', () => {
    const clean = [
      'Sarah has 100 apples - 60 = 40 left over.', // starts mid-expression: not judged
      '3 groups of 4 = 12 people.', // no operator on the left
      '1 hour = 60 minutes.',
      '- 5 items\n- 3 items',
      '```\nx = 5 + 3 = 9\n```',
      'Use x2 = 3 + 4 for H2O and v1.2 = 5.',
      'if (a == 3 + 4) return; f = (x) => 5 + 1;',
      'The ratio 3:2 = 1.5 and 2^3 = 8.',
      'Solve 2x + 3 = 11.',
      'Mix 2 (her own books) + 1 (from Tom) = 3 books.',
    ];
    for (const text of clean) expect(checkArithmetic(text).errors, text).toBe(0);
  });

  it('is linear: a pathological input is one pass with bounded buffers', () => {
    // Deep nesting, endless operators and a run longer than the token buffer cannot blow up:
    // the scanner moves forward on every character and the parser's depth is capped.
    const nested = `${'('.repeat(5000)}1${')'.repeat(5000)} = 1`;
    const operators = `${'1 + '.repeat(20_000)}1 = 20001`;
    const equals = '1 = '.repeat(20_000);
    for (const text of [nested, operators, equals]) expect(checkArithmetic(text).errors).toBe(0);
    expect(checkArithmetic('2 + 2 = 5\n'.repeat(1000)).errors).toBe(1000);
  });
});
