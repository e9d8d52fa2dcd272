import { collect, fromArray } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { PII_ENTITY_TYPES } from '../pii/pii-entity';
import { createPiiRedactor, type PiiRedactor } from '../pii/pii-redactor';
import { redactStream } from './stream-redactor';

// Street addresses only: every form the address rules join from pieces (a street, a unit line, a
// "City, ST ZIP" tail found on its own, a postcode, a box) must stay whole whatever the chunking.
const redactors: [string, PiiRedactor][] = [
  ['STREET_ADDRESS only', createPiiRedactor({ entities: ['STREET_ADDRESS'] })],
  ['every type', createPiiRedactor({ entities: [...PII_ENTITY_TYPES] })],
];
const texts = [
  'Ship to:\n742 Evergreen Terrace\nApt. 3\nSpringfield\nIL 62704-1234\nThanks a lot.',
  'Bill 101 W. Grand Ave. 600, Chicago, IL 60654 for it, or write to P.O. Box 1234 later.',
  'Meet at Union Station, Washington, DC 20001, then 10 Downing Street, London SW1A 2AA.',
  'Chez nous: 12, rue de la Paix, 75002 Paris. Vivo en Calle Mayor, 5, 28013 Madrid.',
  'Mail 430 webster st # 12, palo alto ca 94301 or 317 conniston road, fl 33458, or 908 Madison, IL 60607.',
];

async function streamed(chunks: string[], redactor: PiiRedactor): Promise<string> {
  const parts = await collect(redactStream(fromArray(chunks), redactor));
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

const cases = redactors.flatMap(([name, redactor]) => texts.map((text) => [name, text, redactor] as const));

describe.each(cases)('redactStream with street addresses (%s): %s', (_name, text, redactor) => {
  const whole = redactor.redact(text);
  const pieces = [...new Set(whole.matches.flatMap((match) => text.slice(match.start, match.end).split(/[\s,.]+/)).filter((word) => word.length >= 3))];

  it('the whole text redacts its addresses', () => {
    expect(whole.matches.length).toBeGreaterThanOrEqual(1);
    expect(pieces.length).toBeGreaterThan(3);
  });

  it('leaks no piece when split in two at every boundary', async () => {
    for (let cut = 1; cut < text.length; cut++) {
      const output = await streamed([text.slice(0, cut), text.slice(cut)], redactor);
      for (const piece of pieces) expect(output.includes(piece), `cut ${cut} leaked "${piece}": ${output}`).toBe(false);
    }
  });

  it('leaks no piece one character at a time', async () => {
    const output = await streamed([...text], redactor);
    for (const piece of pieces) expect(output.includes(piece), `leaked "${piece}": ${output}`).toBe(false);
  });
});
