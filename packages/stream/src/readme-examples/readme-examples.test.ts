import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's tool-loop, streamObject and AI SDK examples are these files (typechecked with the package),
// with the package's own import path in place of the relative one.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const asPublished = (file: string): string => readFileSync(join(import.meta.dirname, file), 'utf8').replace("from '../index'", "from '@cascade/stream'").trim();

describe('README examples', () => {
  for (const file of ['stream-tool-loop.example.ts', 'stream-object.example.ts', 'ai-sdk.example.ts']) {
    it(`${file} appears verbatim in the README`, () => {
      expect(readme).toContain(asPublished(file));
    });
  }
});
