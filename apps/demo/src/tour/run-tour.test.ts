import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bufferTerminal } from '../cli/terminal';
import { SAMPLE_TRACE_FILES } from '../data/sample-files';
import { type TourOutcome, runTour } from './run-tour';
import { PII_MESSAGE } from './step-guardrails';

const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-tour-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the offline tour', () => {
  let outcome: TourOutcome;
  let text: string;

  it('runs to its report on the shipped sample, without pacing', async () => {
    const terminal = bufferTerminal();
    outcome = await runTour({ terminal, provider: { kind: 'replay', traceFiles: SAMPLE_TRACE_FILES, speedup: false }, databaseFile: join(dir, 'tour.sqlite') });
    text = terminal.text();
    for (const heading of ['1. Users and tiers', '2. One answer, streamed live', '3. A batch of', '4. FREE tier: rate limit and budget', '5. Guardrails', '6. Report']) {
      expect(text).toContain(heading);
    }
    expect(text).not.toContain(String.fromCharCode(27)); // no colour off a TTY
  });

  it('streams an answer whose draft fails and escalates visibly', () => {
    expect(outcome.stream.escalated).toBe(true);
    expect(outcome.stream.modelId).toBe('gpt-4-1106-preview');
    expect(outcome.stream.deltas).toBeGreaterThan(5);
    expect(text).toContain('✗ draft rejected');
    expect(text).toContain('↑ escalating mixtral-8x7b-instruct-v0.1 → gpt-4-1106-preview');
  });

  it('runs the batch through the pipeline', () => {
    expect(outcome.batch.total).toBeGreaterThan(20);
    expect(outcome.batch.ok).toBe(outcome.batch.total);
    expect(outcome.batch.escalated).toBeGreaterThan(0);
    expect(outcome.batch.escalated).toBeLessThan(outcome.batch.total);
  });

  it('shows a FREE user hitting the rate limit and another the budget, with retry-after', () => {
    expect(outcome.limits.rateLimitedAfter).toBe(10);
    expect(outcome.limits.rateRetryAfterMs).toBeGreaterThan(0);
    expect(outcome.limits.budgetExceededAfter).toBeGreaterThan(0);
    expect(outcome.limits.budgetExceededAfter).toBeLessThan(10);
    expect(outcome.limits.budgetRetryAfterMs).toBeGreaterThan(0);
    expect(text).toContain('429 RATE_LIMITED  retry after');
    expect(text).toContain('429 BUDGET_EXCEEDED  retry after');
  });

  it('redacts PII before the model sees it and blocks the injection', () => {
    expect(outcome.guardrails.modelSaw).toBeDefined();
    expect(outcome.guardrails.modelSaw).not.toContain('jane.roe@example.com');
    expect(outcome.guardrails.modelSaw).not.toContain('4111 1111 1111 1111');
    expect(outcome.guardrails.modelSaw).not.toBe(PII_MESSAGE);
    expect(outcome.guardrails.redactedTypes).toEqual(expect.arrayContaining(['EMAIL_ADDRESS', 'CREDIT_CARD']));
    expect(outcome.guardrails.injectionBlocked).toBe(true);
  });

  it('closes with cost, quality, accept rate, per-tier spend and latency', () => {
    const report = outcome.report;
    expect(report.answered).toBeGreaterThan(40);
    expect(report.denied).toBe(2);
    expect(report.blocked).toBe(1);
    expect(report.costUsd).toBeGreaterThan(0);
    expect(report.costUsd).toBeLessThan(report.strongCostUsd);
    // Cold start: the learner drafts and escalates until it has labels, so the first run saves less than later ones.
    expect(report.savings).toBeGreaterThan(0);
    expect(report.quality).toBeGreaterThan(0.5);
    expect(report.strongQuality).toBeGreaterThan(0.5);
    expect(report.cheapestShare).toBeGreaterThan(0);
    expect(Object.keys(report.perTier).sort()).toEqual(['business', 'free', 'pro', 'starter']);
    expect(report.perTier.free!.costUsd).toBeLessThan(report.perTier.pro!.costUsd);
    expect(report.latencyP95Ms).toBeGreaterThanOrEqual(report.latencyP50Ms);
    expect(text).toMatch(/cost\s+\$[\d.]+ vs \$[\d.]+ always gpt-4-1106-preview: [\d.]+% saved/);
    expect(text).toMatch(/quality\s+0\.\d+ vs 0\.\d+ for gpt-4-1106-preview alone/);
    expect(text).toMatch(/latency\s+p50 \d+ ms, p95 \d+ ms/);
  });

  it('reports the learner’s live estimate beside the share measured from the trace labels, audits in the cost', () => {
    const learning = outcome.report.learning!;
    expect(learning.labelsAtStart).toBe(0);
    expect(learning.labelsAtEnd).toBeGreaterThan(0);
    expect(learning.drafters.map((drafter) => drafter.modelId)).toEqual(['mixtral-8x7b-instruct-v0.1']);
    const [drafter] = learning.drafters;
    expect(drafter!.interval[0]).toBeLessThanOrEqual(drafter!.estimatedShare);
    expect(drafter!.interval[1]).toBeGreaterThanOrEqual(drafter!.estimatedShare);
    expect(learning.measuredShare['mixtral-8x7b-instruct-v0.1']).toBeGreaterThan(0.5);
    expect(learning.auditCostUsd).toBeGreaterThanOrEqual(0);
    expect(text).toMatch(/learned\s+mixtral-8x7b-instruct-v0\.1 keeps [\d.]+% \([\d.]+–[\d.]+%\) of gpt-4-1106-preview's quality by its own estimate, from \d+ labels; measured [\d.]+% from the trace labels/);
    expect(text).toMatch(/audits\s+\$[\d.]+ on background audits and judge calls \(in the cost above\); learned state in .*tour\.sqlite: 0 labels at start, \d+ now/);
  });

  it('keeps the learned state in the tour’s SQLite file: the next run starts from it', async () => {
    const terminal = bufferTerminal();
    const again = await runTour({ terminal, provider: { kind: 'replay', traceFiles: SAMPLE_TRACE_FILES, speedup: false }, databaseFile: join(dir, 'tour.sqlite') });
    expect(again.report.learning!.labelsAtStart).toBe(outcome.report.learning!.labelsAtEnd);
    expect(again.report.learning!.labelsAtEnd).toBeGreaterThan(outcome.report.learning!.labelsAtEnd);
    expect(terminal.text()).toContain(`${outcome.report.learning!.labelsAtEnd} labels at start`);
  });
});
