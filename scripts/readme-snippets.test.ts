import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkSnippets, findSnippets, listReadmes, writeSnippets } from './readme-snippets';

// Issue 14 point 10: every TypeScript block of a README is a file that `pnpm run typecheck` compiles.
const root = join(import.meta.dirname, '..');

describe('README snippets of this repository', () => {
  it('every TypeScript block is bound to an example file and equal to it, byte for byte', () => {
    expect(checkSnippets(root)).toEqual([]);
  });

  it('every example file is inside the include of its package tsconfig, so the typecheck compiles it', () => {
    const snippets = listReadmes(root).flatMap((readme) => findSnippets(root, readme));
    expect(snippets.length).toBeGreaterThan(20);
    for (const snippet of snippets) {
      const packageDir = dirname(snippet.readme) === '.' ? 'apps/demo' : dirname(snippet.readme);
      const include = (JSON.parse(readFileSync(join(root, packageDir, 'tsconfig.json'), 'utf8')) as { include: string[] }).include;
      const topFolder = relative(packageDir, snippet.file!).split('/')[0]!;
      expect({ file: snippet.file, compiled: include.includes(topFolder) }).toEqual({ file: snippet.file, compiled: true });
    }
  });
  it('every published package ships its examples folder', () => {
    for (const name of ['core', 'profiles', 'limits', 'guardrails', 'batch', 'stream']) {
      const files = (JSON.parse(readFileSync(join(root, 'packages', name, 'package.json'), 'utf8')) as { files: string[] }).files;
      expect({ name, ships: files.includes('examples') }).toEqual({ name, ships: true });
    }
  });
});

describe('the snippet check', () => {
  const work = mkdtempSync(join(tmpdir(), 'cascade-snippets-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const fixture = (name: string, readme: string): string => {
    const dir = join(work, name);
    mkdirSync(join(dir, 'packages', 'x'), { recursive: true });
    writeFileSync(join(dir, 'packages', 'x', 'README.md'), readme);
    return dir;
  };

  it('reports a TypeScript block without a marker, and ignores other languages', () => {
    const dir = fixture('unmarked', '# x\n\n```sh\npnpm add x\n```\n\n```ts\nconst a = 1;\n```\n');
    expect(checkSnippets(dir)).toEqual(['packages/x/README.md:7: TypeScript block without an <!-- example: examples/readme/<name>.ts --> marker on the line above']);
  });

  it('writes a marked block into its file, then reports drift when the README changes', () => {
    const dir = fixture('drift', '<!-- example: examples/readme/a.ts -->\n```ts\nconst a = 1;\n```\n');
    expect(checkSnippets(dir)).toEqual(['packages/x/README.md:2: packages/x/examples/readme/a.ts does not exist (run `pnpm readme:snippets`)']);
    expect(writeSnippets(dir)).toEqual(['packages/x/examples/readme/a.ts']);
    expect(readFileSync(join(dir, 'packages/x/examples/readme/a.ts'), 'utf8')).toBe('const a = 1;\n');
    expect(checkSnippets(dir)).toEqual([]);
    writeFileSync(join(dir, 'packages/x/README.md'), '<!-- example: examples/readme/a.ts -->\n```ts\nconst a = 2;\n```\n');
    expect(checkSnippets(dir)).toEqual(['packages/x/README.md:2: block differs from packages/x/examples/readme/a.ts (edit the README, then run `pnpm readme:snippets`)']);
  });

  it('reports an example file that no block is bound to', () => {
    const dir = fixture('orphan', '# x\n');
    mkdirSync(join(dir, 'packages/x/examples/readme'), { recursive: true });
    writeFileSync(join(dir, 'packages/x/examples/readme/old.ts'), 'export {};\n');
    expect(checkSnippets(dir)).toEqual(['packages/x/examples/readme/old.ts: no block of packages/x/README.md is bound to it (delete it or add a marker)']);
  });
});
