import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's tool-loop, structured-output and live-signals examples are these files (typechecked with the package),
// with the package's own import paths in place of the relative ones.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const asPublished = (file: string): string =>
  readFileSync(join(import.meta.dirname, file), 'utf8').replace("from '../index'", "from '@cascade/core'").replace("from '../openai/index'", "from '@cascade/core/openai'").trim();

describe('README examples', () => {
  for (const file of ['tool-loop.example.ts', 'structured-output.example.ts', 'live-signals.example.ts']) {
    it(`${file} appears verbatim in the README`, () => {
      expect(readme).toContain(asPublished(file));
    });
  }
});
