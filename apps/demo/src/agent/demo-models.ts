import { type ChatModel, type Pricing, createPricing } from '@cascade/core';
import { createOpenAIChatModel } from '@cascade/core/openai';
import { createReplayModels } from '@cascade/core/replay';
import type { ProviderConfig } from '../config/provider-config';
import { type TraceSet, loadTraceSet } from '../data/trace-set';

/** The tiers of the demo agent, their prices, and (in replay mode) the traces behind them. */
export interface DemoModels {
  readonly models: readonly ChatModel[];
  readonly pricing: Pricing;
  /** Present in replay mode: labels for the report, and the prompts the replay can answer. */
  readonly traceSet: TraceSet | undefined;
  /** How the models are reached, for the banner (never carries a key). */
  readonly description: string;
}

/**
 * Builds the cascade's models: replayed recorded answers (offline) or live OpenAI-compatible models.
 * Replay pacing divides the recorded timing by `speedup` (`false`: instant).
 */
export async function createDemoModels(provider: ProviderConfig): Promise<DemoModels> {
  if (provider.kind === 'replay') {
    const traceSet = await loadTraceSet(provider.traceFiles);
    const pacing = provider.speedup === false ? false : { speedup: provider.speedup };
    const models = createReplayModels(traceSet.traces, traceSet.modelIds, { pacing, source: 'the demo traces' });
    return {
      models,
      pricing: createPricing({ prices: traceSet.prices }),
      traceSet,
      description: `replay of ${traceSet.traces.length} recorded queries (${traceSet.modelIds.join(' → ')})${provider.speedup === false ? ', no pacing' : `, ${provider.speedup}x speed`}`,
    };
  }
  const models = provider.modelIds.map((modelId) =>
    createOpenAIChatModel({
      modelId,
      ...(provider.baseURL ? { baseURL: provider.baseURL } : {}),
      ...(provider.apiKey ? { apiKey: provider.apiKey } : {}),
    }),
  );
  // Local servers (Ollama, vLLM) serve models missing from the price table: price them at zero unless given.
  const pricing = createPricing({ prices: provider.prices, unknownModel: provider.baseURL ? 'zero' : 'error' });
  return { models, pricing, traceSet: undefined, description: `live models ${provider.modelIds.join(' → ')} at ${provider.baseURL ?? 'api.openai.com'}` };
}
