import { z } from 'zod';
import type { AgentPolicy, GuardAction } from './agent-policy';

/**
 * A compliance regime the request runs under (set by a resolver, e.g. the profiles package's
 * `createComplianceMiddleware`, from the profile's `complianceMode` and the organization's `dataRegion`). While
 * it is set, the engine calls only `models`, the pipeline forces PII redaction on input, output and
 * streams, and audit trails cap retention at `maxRetentionDays`. Later policy layers cannot loosen it.
 */
export const compliancePolicySchema = z.strictObject({
  /** The regime, e.g. `hipaa`, `gdpr`. */
  mode: z.string().min(1),
  /** The data region the user's data must stay in, e.g. `eu`. */
  region: z.string().min(1).optional(),
  /** Model ids the operator marked compliant for this mode (and region). Only these are ever called. */
  models: z.array(z.string()).readonly(),
  /** Stored records (audit) about the request are kept at most this many days. */
  maxRetentionDays: z.number().int().nonnegative().optional(),
});
export type CompliancePolicy = z.output<typeof compliancePolicySchema>;

const WEAK_ACTIONS: ReadonlySet<GuardAction> = new Set(['warn', 'allow']);
const strong = (action: GuardAction | undefined): GuardAction => (action === undefined || WEAK_ACTIONS.has(action) ? 'redact' : action);

/**
 * The policy with what its compliance regime requires: PII detection on for every entity type, on
 * input, output and streams, with no action weaker than `redact` (a `block` stays a block), and the
 * guardrails feature on. Returns the policy unchanged when it has no `compliance`.
 */
export function enforceCompliance(policy: AgentPolicy): AgentPolicy {
  if (!policy.compliance) return policy;
  const pii = policy.guardrails?.pii;
  const actions = pii?.actions ? Object.fromEntries(Object.entries(pii.actions).map(([type, action]) => [type, strong(action)])) : undefined;
  return {
    ...policy,
    features: { ...policy.features, guardrails: true },
    guardrails: {
      ...policy.guardrails,
      pii: { enabled: true, action: strong(pii?.action), ...(actions ? { actions } : {}) },
      applyTo: { input: true, output: true, stream: true },
    },
  };
}

/** Merges two compliance layers: the first regime stays, the compliant models only narrow, the shorter retention wins. */
export function mergeCompliance(base: CompliancePolicy | undefined, layer: CompliancePolicy | undefined): CompliancePolicy | undefined {
  if (!base) return layer;
  if (!layer) return base;
  const retention = [base.maxRetentionDays, layer.maxRetentionDays].filter((days): days is number => days !== undefined);
  return {
    ...base,
    region: base.region ?? layer.region,
    models: base.models.filter((model) => layer.models.includes(model)),
    ...(retention.length > 0 ? { maxRetentionDays: Math.min(...retention) } : {}),
  } as CompliancePolicy;
}
