import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const srcDir = fileURLToPath(new URL('..', import.meta.url));

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('the o200k tokenizer stays out of module load', () => {
  it('no published core source imports gpt-tokenizer; only load-bpe.ts requires it, on demand', () => {
    const importers = sources(srcDir).filter((path) => /from\s+['"]gpt-tokenizer|import\(\s*['"]gpt-tokenizer|require\(\s*['"]gpt-tokenizer/.test(readFileSync(path, 'utf8')));
    expect(importers).toEqual([]);
    expect(readFileSync(join(srcDir, 'tokens', 'load-bpe.ts'), 'utf8')).toContain("'gpt-tokenizer/encoding/o200k_base'");
  });
});
