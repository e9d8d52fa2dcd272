import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOrder } from './tool-guards.example';

// The README's tool-guards example is this file (typechecked with the package), with the package's own
// import path in place of the relative one; it runs on a mock model, so it is also run here.
const readme = readFileSync(join(import.meta.dirname, '../../README.md'), 'utf8');
const asPublished = (file: string): string => readFileSync(join(import.meta.dirname, file), 'utf8').replace("from '../index'", "from '@cascade/guardrails'").trim();

describe('README examples', () => {
  it('tool-guards.example.ts appears verbatim in the README and does what its comment says', async () => {
    expect(readme).toContain(asPublished('tool-guards.example.ts'));
    expect(await findOrder()).toMatch(/^The call was blocked by a guardrail \(guardrails: The arguments of search contain CREDIT_CARD/);
  });
});
