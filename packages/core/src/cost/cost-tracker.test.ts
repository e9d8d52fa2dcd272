import { describe, expect, it } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { createPricing } from '../pricing/pricing';
import { MockChatModel } from '../test/mock-chat-model';
import { type BudgetAlert, createCostTracker } from './cost-tracker';

const usage = { inputTokens: 1, outputTokens: 1, source: 'provider' as const };

describe('createCostTracker', () => {
  it('records per user and per model with daily/weekly/monthly/total sums that reset on the calendar', () => {
    let now = Date.UTC(2026, 10, 23, 10);
    const tracker = createCostTracker({ userBudgets: { u1: { daily: 1 } } }, { now: () => now });
    tracker.record('u1', 'cheap', 0.25, usage);
    tracker.record('u1', 'strong', 0.5, usage);
    expect(tracker.userSummary('u1')).toMatchObject({ dailyUsd: 0.75, weeklyUsd: 0.75, monthlyUsd: 0.75, totalUsd: 0.75 });
    expect(tracker.userSummary('u1').byModel.strong).toMatchObject({ costUsd: 0.5, calls: 1 });
    now = Date.UTC(2026, 10, 24, 0, 0, 1); // next day, same week and month
    tracker.record('u1', 'cheap', 0.1, usage);
    expect(tracker.userSummary('u1')).toMatchObject({ dailyUsd: 0.1, weeklyUsd: 0.85 });
    now = Date.UTC(2026, 11, 1, 0, 0, 1); // next month
    expect(tracker.userSummary('u1')).toMatchObject({ dailyUsd: 0, monthlyUsd: 0, totalUsd: 0.85 });
    expect(tracker.summary()).toMatchObject({ users: 1, byModel: { cheap: { calls: 2 } } });
  });

  it('alerts once at the threshold and once when exceeded', () => {
    const alerts: BudgetAlert[] = [];
    const tracker = createCostTracker({ userBudgets: { u1: { daily: 1 } } }, { now: () => 0, onAlert: (alert) => alerts.push(alert) });
    tracker.record('u1', 'm', 0.85);
    tracker.record('u1', 'm', 0.01);
    tracker.record('u1', 'm', 0.2);
    expect(alerts.map((a) => a.kind)).toEqual(['threshold', 'exceeded']);
    expect(tracker.exceededPeriods('u1')).toEqual(['daily']);
  });

  it('as middleware: records each call of a cascade and blocks a user over budget', async () => {
    const tracker = createCostTracker({ userBudgets: { u1: { total: 0.0001 } }, enforcement: 'block' });
    const pricing = createPricing({ includeDefaults: false, prices: { cheap: { inputUsdPerMTok: 10, outputUsdPerMTok: 10 }, strong: { inputUsdPerMTok: 100, outputUsdPerMTok: 100 } } });
    const cheap = new MockChatModel({ modelId: 'cheap', responses: [{ text: 'bad', usage: { inputTokens: 10, outputTokens: 10 } }] });
    const strong = new MockChatModel({ modelId: 'strong', responses: [{ text: 'good', usage: { inputTokens: 10, outputTokens: 10 } }] });
    const validator = { name: 'v', validate: () => ({ score: 0, passed: false, signals: [], reason: 'no' }) };
    const agent = createCascadeAgent({ models: [cheap, strong], pricing, validator, middleware: [tracker.middleware] });
    await agent.run('q', { userId: 'u1' });
    const summary = tracker.userSummary('u1');
    expect(summary.byModel.cheap?.costUsd).toBeCloseTo(0.0002);
    expect(summary.byModel.strong?.costUsd).toBeCloseTo(0.002);
    expect(summary.requests).toBe(1);
    await expect(agent.run('q', { userId: 'u1' })).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    await agent.run('q', { userId: 'u2' });
  });

  it('bounds memory by dropping the least recently active users', () => {
    const tracker = createCostTracker({ maxUsers: 2 });
    tracker.record('a', 'm', 1);
    tracker.record('b', 'm', 1);
    tracker.record('a', 'm', 1);
    tracker.record('c', 'm', 1);
    expect(tracker.summary().users).toBe(2);
    expect(tracker.userSummary('b').totalUsd).toBe(0);
    expect(tracker.userSummary('a').totalUsd).toBe(2);
  });

  it('rejects bad config naming the field', () => {
    expect(() => createCostTracker({ userBudgets: { u: { daily: -1 } } })).toThrow(/daily/);
    expect(() => createCostTracker({ timeZone: 'Nowhere/Else' })).toThrow(/IANA/);
  });
});
