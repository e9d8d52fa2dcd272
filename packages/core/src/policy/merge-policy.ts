import { type AgentPolicy, type LimitsPolicy, narrowerModelAccess } from './agent-policy';
import { mergeCompliance } from './compliance';

/**
 * Layers policies: later layers override scalar fields, but model restrictions only ever narrow —
 * allowed lists intersect, blocked lists unite, the narrower `modelAccess` wins — so no layer can re-open a model another layer closed.
 * A compliance regime, once set, stays (its models narrow, its retention shortens).
 * Tool restrictions (`allowedTools`, `blockedTools`) narrow the same way.
 */
export function mergePolicies(...layers: readonly (AgentPolicy | undefined)[]): AgentPolicy {
  let merged: AgentPolicy = {};
  for (const layer of layers) {
    if (!layer) continue;
    const allowedModels =
      merged.allowedModels && layer.allowedModels
        ? merged.allowedModels.filter((id) => layer.allowedModels!.includes(id))
        : (layer.allowedModels ?? merged.allowedModels);
    const blockedModels =
      merged.blockedModels && layer.blockedModels
        ? [...new Set([...merged.blockedModels, ...layer.blockedModels])]
        : (layer.blockedModels ?? merged.blockedModels);
    const modelAccess = narrowerModelAccess(merged.modelAccess, layer.modelAccess);
    const allowedTools = merged.allowedTools && layer.allowedTools ? merged.allowedTools.filter((name) => layer.allowedTools!.includes(name)) : (layer.allowedTools ?? merged.allowedTools);
    const blockedTools = merged.blockedTools && layer.blockedTools ? [...new Set([...merged.blockedTools, ...layer.blockedTools])] : (layer.blockedTools ?? merged.blockedTools);
    merged = {
      ...merged,
      ...layer,
      ...(allowedTools ? { allowedTools } : {}),
      ...(blockedTools ? { blockedTools } : {}),
      ...(allowedModels ? { allowedModels } : {}),
      ...(blockedModels ? { blockedModels } : {}),
      ...(modelAccess ? { modelAccess } : {}),
      ...(merged.features || layer.features ? { features: { ...merged.features, ...layer.features } } : {}),
      ...(merged.limits || layer.limits ? { limits: mergeLimits(merged.limits, layer.limits) } : {}),
      ...(merged.retry || layer.retry ? { retry: { ...merged.retry, ...layer.retry } } : {}),
      ...(merged.guardrails || layer.guardrails ? { guardrails: mergeNested(merged.guardrails, layer.guardrails) } : {}),
      ...(merged.compliance || layer.compliance ? { compliance: mergeCompliance(merged.compliance, layer.compliance)! } : {}),
    };
  }
  return merged;
}

type Scope = NonNullable<LimitsPolicy['user']>;

/** Limits merge per scope (user, organization, workspace) and per kind (rate, budget), field by field. */
function mergeLimits(base: LimitsPolicy | undefined, layer: LimitsPolicy | undefined): LimitsPolicy {
  const merged: LimitsPolicy = { ...base, ...layer };
  for (const scope of ['user', 'organization', 'workspace'] as const) {
    const left: Scope | undefined = base?.[scope];
    const right: Scope | undefined = layer?.[scope];
    if (left && right) merged[scope] = mergeNested(left, right);
  }
  return merged;
}

/** Merges two objects one level deep: nested objects merge field by field, other values override. */
function mergeNested<T extends object>(base: T | undefined, layer: T | undefined): T {
  const merged = { ...base, ...layer } as Record<string, unknown>;
  if (base && layer) {
    for (const [key, value] of Object.entries(layer)) {
      const previous = (base as Record<string, unknown>)[key];
      if (isPlainObject(previous) && isPlainObject(value)) merged[key] = { ...previous, ...value };
    }
  }
  return merged as T;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
