import { z } from 'zod';

/** Who is asking. Produced by a resolver middleware (profiles); read by limits, guardrails, cost tracking. */
export const principalSchema = z.strictObject({
  userId: z.string().min(1),
  organizationId: z.string().min(1).optional(),
  workspaceId: z.string().min(1).optional(),
  /** Subscription plan name (free, starter, pro, business, enterprise, or a custom one). */
  plan: z.string().min(1).optional(),
  /**
   * @deprecated Use `plan` ("tier" is a model's position in the cascade). Accepted until the next
   * minor version; parsing copies it to `plan` and keeps both equal meanwhile.
   */
  tier: z.string().min(1).optional(),
  roles: z.array(z.string()).readonly().optional(),
  /** Opaque extra facts for custom middleware. */
  attributes: z.record(z.string(), z.unknown()).optional(),
}).transform((principal, context) => {
  if (principal.tier === undefined || principal.tier === principal.plan) return principal;
  if (principal.plan !== undefined) {
    context.addIssue({ code: 'custom', path: ['tier'], message: 'principal.tier is the deprecated name of principal.plan: set only plan' });
  }
  return { ...principal, plan: principal.plan ?? principal.tier };
});

/** The subscription plan of a principal, also when a resolver set only the deprecated `tier`. */
export function planOf(principal: Principal | undefined): string | undefined {
  return principal?.plan ?? principal?.tier;
}

/** Who is asking. */
export type Principal = z.output<typeof principalSchema>;
