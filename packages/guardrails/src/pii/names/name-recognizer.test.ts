import { createHash } from 'node:crypto';
import { CascadeError } from '@cascade/core';
import { describe, expect, it } from 'vitest';
import { createPiiDetector } from '../pii-detector';
import { PII_DEFAULT_ENTITY_TYPES, PII_ENTITY_TYPES, PII_NAME_ENTITY_TYPES, type RawPiiMatch } from '../pii-entity';
import { recognizeNames } from '../recognizers/name-recognizer';
import { addToGazetteer, commonWordBit, visitNameCandidates, type CommonWords } from './name-candidates';
import { decodeNameModel, nameModelChecksum, packWeights } from './name-model';
import { labeledCandidates, quantizeNameModel, trainNameModel, type NameTrainingText } from './train-name-model';
import { NAME_WEIGHTS } from './weights/name-weights';

const all = createPiiDetector({ entities: [...PII_ENTITY_TYPES] });
const found = (text: string): [string, string][] => all.detect(text).map((match) => [match.type, text.slice(match.start, match.end)]);

describe('name candidates', () => {
  it('are runs of capitalized words with inner joiners and initials, never lower-case words', () => {
    const spans: string[] = [];
    const text = 'yesterday Ken N. Fukuda met the Bank of America team and Jean-Luc van Damme in ESPOO.';
    visitNameCandidates(text, 0xff, undefined, (start, end) => spans.push(text.slice(start, end)));
    expect(spans).toEqual(['Ken N. Fukuda', 'Bank of America', 'Jean-Luc van Damme', 'ESPOO']);
  });

  it('leave out possessives and titles, and keep the dot of "St."', () => {
    const spans: string[] = [];
    const text = "Anna's friend met Dr. Ken Fukuda in St. Louis.";
    visitNameCandidates(text, 0xff, undefined, (start, end) => spans.push(text.slice(start, end)));
    expect(spans).toEqual(['Anna', 'Ken Fukuda', 'St. Louis']);
  });

  it('drop stop words and also offer a run without its leading common word', () => {
    const bits = 12;
    const set = new Uint8Array(2 ** bits);
    addToGazetteer(set, bits, 'stop', 'thanks');
    addToGazetteer(set, bits, 'alone', 'wrote');
    addToGazetteer(set, bits, 'alone', 'my');
    const common = new Uint8Array(2 ** 10 / 8);
    const dear = commonWordBit('dear', 10);
    common[dear >>> 3]! |= 1 << (dear & 7);
    const spans: string[] = [];
    const text = 'Thanks Anna. Thanks! Dear Lucero Diaz Wrote. My Way. My bad.';
    visitNameCandidates(text, 0xff, { bits: 10, set: common, gazetteer: { bits, set } }, (start, end) => spans.push(text.slice(start, end)));
    // "Wrote" and "My" are dropped only when alone; "Thanks" always.
    expect(spans).toEqual(['Anna', 'Dear Lucero Diaz Wrote', 'Lucero Diaz Wrote', 'My Way']);
  });

  it('take ", Jr." and ", Inc." into the name before the comma', () => {
    const spans: string[] = [];
    const text = 'Ask John Smith, Jr. about Acme Holdings, Inc. and Paris, France.';
    visitNameCandidates(text, 0xff, undefined, (start, end) => spans.push(text.slice(start, end)));
    expect(spans).toEqual(['Ask John Smith, Jr.', 'Acme Holdings, Inc.', 'Paris', 'France']);
  });

  it('skip a run whose every candidate a caller discards, and keep the others', () => {
    const common = new Uint8Array(2 ** 10 / 8);
    const dear = commonWordBit('dear', 10);
    common[dear >>> 3]! |= 1 << (dear & 7);
    const text = 'Dear Lucero Diaz met Ada Lovelace in Paris.';
    const spansWith = (blocked: string | undefined): string[] => {
      const spans: string[] = [];
      const at = blocked === undefined ? -1 : text.indexOf(blocked);
      const discarded = blocked === undefined ? undefined : (start: number, end: number): boolean => start < at + blocked.length && end > at;
      visitNameCandidates(text, 0xff, { bits: 10, set: common }, (start, end) => spans.push(text.slice(start, end)), discarded);
      return spans;
    };
    expect(spansWith(undefined)).toEqual(['Dear Lucero Diaz', 'Lucero Diaz', 'Ada Lovelace', 'Paris']);
    expect(spansWith('Lovelace')).toEqual(['Dear Lucero Diaz', 'Lucero Diaz', 'Paris']);
    // Only the longer candidate overlaps "Dear": the run is still offered whole.
    expect(spansWith('Dear')).toEqual(['Dear Lucero Diaz', 'Lucero Diaz', 'Ada Lovelace', 'Paris']);
    expect(spansWith('Diaz')).toEqual(['Ada Lovelace', 'Paris']);
  });

  it('skip user handles, underscores and all, but not a name after a lone "@"', () => {
    const spans: string[] = [];
    const text = 'cc @DavyResearch @Wendy_Dimpz and @ Kara met Ada Lovelace @home.';
    visitNameCandidates(text, 0xff, undefined, (start, end) => spans.push(text.slice(start, end)));
    expect(spans).toEqual(['Kara', 'Ada Lovelace']);
  });

  it('skip headline-long runs of capitals without a candidate', () => {
    const spans: string[] = [];
    visitNameCandidates('This Is A Very Long Title Case Headline Here', 0xff, undefined, (start, end) => spans.push(String(end - start)));
    expect(spans).toEqual([]);
  });
});

