import { type QualityValidator, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel, collect } from '@cascade/core/test';
import { createGuardrailsMiddleware } from '@cascade/guardrails';
import { UserProfile, createComplianceMiddleware, createMemoryProfileStore, createProfileManager, createProfileMiddleware } from '@cascade/profiles';
import { streamCascade } from '@cascade/stream';
import { describe, expect, it } from 'vitest';

const pricing = createPricing({ includeDefaults: false, prices: { cloud: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, local: { inputUsdPerMTok: 2, outputUsdPerMTok: 2 } } });
const validator: QualityValidator = { name: 'pass', validate: () => ({ score: 1, passed: true, signals: [], reason: 'ok' }) };
const EMAIL = 'ada.lovelace@example.com';

function setup() {
  const cloud = new MockChatModel({ modelId: 'cloud' });
  const local = new MockChatModel({ modelId: 'local', responses: [{ text: `Sure, I will write to ${EMAIL} today.` }] });
  // The profile switches PII detection off; HIPAA must switch it back on.
  const patient = UserProfile.fromTier('enterprise', 'patient').with({ governance: { complianceMode: 'hipaa', guardrails: { pii: { enabled: false } } } });
  const manager = createProfileManager({}, { store: createMemoryProfileStore([patient, UserProfile.fromTier('enterprise', 'plain')]) });
  const agent = createCascadeAgent({
    models: [cloud, local], validator, pricing, learning: false,
    middleware: [createProfileMiddleware(manager), createComplianceMiddleware({ models: { local: { modes: ['hipaa'] } } }), createGuardrailsMiddleware({})],
  });
  return { agent, cloud, local };
}

describe('HIPAA with the real guardrails middleware', () => {
  it('run: the non-compliant model is never called; PII is redacted before the model and in the answer', async () => {
    const { agent, cloud, local } = setup();
    const result = await agent.run(`Email my results to ${EMAIL}`, { userId: 'patient' });
    expect(cloud.calls).toHaveLength(0);
    expect(JSON.stringify(local.calls[0]!.request.messages)).not.toContain(EMAIL);
    expect(result.text).not.toContain(EMAIL);
    expect(result.guardrails.map((finding) => finding.type)).toContain('EMAIL_ADDRESS');
  });

  it('stream: the streamed answer is redacted too', async () => {
    const { agent, cloud } = setup();
    const events = await collect(streamCascade(agent, `Email my results to ${EMAIL}`, { userId: 'patient' }));
    const text = events.map((event) => (event.type === 'text-delta' ? event.text : '')).join('');
    expect(text.length).toBeGreaterThan(0);
    expect(text).not.toContain(EMAIL);
    expect(cloud.calls).toHaveLength(0);
  });

  it('a user without a regime is served by the cheap cloud model', async () => {
    const { agent, cloud } = setup();
    await agent.run('hello', { userId: 'plain' });
    expect(cloud.calls).toHaveLength(1);
  });
});
