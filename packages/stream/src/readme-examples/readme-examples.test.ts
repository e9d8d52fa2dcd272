import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

// The README's AI SDK example is this file (typechecked with the package), with the package's own
// import path in place of the relative one.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const asPublished = (file: string): string => readFileSync(join(import.meta.dirname, file), 'utf8').replace("from '../index'", "from '@cascade/stream'").trim();

describe('README examples', () => {
  it('ai-sdk.example.ts appears verbatim in the README', () => {
    expect(readme).toContain(asPublished('ai-sdk.example.ts'));
  });
});
