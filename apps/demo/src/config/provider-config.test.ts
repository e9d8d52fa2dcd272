import { describe, expect, it } from 'vitest';
import { providerFromEnv } from './provider-config';

const replay = { traceFiles: ['a.traces.jsonl'], speedup: 10 as const };

describe('providerFromEnv', () => {
  it('replays recorded traces when no key and no base URL are set', () => {
    expect(providerFromEnv({}, replay)).toEqual({ kind: 'replay', ...replay });
    expect(providerFromEnv({ OPENAI_API_KEY: '  ' }, replay).kind).toBe('replay');
  });

  it('uses live models with a key, defaulting to gpt-4o-mini then gpt-4o', () => {
    const provider = providerFromEnv({ OPENAI_API_KEY: 'sk-test' }, replay);
    expect(provider).toMatchObject({ kind: 'live', modelIds: ['gpt-4o-mini', 'gpt-4o'], baseURL: undefined });
  });

  it('needs model ids for a custom base URL and reads extra prices', () => {
    expect(() => providerFromEnv({ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }, replay)).toThrow(/CASCADE_MODELS/);
    const provider = providerFromEnv(
      { OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', CASCADE_MODELS: 'llama3.2:3b, llama3.1:70b', CASCADE_PRICES: '{"llama3.2:3b":{"inputUsdPerMTok":0,"outputUsdPerMTok":0}}' },
      replay,
    );
    expect(provider).toMatchObject({ kind: 'live', modelIds: ['llama3.2:3b', 'llama3.1:70b'], prices: { 'llama3.2:3b': { inputUsdPerMTok: 0 } } });
  });

  it('names the bad variable without echoing the key', () => {
    const secret = 'sk-very-secret-value';
    let message = '';
    try {
      providerFromEnv({ OPENAI_API_KEY: secret, OPENAI_BASE_URL: 'not a url' }, replay);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('OPENAI_BASE_URL');
    expect(message).not.toContain(secret);
  });
});
