import type { AgentPolicy } from './agent-policy';

/**
 * Layers policies: later layers override scalar fields, but model restrictions only ever narrow —
 * allowed lists intersect and blocked lists unite — so no layer can re-open a model another layer closed.
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
    merged = {
      ...merged,
      ...layer,
      ...(allowedModels ? { allowedModels } : {}),
      ...(blockedModels ? { blockedModels } : {}),
      ...(merged.features || layer.features ? { features: { ...merged.features, ...layer.features } } : {}),
    };
  }
  return merged;
}
