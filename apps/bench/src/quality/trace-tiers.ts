import { type ChatRequest, type Pricing, countMessageTokens, countTokens } from '@cascade/core';
import { type Trace, type TraceModels, modelsByCost } from '@cascade/core/replay';

/**
 * The tiers a run replays, cheapest first: `--models a,b,c` (any order; each must be in the file's
 * models.json), else the file's cheapest and strongest model.
 *
 * @throws Error naming the unknown model and the known ones.
 */
export function pickTiers(models: TraceModels, chosen: string | undefined): string[] {
  const byCost = modelsByCost(models);
  if (chosen === undefined) return [byCost[0]!, byCost[byCost.length - 1]!];
  const wanted = chosen.split(',').map((id) => id.trim()).filter((id) => id.length > 0);
  for (const id of wanted) {
    if (!byCost.includes(id)) throw new Error(`--models: "${id}" is not in the file's models.json (known: ${byCost.join(', ')}).`);
  }
  const tiers = byCost.filter((id) => wanted.includes(id));
  if (tiers.length < 2) throw new Error('--models needs at least two distinct models of the file, e.g. --models mistral-7b-chat,gpt-4-1106-preview.');
  return tiers;
}

/** The label of `modelId`'s recorded answer: 0/1 (`correct`) or 0..1 (`score`); undefined when the row has none. */
export function labelOf(trace: Trace, modelId: string): number | undefined {
  const response = trace.responses[modelId];
  if (!response) return undefined;
  if (typeof response.correct === 'boolean') return response.correct ? 1 : 0;
  if (typeof response.score === 'number') return response.score;
  return undefined;
}

/** True when the file's labels are judge scores (then the agent gets a paid judge). */
export function isScoreLabelled(traces: readonly Trace[]): boolean {
  return traces.some((trace) => Object.values(trace.responses).some((response) => typeof response.score === 'number'));
}

/** The request a trace's prompt becomes. */
export function requestOf(trace: Trace): ChatRequest {
  return { messages: [{ role: 'user', content: trace.prompt }] };
}

/** What one call of `modelId` on this trace costs, with the token counts the replay model reports (trace, else tokenizer). */
export function callCost(trace: Trace, modelId: string, pricing: Pricing): number {
  const response = trace.responses[modelId];
  if (!response) return 0;
  const inputTokens = response.inputTokens ?? countMessageTokens(requestOf(trace).messages);
  return pricing.costOf(modelId, { inputTokens, outputTokens: response.outputTokens ?? countTokens(response.text), source: 'provider' });
}
