import { type CascadeMiddleware, type QualityValidator, createCascadeAgent, createPricing } from '@cascade/core';
import { MockChatModel } from '@cascade/core/test';
import { describe, expect, it } from 'vitest';
import { createAuditTrail } from '../audit/audit-trail';
import { createMemoryAuditStore } from '../audit/memory-audit-store';
import { createProfileManager } from '../manager/profile-manager';
import { createProfileMiddleware } from '../middleware/profile-middleware';
import { UserProfile } from '../profile/user-profile';
import { createMemoryProfileStore } from '../store/memory-store';
import { createComplianceMiddleware } from './compliance-middleware';

const DAY = 86_400_000;
const pricing = createPricing({ includeDefaults: false, prices: { cloud: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, local: { inputUsdPerMTok: 1, outputUsdPerMTok: 1 }, 'eu-strong': { inputUsdPerMTok: 30, outputUsdPerMTok: 30 } } });
const validator: QualityValidator = { name: 'pass', validate: () => ({ score: 1, passed: true, signals: [], reason: 'ok' }) };

/** A PII guard that does what policy.guardrails.pii says (as the guardrails package does; profiles depends on core only). */
function policyPiiGuard(seen: unknown[]): CascadeMiddleware {
  const redact = (text: string) => text.replace(/\d{3}-\d{2}-\d{4}/g, '[SSN]');
  return {
    name: 'guardrails',
    guardInput: (context, request) => {
      seen.push(context.policy.guardrails);
      const pii = context.policy.guardrails?.pii;
      if (!pii?.enabled || pii.action === 'warn' || pii.action === 'allow') return { action: 'allow' };
      return { action: 'modify', value: { ...request, messages: request.messages.map((message) => ({ ...message, content: redact(String(message.content)) })) }, findings: [{ guard: 'pii', type: 'US_SSN', action: 'redact' }] };
    },
    guardOutput: (context, text) => (context.policy.guardrails?.pii?.enabled ? { action: 'modify', value: redact(text), findings: [] } : { action: 'allow' }),
  };
}

function setup(profiles: UserProfile[], guard = true) {
  const cloud = new MockChatModel({ modelId: 'cloud', responses: [{ text: 'cloud answer' }] });
  const local = new MockChatModel({ modelId: 'local', responses: [{ text: 'local answer about 123-45-6789' }] });
  const euStrong = new MockChatModel({ modelId: 'eu-strong', responses: [{ text: 'eu answer' }] });
  const manager = createProfileManager({}, { store: createMemoryProfileStore(profiles) });
  const compliance = createComplianceMiddleware({ models: { local: { modes: ['hipaa', 'gdpr'] }, 'eu-strong': { modes: ['gdpr'], regions: ['eu'] } } });
  const seen: unknown[] = [];
  const trail = createAuditTrail({}, { store: createMemoryAuditStore(), now: () => 0, redact: (text) => text });
  const agent = createCascadeAgent({
    models: [cloud, local, euStrong], validator, pricing, learning: false, complexityRouting: false,
    middleware: [createProfileMiddleware(manager), compliance, ...(guard ? [policyPiiGuard(seen)] : []), trail.middleware],
  });
  return { agent, cloud, local, euStrong, seen, trail };
}

const user = (id: string, complianceMode: string, dataRegion?: string): UserProfile =>
  UserProfile.fromTier('enterprise', id).with({
    governance: { complianceMode, auditLogLevel: 'comprehensive', dataRetentionDays: 365, guardrails: { pii: { enabled: false } } },
    ...(dataRegion ? { organization: { id: `org_${id}`, dataRegion } } : {}),
  } as never);

describe('createComplianceMiddleware', () => {
  it('hipaa: only compliant models are called; PII redaction forced although the profile turned it off', async () => {
    const { agent, cloud, local, euStrong, seen } = setup([user('h1', 'hipaa')]);
    const result = await agent.run('My SSN is 123-45-6789', { userId: 'h1' });
    expect(cloud.calls).toHaveLength(0);
    expect(euStrong.calls).toHaveLength(0);
    expect(result.modelId).toBe('local');
    expect(result.routing.skippedModels).toEqual(expect.arrayContaining(['cloud', 'eu-strong']));
    expect(JSON.stringify(local.calls[0]!.request.messages)).not.toContain('123-45-6789');
    expect(result.text).toBe('local answer about [SSN]');
    expect(seen[0]).toMatchObject({ pii: { enabled: true, action: 'redact' }, applyTo: { input: true, output: true, stream: true } });
  });

  it('a caller policy cannot loosen the regime', async () => {
    const { agent, cloud, local } = setup([user('h2', 'hipaa')]);
    await agent.run('SSN 123-45-6789', { userId: 'h2', policy: { guardrails: { pii: { enabled: false } }, compliance: { mode: 'none', models: ['cloud', 'local'] } } });
    expect(cloud.calls).toHaveLength(0);
    expect(JSON.stringify(local.calls[0]!.request.messages)).not.toContain('123-45-6789');
  });

  it('gdpr with a region: models marked for another region are never called; with none compliant, a typed error and no call', async () => {
    const eu = setup([user('g_eu', 'gdpr', 'eu')]);
    const euResult = await eu.agent.run('hello', { userId: 'g_eu' });
    expect(eu.cloud.calls).toHaveLength(0);
    expect(euResult.attempts.map((attempt) => attempt.modelId)).toEqual(['local']);

    const us = setup([user('g_us', 'gdpr', 'us')]);
    const noLocal = createCascadeAgent({
      models: [new MockChatModel({ modelId: 'cloud' }), new MockChatModel({ modelId: 'eu-strong' })], validator, pricing, learning: false,
      middleware: [createProfileMiddleware(createProfileManager({}, { store: createMemoryProfileStore([user('g_us', 'gdpr', 'us')]) })), createComplianceMiddleware({ models: { 'eu-strong': { modes: ['gdpr'], regions: ['eu'] } } }), policyPiiGuard([])],
    });
    const error = await noLocal.run('hello', { userId: 'g_us' }).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'MODEL_NOT_ALLOWED', details: { complianceMode: 'gdpr', dataRegion: 'us' } });
    expect((error as Error).message).toMatch(/gdpr in region us/);
    expect(us.cloud.calls).toHaveLength(0);
  });

  it('without input and output guards a compliance request is refused before any call', async () => {
    const { agent, cloud, local } = setup([user('h3', 'hipaa')], false);
    await expect(agent.run('hello', { userId: 'h3' })).rejects.toMatchObject({ code: 'INVALID_CONFIG', message: expect.stringMatching(/guardrails middleware/) });
    expect(cloud.calls.length + local.calls.length).toBe(0);
  });

  it('caps audit retention and keeps comprehensive records free of raw text', async () => {
    const { agent, trail } = setup([user('h4', 'hipaa')]);
    await agent.run('SSN 123-45-6789', { userId: 'h4' });
    const [record] = await trail.exportUser('h4');
    expect(record!.expiresAt).toBe(30 * DAY);
    expect(record!.complianceMode).toBe('hipaa');
    expect(JSON.stringify(record)).not.toContain('123-45-6789');
    expect(record!.prompt?.[0]?.content).toContain('[SSN]');
  });

  it('modes that do not act (none, soc2) change nothing', async () => {
    const { agent, cloud } = setup([user('n1', 'soc2')]);
    await agent.run('hello', { userId: 'n1' });
    expect(cloud.calls).toHaveLength(1);
  });
});