describe('names, places and organizations', () => {
  it('are found in sentences of their own kind with exact offsets', () => {
    expect(found('Yesterday I had lunch with Margaret Thornton at the office.')).toContainEqual(['PERSON', 'Margaret Thornton']);
    expect(found('She moved to Toronto, Canada last spring.').map(([type]) => type)).toContain('LOCATION');
  });

  it('keep the better of overlapping candidates and leave out a possessive', () => {
    expect(found('Yesterday Margaret Thornton called about the invoice.')).toEqual([['PERSON', 'Margaret Thornton']]);
    expect(found("I borrowed Anna Kowalski's car.")).toEqual([['PERSON', 'Anna Kowalski']]);
  });

  it('are off by default: the default detector finds only the pattern types', () => {
    expect(createPiiDetector().entities).toEqual(PII_DEFAULT_ENTITY_TYPES);
    expect(createPiiDetector().detect('Yesterday I had lunch with Margaret Thornton in Toronto.')).toEqual([]);
    for (const type of PII_NAME_ENTITY_TYPES) expect(PII_DEFAULT_ENTITY_TYPES).not.toContain(type);
  });

  it('never take over a pattern match: the email stays an email', () => {
    const text = 'Contact Margaret.Thornton@example.com today.';
    expect(found(text)).toEqual([['EMAIL_ADDRESS', 'Margaret.Thornton@example.com']]);
  });

  it('inside a street address are part of the address', () => {
    expect(found('Please ship it to 12 rue de la Paix, 75002 Paris\nthanks')).toEqual([['STREET_ADDRESS', '12 rue de la Paix, 75002 Paris']]);
  });
});

describe('street addresses', () => {
  it.each([
    ['I live at 90 Whitchurch Road now.', '90 Whitchurch Road'],
    ['Send it to 3600 West 5th Ave., Suite 200, Springfield, IL 62704 please', '3600 West 5th Ave., Suite 200, Springfield, IL 62704'],
    ['Meine Adresse: Friedhofstrasse 33 in Wien.', 'Friedhofstrasse 33'],
    ['Write to P.O. Box 1234 for the forms.', 'P.O. Box 1234'],
    ['The office is at 908 W. Madison, Chicago, IL 60607.', '908 W. Madison, Chicago, IL 60607'],
  ])('%s', (text, address) => {
    expect(found(text).filter(([type]) => type === 'STREET_ADDRESS')).toEqual([['STREET_ADDRESS', address]]);
  });

  it('are not numbers followed by ordinary words', () => {
    expect(found('I bought 3 apples and 12 oranges on the way home.').filter(([type]) => type === 'STREET_ADDRESS')).toEqual([]);
  });
});

