import { describe, expect, it } from 'vitest';
import { findOrder } from '../../examples/readme/tool-guards';

// The README's tool-guards example (examples/readme/tool-guards.ts, kept equal to the README by
// scripts/readme-snippets.test.ts) runs on a mock model, so it is also run here.
describe('README examples', () => {
  it('the tool-guards example does what its comment says', async () => {
    expect(await findOrder()).toMatch(/^The call was blocked by a guardrail \(guardrails: The arguments of search contain CREDIT_CARD/);
  });
});
