import { CascadeError } from '../errors/cascade-error';
import type { ChatModel } from '../model/chat-model';
import type { ChatRequest } from '../model/chat-request';
import type { RequestEstimate } from '../pipeline/middleware';
import { type AgentPolicy, isModelAllowed, modelAccessAllows } from '../policy/agent-policy';
import type { Pricing } from '../pricing/pricing';
import { estimateMessageTokens } from '../tokens/estimate-tokens';

/** A tier the engine may call for this request. */
export interface PlannedTier {
  model: ChatModel;
  /** Index in the agent's configured models. */
  tier: number;
  /** Pre-flight cost estimate of calling this tier. */
  estimateUsd: number;
}

/** The tiers a request may use, cheapest first (preferred models first among them). */
export interface TierPlan {
  tiers: readonly PlannedTier[];
  skippedModels: readonly string[];
  estimate: RequestEstimate;
}

/**
 * Chooses the tiers a request may use. A model the policy does not allow is never in the plan.
 * With `maxCostPerRequestUsd`, tiers are kept only while the worst case (every kept tier called)
 * stays under the cap; a request whose cheapest allowed tier alone is over it is refused.
 * `draftSamples` > 1 (sampled agreement) counts each drafter that many times.
 */
export function planTiers(models: readonly ChatModel[], policy: AgentPolicy, pricing: Pricing, request: ChatRequest, draftSamples = 1): TierPlan {
  const skipped: string[] = [];
  let allowed: PlannedTier[] = [];
  const inputTokens = estimateMessageTokens(request.messages);
  let maxOutputTokens = 0;
  const compliance = policy.compliance;
  const nonCompliant: string[] = [];
  for (let index = 0; index < models.length; index++) {
    const model = models[index]!;
    if (compliance && !compliance.models.includes(model.modelId)) {
      nonCompliant.push(model.modelId);
      skipped.push(model.modelId);
      continue;
    }
    if (!isModelAllowed(policy, model.modelId) || !modelAccessAllows(policy.modelAccess, index, models.length)) {
      skipped.push(model.modelId);
      continue;
    }
    const estimate = pricing.estimate(model.modelId, request, inputTokens);
    maxOutputTokens = estimate.maxOutputTokens;
    allowed.push({ model, tier: index, estimateUsd: estimate.costUsd });
  }
  if (allowed.length === 0 && compliance && nonCompliant.length > 0) {
    const where = `${compliance.mode}${compliance.region ? ` in region ${compliance.region}` : ''}`;
    throw new CascadeError(
      'MODEL_NOT_ALLOWED',
      `Compliance mode ${where} allows none of the configured models it may use (${nonCompliant.join(', ')} are not marked compliant; ` +
        `compliant: ${compliance.models.join(', ') || 'none'}). No model was called. Mark a model compliant for ${where} in the compliance config, or configure a compliant model.`,
      { details: { complianceMode: compliance.mode, dataRegion: compliance.region, nonCompliantModels: nonCompliant, compliantModels: compliance.models } },
    );
  }
  if (allowed.length === 0) {
    throw new CascadeError(
      'MODEL_NOT_ALLOWED',
      `The policy allows none of the configured models (${models.map((m) => m.modelId).join(', ')}). ` +
        `Allowed: ${policy.allowedModels?.join(', ') ?? 'all'}; blocked: ${policy.blockedModels?.join(', ') ?? 'none'}` +
        `${policy.modelAccess && policy.modelAccess !== 'all' ? `; by place in the cascade: ${policy.modelAccess}` : ''}. Configure a model the tier may use.`,
      {
        details: {
          configured: models.map((m) => m.modelId), allowedModels: policy.allowedModels, blockedModels: policy.blockedModels,
          ...(policy.modelAccess ? { modelAccess: policy.modelAccess } : {}),
        },
      },
    );
  }
  const preferred = policy.preferredModels;
  if (preferred && preferred.length > 0) {
    const rank = (tier: PlannedTier): number => {
      const position = preferred.indexOf(tier.model.modelId);
      return position < 0 ? Number.MAX_SAFE_INTEGER : position;
    };
    // Stable: preferred tiers first in the preferred order, the rest keep cheapest-first order.
    allowed = allowed.map((tier, order) => ({ tier, order })).sort((a, b) => rank(a.tier) - rank(b.tier) || a.order - b.order).map((entry) => entry.tier);
  }
  const cap = policy.maxCostPerRequestUsd;
  if (cap !== undefined) {
    const first = allowed[0]!;
    if (first.estimateUsd > cap) {
      throw new CascadeError(
        'BUDGET_EXCEEDED',
        `The request's estimated cost $${first.estimateUsd.toFixed(6)} on ${first.model.modelId} exceeds the per-request cap $${cap}. Shorten the prompt, lower maxOutputTokens, or raise maxCostPerRequestUsd.`,
        { details: { estimateUsd: first.estimateUsd, maxCostPerRequestUsd: cap } },
      );
    }
    // Every kept tier but the last is a drafter, called `draftSamples` times (sampled agreement).
    let drafters = 0;
    const kept: PlannedTier[] = [];
    for (const tier of allowed) {
      const last = kept[kept.length - 1];
      const total = drafters + (last ? last.estimateUsd * draftSamples : 0);
      if (total + tier.estimateUsd > cap) {
        skipped.push(tier.model.modelId);
        continue;
      }
      drafters = total;
      kept.push(tier);
    }
    allowed = kept;
  }
  let costUsd = 0;
  allowed.forEach((tier, index) => {
    costUsd += index < allowed.length - 1 ? tier.estimateUsd * draftSamples : tier.estimateUsd;
  });
  return { tiers: allowed, skippedModels: skipped, estimate: { inputTokens, maxOutputTokens, costUsd } };
}