describe('dates and times', () => {
  it.each([
    ['Born on 4/14/1962 in a small town.', '4/14/1962'],
    ['Logged at 2020-06-20 14:11:22 by the system.', '2020-06-20 14:11:22'],
    ['We met on June 5, 2020 for coffee.', 'June 5, 2020'],
    ['Er kam am 5. Juni 2020 an.', '5. Juni 2020'],
    ['See you on Monday then.', 'Monday'],
    ['She was born in 1977 near the coast.', '1977'],
  ])('%s', (text, date) => {
    expect(found(text).filter(([type]) => type === 'DATE_TIME')).toEqual([['DATE_TIME', date]]);
  });

  it('are not versions, ratios, prices or a bare number without a date word', () => {
    expect(found('Version 1.2.3 costs 1999 dollars, a 3:1 ratio; call 13/45.').filter(([type]) => type === 'DATE_TIME')).toEqual([]);
  });
});

describe('shipped name weights', () => {
  it('match their recorded SHA-256 and checksum, and decode', () => {
    const gazetteer = NAME_WEIGHTS.gazetteer ?? '';
    expect(createHash('sha256').update(NAME_WEIGHTS.weights).update(NAME_WEIGHTS.common).update(gazetteer).digest('hex')).toBe(NAME_WEIGHTS.sha256);
    expect(nameModelChecksum(Buffer.from(NAME_WEIGHTS.weights, 'base64'), Buffer.from(NAME_WEIGHTS.common, 'base64'), Buffer.from(gazetteer, 'base64'))).toBe(NAME_WEIGHTS.checksum);
    const model = decodeNameModel(NAME_WEIGHTS);
    expect(model.weights.length).toBe(NAME_WEIGHTS.buckets * 4);
    // Gazetteers learned from the training corpora ship with the model.
    expect(model.common.gazetteer?.set.length).toBe(2 ** NAME_WEIGHTS.gazetteerBits!);
    expect(NAME_WEIGHTS.weights.length + NAME_WEIGHTS.common.length + gazetteer.length).toBeLessThan(1_000_000);
  });

  it('refuse corrupt weights with INVALID_CONFIG', () => {
    const bytes = Buffer.from(NAME_WEIGHTS.weights, 'base64');
    bytes[bytes.length >> 1] = (bytes[bytes.length >> 1]! + 1) & 0xff;
    let error: unknown;
    try {
      decodeNameModel({ ...NAME_WEIGHTS, weights: bytes.toString('base64') });
    } catch (caught) {
      error = caught;
    }
    expect(CascadeError.isInstance(error) && error.code === 'INVALID_CONFIG').toBe(true);
  });

  it('refuse a corrupt gazetteer with INVALID_CONFIG', () => {
    const bytes = Buffer.from(NAME_WEIGHTS.gazetteer!, 'base64');
    bytes[7] = bytes[7]! ^ 0x10;
    expect(() => decodeNameModel({ ...NAME_WEIGHTS, gazetteer: bytes.toString('base64') })).toThrow(/corrupt/);
  });
});

describe('name scoring paths', () => {
  it('give the same scores from packed weights, a packed copy and the generic float path', () => {
    const model = decodeNameModel(NAME_WEIGHTS);
    const bytes = model.weights as Int8Array;
    // An odd byte offset cannot be viewed as int32: the weights are packed by copying.
    const shifted = new Int8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    const text = 'Dear Lucero, Ada Lovelace met Charles Babbage in London at the Royal Society on Monday. Bank of America, Paris and Jean-Luc van Damme too.';
    const run = (weights: Int8Array | Float32Array): RawPiiMatch[] => {
      const out: RawPiiMatch[] = [];
      const { packed: _shipped, ...unpacked } = model;
      const packed = weights instanceof Int8Array ? packWeights(weights, model.buckets, model.classes.length) : undefined;
      recognizeNames(text, out, { ...unpacked, weights, ...(packed === undefined ? {} : { packed }) });
      return out;
    };
    const packed = run(bytes);
    expect(packed.length).toBeGreaterThan(3);
    expect(run(shifted)).toEqual(packed);
    expect(run(Float32Array.from(bytes))).toEqual(packed);
  });
});

