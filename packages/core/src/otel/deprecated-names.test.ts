import { afterEach, describe, expect, it } from 'vitest';
import { createCascadeAgent } from '../engine/create-cascade-agent';
import { tierPricing as pricing } from '../engine/__fixtures__/tier-pricing';
import { parseConfig } from '../errors/config-error';
import { MockChatModel } from '../test/mock-chat-model';
import { inMemoryOtel } from './__fixtures__/in-memory-otel';
import { createTelemetryMiddleware, telemetryConfigSchema } from './telemetry-middleware';

let otel = inMemoryOtel();
afterEach(async () => {
  await otel.shutdown();
  otel = inMemoryOtel();
});

// Issue 14.11: recordPrincipal 'tier' is now 'plan' (the subscription), the old value works for one minor version.
describe("deprecated recordPrincipal: 'tier'", () => {
  it("parses to 'plan', the default", () => {
    expect(parseConfig(telemetryConfigSchema, { recordPrincipal: 'tier' }, 'telemetry').recordPrincipal).toBe('plan');
    expect(parseConfig(telemetryConfigSchema, {}, 'telemetry').recordPrincipal).toBe('plan');
  });

  it('records the plan and no ids, from a principal that sets only the deprecated tier', async () => {
    const agent = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'strong', responses: [{ text: 'ok', usage: { inputTokens: 1, outputTokens: 1 } }] })],
      pricing, learning: false, middleware: [createTelemetryMiddleware({ recordPrincipal: 'tier' }, otel)],
    });
    await agent.run('q', { principal: { userId: 'u1', tier: 'pro' } });
    const root = otel.span('invoke_agent cascade');
    expect(root.attributes['cascade.user.tier']).toBe('pro');
    expect(root.attributes['cascade.user.id']).toBeUndefined();
  });
});
