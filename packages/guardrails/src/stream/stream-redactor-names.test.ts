import { collect, fromArray } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { createPiiRedactor } from '../pii/pii-redactor';
import { PII_ENTITY_TYPES } from '../pii/pii-entity';
import { redactStream } from './stream-redactor';

const redactor = createPiiRedactor({ entities: [...PII_ENTITY_TYPES] });
const text = 'Yesterday I had lunch with Margaret Thornton. Please ship the parcel to 3600 West 5th Ave., Suite 200, Springfield, IL 62704 before June 5, 2020, thanks.';

async function streamed(chunks: string[]): Promise<string> {
  const parts = await collect(redactStream(fromArray(chunks), redactor));
  return parts.map((part) => (part.type === 'text' ? part.text : '')).join('');
}

describe('redactStream with names and addresses', () => {
  const whole = redactor.redact(text);
  const values = whole.matches.map((match) => text.slice(match.start, match.end));
  // Every word of every entity: no piece of a name or an address may reach the client.
  const pieces = [...new Set(values.flatMap((value) => value.split(/[\s,.]+/)).filter((word) => word.length >= 3))];

  it('the whole text redacts the name, the address and the date', () => {
    expect(whole.matches.map((match) => match.type)).toEqual(expect.arrayContaining(['PERSON', 'STREET_ADDRESS', 'DATE_TIME']));
    expect(pieces).toEqual(expect.arrayContaining(['Margaret', 'Thornton', 'West', 'Springfield', '62704']));
  });

  it('leaks no piece of them when split in two at every boundary', async () => {
    for (let cut = 1; cut < text.length; cut++) {
      const output = await streamed([text.slice(0, cut), text.slice(cut)]);
      for (const piece of pieces) expect(output.includes(piece), `cut ${cut} leaked "${piece}": ${output}`).toBe(false);
    }
  });

  it('leaks no piece of them one character at a time, and gives the whole-text redaction', async () => {
    const output = await streamed([...text]);
    for (const piece of pieces) expect(output.includes(piece), `leaked "${piece}": ${output}`).toBe(false);
    expect(output).toBe(whole.text);
  });
});
