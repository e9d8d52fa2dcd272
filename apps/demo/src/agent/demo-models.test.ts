import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FakeOpenAIServer, createFakeOpenAIServer } from '@cascade/core/test';
import { UserProfile } from '@cascade/profiles';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { providerFromEnv } from '../config/provider-config';
import { openDemoDatabase } from '../users/demo-database';
import { createDemoAgent } from './create-demo-agent';
import { createDemoModels } from './demo-models';

let fake: FakeOpenAIServer;
const dir = mkdtempSync(join(tmpdir(), 'cascade-demo-live-'));
beforeAll(async () => {
  fake = await createFakeOpenAIServer({
    chat: {
      byModel: {
        'small-model': { text: 'I am not sure, maybe' },
        'big-model': { text: '17 * 23 = 391. The answer is 391.' },
      },
    },
  });
});
afterAll(async () => {
  await fake.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('live models from the environment', () => {
  it('runs the same agent on an OpenAI-compatible server (here core\'s fake, on loopback)', async () => {
    const provider = providerFromEnv({ OPENAI_BASE_URL: fake.url, CASCADE_MODELS: 'small-model,big-model' }, { traceFiles: [], speedup: false });
    const models = await createDemoModels(provider);
    expect(models.traceSet).toBeUndefined();
    const database = openDemoDatabase(join(dir, 'live.sqlite'));
    try {
      const demo = createDemoAgent(models, { profileStore: database.profiles });
      await demo.profiles.save(UserProfile.fromTier('pro', 'alice'));
      const result = await demo.agent.run('What is 17 * 23?', { userId: 'alice' });
      expect(result.modelId).toBe('big-model');
      expect(result.escalated).toBe(true);
      expect(result.text).toContain('391');
      expect(fake.requests.filter((request) => request.path === '/v1/chat/completions').map((request) => (request.body as { model: string }).model)).toEqual(['small-model', 'big-model']);
    } finally {
      database.close();
    }
  });
});