describe('gazetteer features', () => {
  it('mark a candidate whose words are in a gazetteer list', () => {
    const bits = 12;
    const set = new Uint8Array(2 ** bits);
    addToGazetteer(set, bits, 'given', 'alice');
    const featuresOf = (common: CommonWords | undefined): number[] => {
      const out: number[] = [];
      visitNameCandidates('We met Alice yesterday.', 0xffff, common, (_start, _end, features, count) => out.push(...features.slice(0, count)));
      return out;
    };
    const plain = { bits: 10, set: new Uint8Array(128) };
    const withList = featuresOf({ ...plain, gazetteer: { bits, set } });
    const emptyList = featuresOf({ ...plain, gazetteer: { bits, set: new Uint8Array(set.length) } });
    expect(withList).toHaveLength(emptyList.length);
    expect(withList).not.toEqual(emptyList);
    expect(featuresOf(plain).length).toBeLessThan(withList.length);
  });
});

describe('name model training', () => {
  const row = (text: string, names: [string, string][]): NameTrainingText => ({ text, spans: names.map(([value, type]) => ({ start: text.indexOf(value), end: text.indexOf(value) + value.length, type })) });
  const sample: NameTrainingText[] = [
    row('Thanks, it worked. Alice Martin called from Berlin about Acme Corp.', [['Alice Martin', 'PERSON'], ['Berlin', 'LOCATION'], ['Acme Corp', 'ORGANIZATION']]),
    row('The weather in Paris was fine and Bob Stone agreed.', [['Paris', 'LOCATION'], ['Bob Stone', 'PERSON']]),
  ];
  const common = { bits: 10, set: new Uint8Array(128) };
  const settings = { bucketBits: 10, epochs: 5, learningRate: 0.1, l2: 1e-6, seed: 7, entityWeight: 2 };
  const train = () => {
    const candidates = sample.flatMap((row) => labeledCandidates(row, 1023, common));
    return quantizeNameModel(trainNameModel(candidates, common, settings));
  };

  it('labels words inside an address NONE and leaves out those touching an IGNORE span', () => {
    const text = 'We moved to 12 Maple Grove, Springfield last year.';
    const at = (value: string) => ({ start: text.indexOf(value), end: text.indexOf(value) + value.length });
    const example = { text, spans: [{ ...at('12 Maple Grove, Springfield'), type: 'ADDRESS' }, { ...at('Springfield'), type: 'IGNORE' }] };
    const labels = labeledCandidates(example, 1023, common).map((candidate) => [text.slice(candidate.start, candidate.end), candidate.label]);
    expect(labels).toEqual([
      ['We', 0],
      ['Maple Grove', 0],
    ]);
  });

  it('labels candidates from gold spans and is deterministic: same data and seed, same weights', () => {
    const labels = labeledCandidates(sample[0]!, 1023, common).map((candidate) => candidate.label);
    expect(labels).toEqual([0, 1, 2, 3]);
    const first = train();
    const second = train();
    expect(Buffer.from(first.weights.buffer).equals(Buffer.from(second.weights.buffer))).toBe(true);
    expect(first.bias).toEqual(second.bias);
    const other = quantizeNameModel(trainNameModel(sample.flatMap((row) => labeledCandidates(row, 1023, common)), common, { ...settings, seed: 8 }));
    expect(Buffer.from(first.weights.buffer).equals(Buffer.from(other.weights.buffer))).toBe(false);
  });
});
