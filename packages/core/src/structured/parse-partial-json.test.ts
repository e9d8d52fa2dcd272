import { describe, expect, it } from 'vitest';
import { parsePartialJson } from './parse-partial-json';

describe('parsePartialJson', () => {
  it('closes open strings, arrays and objects', () => {
    expect(parsePartialJson('{"name":"Ada","langs":["en","f')).toEqual({ name: 'Ada', langs: ['en', 'f'] });
    expect(parsePartialJson('[{"a":[1,2],"b":{"c":"x')).toEqual([{ a: [1, 2], b: { c: 'x' } }]);
  });

  it('leaves out dangling keys and literals that may be unfinished', () => {
    expect(parsePartialJson('{"a":1,"b"')).toEqual({ a: 1 });
    expect(parsePartialJson('{"a":1,"b":')).toEqual({ a: 1 });
    expect(parsePartialJson('{"a":tru')).toEqual({});
    expect(parsePartialJson('{"a":12')).toEqual({});
    expect(parsePartialJson('{"a":12,')).toEqual({ a: 12 });
    expect(parsePartialJson('{"ke')).toEqual({});
  });

  it('keeps escapes and skips a leading fence; nothing before the first brace is undefined', () => {
    expect(parsePartialJson('```json\n{"q":"say \\"hi')).toEqual({ q: 'say "hi' });
    expect(parsePartialJson('{"q":"a\\')).toEqual({ q: 'a' });
    expect(parsePartialJson('Sure, ')).toBeUndefined();
  });

  it('every prefix of a document parses to undefined or a value, and the whole to the document', () => {
    const document = { title: 'Cascade', tags: ['a', 'b, c'], nested: { n: 3.5, ok: true, none: null }, list: [{ x: 1 }, { y: 'z' }] };
    const text = JSON.stringify(document, null, 1);
    for (let end = 0; end <= text.length; end++) expect(() => parsePartialJson(text.slice(0, end))).not.toThrow();
    expect(parsePartialJson(text)).toEqual(document);
  });
});
