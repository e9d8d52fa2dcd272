import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBatchFile } from './batch-file';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string): string => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readBatchFile', () => {
  it('reads prompts, objects and messages, with a default user', async () => {
    const items = await readBatchFile(
      file('ok.jsonl', '"What is 2 + 2?"\n\n{"id":"q2","prompt":"Hi","user":"bo"}\n{"messages":[{"role":"user","content":"Yo"}]}\n'),
      'local',
    );
    expect(items).toEqual([
      { id: 'line-1', input: 'What is 2 + 2?', userId: 'local' },
      { id: 'q2', input: 'Hi', userId: 'bo' },
      { id: 'line-4', input: { messages: [{ role: 'user', content: 'Yo' }] }, userId: 'local' },
    ]);
  });

  it('names the line of a bad item', async () => {
    await expect(readBatchFile(file('bad.jsonl', '"ok"\n{"prompt":"a","messages":[{"role":"user","content":"b"}]}\n'), 'u')).rejects.toThrow(/bad\.jsonl:2/);
    await expect(readBatchFile(file('json.jsonl', '{nope\n'), 'u')).rejects.toThrow(/json\.jsonl:1: not valid JSON/);
    await expect(readBatchFile(file('empty.jsonl', '\n'), 'u')).rejects.toThrow(/no items/);
  });
});
