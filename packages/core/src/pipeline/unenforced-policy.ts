import type { AgentPolicy } from '../policy/agent-policy';
import type { CascadeMiddleware, EnforcedPolicySection } from './middleware';

const ENFORCER: Record<EnforcedPolicySection, string> = {
  limits: 'createLimitsMiddleware() from @cascade/limits',
  guardrails: 'createGuardrailsMiddleware() from @cascade/guardrails',
};

/** True when the policy asks for something in `section` (a rate or budget; an enabled guard). */
function isSet(policy: AgentPolicy, section: EnforcedPolicySection): boolean {
  if (section === 'limits') {
    const limits = policy.limits;
    return Boolean(limits && (limits.user || limits.organization || limits.workspace));
  }
  const guardrails = policy.guardrails;
  return Boolean(guardrails && (guardrails.pii?.enabled || guardrails.moderation?.enabled || guardrails.injection?.enabled));
}

/** The sections some middleware declares it enforces (`CascadeMiddleware.enforces`). */
export function enforcedSections(middleware: readonly CascadeMiddleware[]): ReadonlySet<EnforcedPolicySection> {
  return new Set(middleware.flatMap((m) => m.enforces ?? []));
}

/**
 * One message per policy section that is set but enforced by no middleware, naming the middleware
 * to add; empty when every set section is enforced.
 */
export function unenforcedPolicyMessages(policy: AgentPolicy, enforced: ReadonlySet<EnforcedPolicySection>): string[] {
  const messages: string[] = [];
  for (const section of ['limits', 'guardrails'] as const) {
    if (isSet(policy, section) && !enforced.has(section)) {
      messages.push(`policy.${section} is set but no middleware enforces it, so it has no effect: add ${ENFORCER[section]} to the agent's middleware (or declare enforces: ['${section}'] on your own middleware).`);
    }
  }
  return messages;
}
