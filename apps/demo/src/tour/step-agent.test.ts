import { describe, expect, it } from 'vitest';
import { bufferTerminal } from '../cli/terminal';
import { showAgent } from './step-agent';

describe('tour: agent step', () => {
  it('rejects the drafted call with bad arguments, runs both tools, and answers from their results; says the models are scripted', async () => {
    const terminal = bufferTerminal();
    const outcome = await showAgent(terminal);
    expect(outcome.rejectedDraft).toBe(true);
    expect(outcome.steps).toBe(2);
    expect(outcome.answer).toMatch(/^391 requests × \$0\.15 per million input tokens = \$58\.65\.$/);
    expect(terminal.text()).toContain('scripted deterministic local models, not recorded answers');
    expect(terminal.text()).toContain('tool calculator → 391');
  });
});
